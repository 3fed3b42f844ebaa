//! `policypack facts`: every nation fact with the source it was checked
//! against and the date, so an LMC can check them again before a new issue.

use std::fmt::Write as _;

use crate::Outcome;
use crate::cli::{FactsArgs, GlobalArgs, MessageFormat};
use crate::config::Nation;
use crate::content::Templates;
use crate::content::nation::Fact;

pub fn run(args: &FactsArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let templates = Templates::load(args.templates.as_deref())?;
    let nations: Vec<Nation> = match args.nation {
        Some(nation) => vec![nation],
        None => Nation::all().collect(),
    };
    let mut out = String::new();
    for nation in nations {
        let facts = templates.nation(nation)?;
        let list = facts.facts()?;
        match global.message_format {
            MessageFormat::Json => {
                for fact in &list {
                    let line = serde_json::json!({
                        "nation": nation.key(),
                        "fact": fact.key,
                        "value": fact.value,
                        "sources": fact.sources.iter().map(|s| serde_json::json!({
                            "title": s.title,
                            "url": s.url,
                            "checked": s.checked.to_string(),
                            "note": s.note,
                        })).collect::<Vec<_>>(),
                    });
                    let _ = writeln!(out, "{line}");
                }
            }
            MessageFormat::Human if global.verbose => human(&mut out, &facts.name, &list),
            MessageFormat::Human => table(&mut out, &facts.name, &list),
        }
    }
    print!("{out}");
    Ok(Outcome::Success)
}

/// Width of the value column of the table.
const VALUE_WIDTH: usize = 56;

/// One row per fact: key, value (wrapped), the date checked and the
/// source's address; a fact with several sources gets a line for each.
fn table(out: &mut String, name: &str, facts: &[Fact<'_>]) {
    let key_width = facts.iter().map(|f| f.key.len()).max().unwrap_or(4).max(4);
    let _ = writeln!(out, "{name}\n");
    let _ = writeln!(
        out,
        "{:key_width$}  {:VALUE_WIDTH$}  {:10}  SOURCE",
        "FACT", "VALUE", "CHECKED"
    );
    for fact in facts {
        let value = plain(&fact.value);
        let mut lines: Vec<String> = value
            .trim_start()
            .lines()
            .flat_map(|line| textwrap::wrap(line, VALUE_WIDTH))
            .map(|l| l.into_owned())
            .collect();
        let rows = lines.len().max(fact.sources.len());
        lines.resize(rows, String::new());
        for (i, line) in lines.iter().enumerate() {
            let key = if i == 0 { fact.key.as_str() } else { "" };
            let (checked, url) = fact.sources.get(i).map_or((String::new(), ""), |s| {
                (s.checked.to_string(), s.url.as_str())
            });
            let row = format!("{key:key_width$}  {line:VALUE_WIDTH$}  {checked:10}  {url}");
            let _ = writeln!(out, "{}", row.trim_end());
        }
    }
    out.push('\n');
}

/// Each fact, its value, then its sources: title, address, date checked
/// and what the source says (`--verbose`).
fn human(out: &mut String, name: &str, facts: &[Fact<'_>]) {
    let _ = writeln!(out, "{name}\n{}\n", "=".repeat(name.chars().count()));
    for fact in facts {
        let _ = writeln!(out, "{}: {}", fact.key, plain(&fact.value));
        for source in &fact.sources {
            let _ = writeln!(
                out,
                "    source: {}\n            {}\n            checked {}",
                source.title, source.url, source.checked
            );
            if let Some(note) = &source.note {
                let _ = writeln!(out, "            {note}");
            }
        }
        out.push('\n');
    }
}

/// A value as a person reads it: text without quotes, lists one item a line.
fn plain(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => text.clone(),
        toml::Value::Array(items) => items
            .iter()
            .map(|item| format!("\n- {}", plain(item)))
            .collect(),
        other => other.to_string(),
    }
}
