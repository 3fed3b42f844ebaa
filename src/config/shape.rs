//! Checks a merged config tree against the config's JSON Schema.
//!
//! serde stops at the first problem; a practice manager wants all of them.
//! So before serde runs, this walk visits every key and reports unknown keys
//! (with "did you mean"), wrong types, missing required keys, lengths,
//! ranges, enum values, control characters and the value formats of
//! [`super::rules`], each at the span it was written. The schema is the one
//! `policypack schema` prints, generated from [`super::model`], so the rules
//! are written once.

use std::sync::Arc;

use serde_json::{Map, Value as Json};

use super::rules::{self, Problem};
use super::tree::{Node, Table, Value};
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};

/// The schema of [`super::model::ConfigFile`] as JSON.
pub fn config_schema() -> Json {
    serde_json::to_value(schemars::schema_for!(super::model::ConfigFile)).expect("schema is JSON")
}

/// Every problem in `root` against `schema`.
pub fn check(root: &Node, schema: &Json, practice: &Arc<SourceFile>) -> Vec<Diagnostic> {
    let mut walk = Walk {
        top_level: Some(schema),
        defs: schema.get("$defs").and_then(Json::as_object),
        problems: Vec::new(),
        practice,
    };
    walk.node(root, schema, "");
    walk.problems
}

struct Walk<'s> {
    /// The practice's own file: a key it must set is reported there, not
    /// at a shared file that opened the table.
    practice: &'s Arc<SourceFile>,
    top_level: Option<&'s Json>,
    defs: Option<&'s Map<String, Json>>,
    problems: Vec<Diagnostic>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl<'s> Walk<'s> {
    /// Follows `$ref` and drops the `null` branch of an `Option`.
    fn resolve(&self, mut schema: &'s Json) -> &'s Json {
        loop {
            if let Some(name) = schema.get("$ref").and_then(Json::as_str) {
                let name = name.trim_start_matches("#/$defs/");
                match self.defs.and_then(|d| d.get(name)) {
                    Some(def) => schema = def,
                    None => return schema,
                }
            } else if let Some(branches) = schema
                .get("anyOf")
                .or_else(|| schema.get("oneOf"))
                .and_then(Json::as_array)
            {
                match branches
                    .iter()
                    .find(|b| b.get("type").and_then(Json::as_str) != Some("null"))
                {
                    Some(branch) => schema = branch,
                    None => return schema,
                }
            } else {
                return schema;
            }
        }
    }

    fn report(&mut self, node: &Node, key: &str, message: String, hint: impl Into<String>) {
        let key = (!key.is_empty()).then_some(key);
        self.problems
            .push(Diagnostic::at(&node.origin, key, message).with_hint(hint));
    }

    fn node(&mut self, node: &Node, schema: &'s Json, path: &str) {
        let outer = schema;
        let schema = self.resolve(schema);
        let ty = schema_type(schema);
        match (ty, &node.value) {
            (Some("object"), Value::Table(table)) => self.table(node, table, schema, path),
            (Some("array"), Value::Array(items)) => self.array(node, items, schema, path),
            (Some("string"), Value::Datetime(date)) if format(schema) == Some("date") => {
                if date.date.is_none() || date.time.is_some() || date.offset.is_some() {
                    self.report(
                        node,
                        path,
                        format!("expected a date such as 2026-11-01, found {date}"),
                        "write the date alone, as YYYY-MM-DD, without quotes or a time",
                    );
                }
            }
            (Some("string"), Value::String(text)) if format(schema) == Some("date") => {
                self.report(
                    node,
                    path,
                    format!("expected a date, found the text \"{text}\""),
                    format!(
                        "write the date without quotes, e.g. {} = 2026-11-01",
                        last_key(path)
                    ),
                );
            }
            (Some("string"), Value::String(text)) => self.string(node, text, schema, path),
            (Some("integer"), Value::Integer(n)) => self.range(node, *n as f64, schema, path),
            (Some("integer"), Value::Float(f)) if f.is_infinite() => {
                self.range(node, *f, schema, path)
            }
            (Some(expected), found) => {
                let hint = example_for(outer, schema, path);
                self.report(
                    node,
                    path,
                    format!(
                        "expected {}, found {}",
                        type_phrase(expected, schema),
                        found.type_name()
                    ),
                    hint,
                );
            }
            (None, _) => {}
        }
    }

    fn table(&mut self, node: &Node, table: &Table, schema: &'s Json, path: &str) {
        let properties = schema.get("properties").and_then(Json::as_object);
        for (key, entry) in table {
            match properties.and_then(|p| p.get(key)) {
                Some(property) => self.node(&entry.node, property, &join(path, key)),
                None => {
                    let known = properties
                        .into_iter()
                        .flat_map(|p| p.keys().map(String::as_str));
                    let where_ = if path.is_empty() {
                        "at the top level".to_string()
                    } else {
                        format!("in [{path}]")
                    };
                    let top_level = self
                        .top_level
                        .and_then(|t| t.get("properties"))
                        .and_then(|p| p.get(key))
                        .is_some();
                    let hint = match did_you_mean(key, known) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None if top_level && !path.is_empty() => format!(
                            "`{key}` belongs at the top level, but here it is under [{path}]: move it above the first [section] header"
                        ),
                        None => format!(
                            "the keys allowed {where_} are: {}",
                            properties
                                .map(|p| p.keys().cloned().collect::<Vec<_>>().join(", "))
                                .unwrap_or_default()
                        ),
                    };
                    self.problems.push(
                        Diagnostic::at(
                            &entry.key_origin,
                            Some(&join(path, key)),
                            format!("unknown key `{key}` {where_}"),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        let required = schema.get("required").and_then(Json::as_array);
        for key in required.into_iter().flatten().filter_map(Json::as_str) {
            if table.contains_key(key) {
                continue;
            }
            let property = properties.and_then(|p| p.get(key)).map(|p| self.resolve(p));
            let is_table = property.and_then(schema_type) == Some("object");
            let full = join(path, key);
            let (message, hint) = if is_table {
                (
                    format!("missing table [{full}]"),
                    format!(
                        "add a [{full}] section; `policypack new` writes one with every key explained"
                    ),
                )
            } else {
                let section = if path.is_empty() {
                    String::new()
                } else {
                    format!(" under [{path}]")
                };
                let about = property
                    .map(|p| description(properties.and_then(|ps| ps.get(key)).unwrap_or(p)))
                    .unwrap_or_default();
                (
                    format!("missing required key `{key}`"),
                    format!("add {key} = …{section}. {about}")
                        .trim_end()
                        .to_string(),
                )
            };
            if path == "practice" || path.starts_with("complaints") || path.starts_with("policy") {
                // The practice's own keys: say so in its own file.
                self.problems.push(
                    super::recommended::in_practice_file(node, self.practice, &full, &message)
                        .with_hint(hint),
                );
                continue;
            }
            self.report(node, &full, message, hint);
        }
    }

    fn array(&mut self, node: &Node, items: &[Node], schema: &'s Json, path: &str) {
        let count = items.len() as u64;
        if let Some(min) = schema.get("minItems").and_then(Json::as_u64)
            && count < min
        {
            self.report(
                node,
                path,
                format!("needs at least {min} item{}, found {count}", plural(min)),
                format!(
                    "add a line, e.g. {} = [\"12 High Street\", \"Doncaster\"]",
                    last_key(path)
                ),
            );
        }
        if let Some(max) = schema.get("maxItems").and_then(Json::as_u64)
            && count > max
        {
            self.report(
                node,
                path,
                format!("allows at most {max} items, found {count}"),
                if matches!(node.value, Value::Array(ref items) if items.iter().any(|i| matches!(i.value, Value::Table(_)))) {
                    "keep the ones the practice uses and remove the others"
                } else {
                    "join or drop some lines"
                },
            );
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.node(item, item_schema, &format!("{path}[{}]", i + 1));
            }
        }
    }

    fn string(&mut self, node: &Node, text: &str, schema: &'s Json, path: &str) {
        if let Err(Problem { message, hint }) = rules::check_plain_text(text) {
            self.report(node, path, message, hint);
            return;
        }
        let chars = text.chars().count() as u64;
        if text.trim().is_empty() {
            self.report(
                node,
                path,
                "is empty".into(),
                format!(
                    "fill it in, or delete the `{}` line if it is optional",
                    last_key(path)
                ),
            );
            return;
        }
        if let Some(min) = schema.get("minLength").and_then(Json::as_u64)
            && chars < min
        {
            self.report(
                node,
                path,
                format!(
                    "is too short: {chars} character{}, at least {min} needed",
                    plural(chars)
                ),
                "write it out in full",
            );
        }
        if let Some(max) = schema.get("maxLength").and_then(Json::as_u64)
            && chars > max
        {
            self.report(
                node,
                path,
                format!("is too long: {chars} characters, at most {max} allowed"),
                "shorten it; documents print it on one line",
            );
        }
        // A format's own check says more than "not one of the allowed
        // values", so where a value has both, it speaks alone.
        let format_problem = format(schema).and_then(|f| rules::check_format(f, text).err());
        if let Some(allowed) = schema
            .get("enum")
            .and_then(Json::as_array)
            .filter(|_| format_problem.is_none())
        {
            let allowed: Vec<&str> = allowed.iter().filter_map(Json::as_str).collect();
            if !allowed.contains(&text) {
                let hint = match did_you_mean(&text.to_lowercase(), allowed.iter().copied()) {
                    Some(close) => {
                        format!("did you mean \"{close}\"? allowed: {}", allowed.join(", "))
                    }
                    None => format!("allowed: {}", allowed.join(", ")),
                };
                self.report(
                    node,
                    path,
                    format!("\"{text}\" is not one of the allowed values"),
                    hint,
                );
            }
        }
        if let Some(Problem { message, hint }) = format_problem {
            self.report(node, path, message, hint);
        }
    }

    fn range(&mut self, node: &Node, n: f64, schema: &'s Json, path: &str) {
        let min = schema.get("minimum").and_then(Json::as_f64);
        let max = schema.get("maximum").and_then(Json::as_f64);
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            let shown = if n.is_finite() {
                format!("{n}")
            } else {
                "a very large number".into()
            };
            self.report(
                node,
                path,
                format!("{shown} is out of range"),
                format!(
                    "use a whole number from {} to {}",
                    min.unwrap_or(0.0),
                    max.unwrap_or(f64::MAX)
                ),
            );
        }
    }
}

fn schema_type(schema: &Json) -> Option<&str> {
    match schema.get("type")? {
        Json::String(t) => Some(t.as_str()),
        Json::Array(types) => types.iter().filter_map(Json::as_str).find(|t| *t != "null"),
        _ => None,
    }
    .or_else(|| schema.get("enum").map(|_| "string"))
}

fn format(schema: &Json) -> Option<&str> {
    schema.get("format").and_then(Json::as_str)
}

fn description(schema: &Json) -> String {
    schema
        .get("description")
        .and_then(Json::as_str)
        .unwrap_or("")
        .replace('\n', " ")
}

fn type_phrase(ty: &str, schema: &Json) -> &'static str {
    match (ty, format(schema)) {
        (_, Some("date")) => "a date such as 2026-11-01",
        ("string", _) => "text in double quotes",
        ("integer", _) => "a whole number",
        ("array", _) => "a list in square brackets",
        ("object", _) => "a table",
        ("boolean", _) => "true or false",
        _ => "another type",
    }
}

fn example_for(outer: &Json, schema: &Json, path: &str) -> String {
    let key = last_key(path);
    let about = description(outer);
    let example = match (schema_type(schema), format(schema)) {
        (Some("string"), _) => format!("{key} = \"…\""),
        (Some("integer"), _) => format!("{key} = 2"),
        (Some("array"), _) => format!("{key} = [\"…\", \"…\"]"),
        (Some("object"), _) => format!("[{path}] as its own section"),
        _ => key.to_string(),
    };
    format!("write {example}. {about}").trim_end().to_string()
}

fn last_key(path: &str) -> &str {
    let key = path.rsplit('.').next().unwrap_or(path);
    key.split('[').next().unwrap_or(key)
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}
