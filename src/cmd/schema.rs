//! `policypack schema` and `policypack completions`.
//!
//! The schema for editors differs from the one `check` walks in one way:
//! a config is only complete once merged with what it `extends`, so an
//! editor looking at one file cannot ask for every required key. A practice
//! config with `extends` needs no particular key (the tables it writes are
//! merged key by key, so any of their keys may come from the shared file);
//! one without `extends` needs them all. Shared defaults (`_lmc.toml`) get
//! `--shared`: every key optional. Types, formats and unknown keys are
//! checked the same everywhere.

use clap::CommandFactory;
use serde_json::{Map, Value as Json, json};

use crate::Outcome;
use crate::cli::Cli;

pub fn run(shared: bool) -> anyhow::Result<Outcome> {
    let schema = editor_schema(shared);
    println!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(Outcome::Success)
}

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "policypack",
        &mut std::io::stdout(),
    );
    Ok(Outcome::Success)
}

/// The schema an editor uses for a practice config, or with `shared` for
/// a shared-defaults file.
pub fn editor_schema(shared: bool) -> Json {
    let strict = crate::config::shape::config_schema();
    let mut schema = strict.clone();
    let Json::Object(root) = &mut schema else {
        unreachable!("the config schema is an object")
    };
    let required = root.remove("required").unwrap_or_else(|| json!([]));
    let mut properties = root
        .remove("properties")
        .and_then(|p| match p {
            Json::Object(map) => Some(map),
            _ => None,
        })
        .unwrap_or_default();
    let mut defs = match root.remove("$defs") {
        Some(Json::Object(map)) => map,
        _ => Map::new(),
    };
    // Each table of the file may be partial: it points at a copy of its
    // section without `required`. Lists are replaced whole when merged, so
    // their items stay complete.
    let mut complete = Map::new();
    for (key, property) in properties.iter_mut() {
        if property.get("type").and_then(Json::as_str) == Some("array") {
            continue;
        }
        complete.insert(key.clone(), property.clone());
        partial_refs(property, &mut defs);
    }
    root.insert("properties".into(), Json::Object(properties));
    root.insert("$defs".into(), Json::Object(defs));
    if shared {
        root.insert(
            "title".into(),
            json!(
                "policypack shared defaults (a file such as _lmc.toml that practice configs extend)"
            ),
        );
    } else {
        root.insert("if".into(), json!({ "required": ["extends"] }));
        root.insert(
            "else".into(),
            json!({ "required": required, "properties": complete }),
        );
    }
    schema
}

/// Points every `$ref` in `schema` at a copy of its definition that has
/// no `required` keys, made once as `Partial<Name>`.
fn partial_refs(schema: &mut Json, defs: &mut Map<String, Json>) {
    match schema {
        Json::Object(map) => {
            if let Some(Json::String(target)) = map.get_mut("$ref")
                && let Some(name) = target.strip_prefix("#/$defs/").map(str::to_owned)
            {
                let partial = format!("Partial{name}");
                if !defs.contains_key(&partial)
                    && let Some(Json::Object(def)) = defs.get(&name)
                {
                    let mut copy = def.clone();
                    copy.remove("required");
                    defs.insert(partial.clone(), Json::Object(copy));
                }
                *target = format!("#/$defs/{partial}");
            }
            for value in map.values_mut() {
                partial_refs(value, defs);
            }
        }
        Json::Array(items) => {
            for item in items {
                partial_refs(item, defs);
            }
        }
        _ => {}
    }
}
