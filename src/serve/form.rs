//! The config form: every key of a practice config, grouped as the config
//! is, with the help `policypack schema` gives; saved only when `check`
//! finds no error, and only after the person has seen what changes.
//!
//! A field is named by its dotted key (`practice.phone`; a list of
//! organisations by its position, `defence_organisations[1].name`, as
//! `check` names it). An empty field is left out of the file, so a value
//! the LMC's shared file gives is used: the form shows it as inherited.
//! Saving edits the file with toml_edit, so its comments, key order and
//! `extends` stay as they were.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use axum::Extension;
use axum::Form;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value as Json, json};
use toml_edit::{DocumentMut, Item, Table, value};

use super::{App, Who, blocking, pages};
use crate::config::Practice;
use crate::content::{self, DocKind};
use crate::diagnostics::Diagnostic;

/// The largest config the form reads: as `check` bounds them.
const MAX_CONFIG: u64 = 1024 * 1024;

/// The most organisations or accounts the form shows: those in the file
/// and one empty row to add another, up to this.
const MAX_ROWS: usize = 20;

/// An organisation's keys: the commissioner, advocacy, the LMC, each
/// defence organisation.
const CONTACT_KEYS: &[&str] = &["name", "phone", "email", "website", "address"];

/// How each group's keys are shown, in this order. A key not listed is
/// not on the form (`keep`, `templates`: the LMC's, in the file).
const GROUPS: [(&str, &str, &[&str]); 9] = [
    (
        "practice",
        "The practice",
        &[
            "name",
            "nation",
            "ods_code",
            "address",
            "postcode",
            "phone",
            "email",
            "website",
            "complaints_page",
            "slug",
        ],
    ),
    (
        "complaints",
        "Complaints",
        &[
            "lead_role",
            "lead_role_cy",
            "lead_name",
            "phone",
            "email",
            "address",
            "acknowledge_working_days",
        ],
    ),
    ("commissioner", "Commissioner", CONTACT_KEYS),
    ("advocacy", "Complaints advocacy", CONTACT_KEYS),
    ("lmc", "Local Medical Committee", CONTACT_KEYS),
    (
        "defence_organisations",
        "Medical defence organisations",
        CONTACT_KEYS,
    ),
    (
        "social_media",
        "Social media",
        &["monitored_by", "reply_within_working_days"],
    ),
    (
        "policy",
        "The policy",
        &[
            "issued",
            "review_months",
            "approved_by",
            "approved_by_cy",
            "version",
        ],
    ),
    ("branding", "Branding", &["accent_colour", "logo"]),
];

const ACCOUNT_KEYS: [&str; 2] = ["platform", "url"];

/// The NHS ODS list `--ods` names, read when a code is looked up.
pub struct Ods {
    path: PathBuf,
}

impl Ods {
    pub fn read(path: &Path) -> anyhow::Result<Ods> {
        crate::input::open_regular(path)
            .map_err(|refused| anyhow::anyhow!("--ods {}: {refused}", path.display()))?;
        Ok(Ods {
            path: path.to_path_buf(),
        })
    }

    /// The practice with this ODS code, as `import epraccur` would write
    /// it, and its commissioner's code.
    fn lookup(&self, code: &str) -> Option<(crate::import::config::Practice, String)> {
        crate::import::epraccur::lookup(&self.path, code)
            .ok()
            .flatten()
    }

    /// The commissioner's details another practice below `dir` gives
    /// whose ODS code has the same commissioner: the ODS list names a
    /// commissioner only by its code.
    fn commissioner_like(&self, dir: &Path, code: &str) -> Option<(String, toml_edit::Table)> {
        let of = crate::import::epraccur::commissioners(&self.path).ok()?;
        let files = crate::pack::discover::practice_files(&[dir.to_path_buf()]).ok()?;
        files.iter().find_map(|path| {
            // Only a commissioner the config inherits from a shared file
            // the officer keeps: a practice's own file is its to fill with
            // whatever it likes (through its link too), not another's to copy.
            if !officers_own(path) {
                return None;
            }
            let own: DocumentMut = read_config(path).ok()?.parse().ok()?;
            if own.contains_key("commissioner") {
                return None;
            }
            let practice = crate::config::load(path).ok()?;
            let ods = practice
                .config
                .practice
                .ods_code
                .as_deref()?
                .to_ascii_uppercase();
            if of.get(&ods).map(String::as_str) != Some(code) {
                return None;
            }
            let c = &practice.config.commissioner;
            let mut table = toml_edit::Table::new();
            table["name"] = value(c.name.as_str());
            for (key, field) in [
                ("phone", &c.phone),
                ("email", &c.email),
                ("website", &c.website),
            ] {
                if let Some(v) = field {
                    table[key] = value(v.as_str());
                }
            }
            if let Some(lines) = &c.address {
                table["address"] = value(lines_array(lines));
            }
            Some((practice.name().to_string(), table))
        })
    }
}

/// Whether a config is the web app's user's (or root's) and no one else
/// may write to it.
fn officers_own(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    std::fs::symlink_metadata(path).is_ok_and(|meta| {
        meta.is_file() && (meta.uid() == me || meta.uid() == 0) && meta.mode() & 0o022 == 0
    })
}

/// A form as sent: every field by name, the hidden ones too.
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

#[derive(Deserialize)]
pub struct NewQuery {
    nation: Option<String>,
    extends: Option<String>,
    ods: Option<String>,
}

/// The shared files (`_*.toml`) at the top of the served folder, which a
/// new config may extend.
fn shared_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.starts_with('_') && n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `GET /practices/new`: an empty form, the nation chosen first.
pub async fn new_form(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    Query(query): Query<NewQuery>,
) -> Response {
    if !who.sees_all() {
        return pages::forbidden();
    }
    let app2 = app.clone();
    let made = blocking(move || {
        let shared = shared_files(&app2.dir);
        let extends = query
            .extends
            .filter(|e| shared.contains(e))
            .or_else(|| shared.first().cloned());
        let mut text = String::new();
        if let Some(extends) = &extends {
            text.push_str(&format!("extends = {}\n", toml_edit::Value::from(extends.as_str())));
        }
        let mut doc: DocumentMut = text.parse().unwrap_or_default();
        let mut notes = Vec::new();
        if let Some(code) = query.ods.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            match app2.ods.as_ref().map(|ods| ods.lookup(code)) {
                Some(Some((found, commissioner))) => {
                    if !doc.contains_key("extends")
                        && let Some((from, table)) = app2
                            .ods
                            .as_ref()
                            .and_then(|ods| ods.commissioner_like(&app2.dir, &commissioner))
                    {
                        doc["commissioner"] = Item::Table(table);
                        notes.push(format!(
                            "The commissioner ({commissioner} in the ODS list) is filled in as {from} has it."
                        ));
                    }
                    let table = table_of(&mut doc, "practice");
                    table["name"] = value(found.name.as_str());
                    table["ods_code"] = value(found.ods_code.as_str());
                    table["nation"] = value(found.nation.key());
                    table["address"] = value(lines_array(&found.address));
                    table["postcode"] = value(found.postcode.as_str());
                    table["phone"] = value(found.phone.as_str());
                    notes.push(format!(
                        "Filled in from the NHS ODS list for {}: check each detail before saving.",
                        found.ods_code
                    ));
                }
                Some(None) => notes.push(format!(
                    "The NHS ODS list has no open GP practice with the code {code}."
                )),
                None => notes.push(
                    "This web app was started without an ODS list (--ods), so codes cannot be looked up."
                        .into(),
                ),
            }
        }
        if let Some(nation) = query.nation.filter(|n| crate::config::Nation::from_key(n).is_some()) {
            table_of(&mut doc, "practice")["nation"] = value(nation);
        }
        let folder = app2.dir.clone();
        let view = FormView {
            action: "/practices".into(),
            slug: None,
            base: String::new(),
            shared,
            extends,
            notes,
            doc,
            folder,
            config: None,
            problems: Vec::new(),
        };
        view.context(&app2)
    })
    .await;
    match made {
        Ok(mut context) => {
            context.insert("csrf", &app.csrf(&who));
            app.pages.page(StatusCode::OK, "form.html", &context)
        }
        Err(response) => response,
    }
}

/// `GET /practices/{slug}/edit`: the form, filled in from the file.
pub async fn edit_form(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    UrlPath(slug): UrlPath<String>,
) -> Response {
    let path = match find_config(&app, &who, &slug).await {
        Ok(path) => path,
        Err(response) => return response,
    };
    let app2 = app.clone();
    let made = blocking(move || -> Result<tera::Context, String> {
        let text = read_config(&path)?;
        let doc: DocumentMut = text.parse().map_err(|e| {
            format!("the config cannot be read as TOML, so it cannot be edited here: {e}")
        })?;
        let extends = doc
            .get("extends")
            .and_then(Item::as_str)
            .map(str::to_string);
        let problems = match crate::config::load(&path) {
            Ok(practice) => practice.warnings,
            Err(problems) => problems,
        };
        let view = FormView {
            action: format!("/practices/{slug}"),
            slug: Some(slug),
            base: crate::utils::sha256(text.as_bytes()),
            shared: Vec::new(),
            extends,
            notes: Vec::new(),
            doc,
            folder: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            config: Some(path.clone()),
            problems: for_form(&problems, &path),
        };
        Ok(view.context(&app2))
    })
    .await;
    match made {
        Ok(Ok(mut context)) => {
            context.insert("csrf", &app.csrf(&who));
            app.pages.page(StatusCode::OK, "form.html", &context)
        }
        Ok(Err(problem)) => app.pages.message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This config cannot be edited here",
            &problem,
        ),
        Err(response) => response,
    }
}

/// The config of the practice with this slug, if this person may edit it.
/// `_mine` (never a slug: slugs have no `_`) is a practice link's own
/// config, found by the link, not by loading it: so a practice whose
/// config no longer passes `check` can still open it and correct it.
pub const MINE: &str = "_mine";

async fn find_config(app: &Arc<App>, who: &Who, slug: &str) -> Result<PathBuf, Response> {
    if slug == MINE {
        return match who {
            Who::Practice { config, .. }
                if config.is_file() && who.may_open(config, &super::Seen::in_text(config)) =>
            {
                Ok(config.clone())
            }
            _ => Err(pages::not_found()),
        };
    }
    super::practices::find(app, who, slug)
        .await
        .map(|practice| practice.path.clone())
}

fn read_config(path: &Path) -> Result<String, String> {
    let bytes =
        crate::input::read_limited(path, MAX_CONFIG, "config").map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "the config is not UTF-8 text".to_string())
}

/// One problem as the form shows it: the field it belongs to, if it is
/// about this file, and `check`'s message and hint.
#[derive(Clone)]
struct Shown {
    key: Option<String>,
    message: String,
    hint: Option<String>,
    warning: bool,
    /// Another file (the LMC's shared file), named.
    elsewhere: Option<String>,
}

fn shown(problem: &Diagnostic, file: &Path) -> Shown {
    Shown {
        key: problem.key.clone(),
        message: problem.message.clone(),
        hint: problem.hint.clone(),
        warning: problem.is_warning(),
        elsewhere: (problem.path != file).then(|| problem.path.display().to_string()),
    }
}

/// `check`'s problems as the form shows them. A missing key or table is
/// said as a field left empty, beside each required field of it (the form
/// has no sections or keys to add); everything else keeps `check`'s words.
fn for_form(problems: &[Diagnostic], file: &Path) -> Vec<Shown> {
    let schema = crate::config::schema();
    let required_of = |group: &str| -> Vec<String> {
        property(schema, &[group])
            .get("required")
            .and_then(Json::as_array)
            .map(|keys| {
                keys.iter()
                    .filter_map(Json::as_str)
                    .map(|k| format!("{group}.{k}"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let empty = |key: String| Shown {
        key: Some(key),
        message: "this is required: fill it in".into(),
        hint: None,
        warning: false,
        elsewhere: None,
    };
    let mut shown = Vec::new();
    for problem in problems {
        let mine = problem.path == file;
        if mine && problem.message.starts_with("missing table [") {
            let group = problem.message["missing table [".len()..].trim_end_matches(']');
            shown.extend(required_of(group).into_iter().map(empty));
        } else if mine && problem.message.starts_with("missing required key `") {
            if let Some(key) = &problem.key {
                shown.push(empty(key.clone()));
            }
        } else {
            shown.push(self::shown(problem, file));
        }
    }
    shown
}

/// What a form page shows.
struct FormView {
    action: String,
    slug: Option<String>,
    /// The SHA-256 of the file when the form was opened (empty: new).
    base: String,
    /// For a new config: the shared files it may extend.
    shared: Vec<String>,
    extends: Option<String>,
    notes: Vec<String>,
    doc: DocumentMut,
    /// The folder the config is (or will be) in: `extends` is relative to it.
    folder: PathBuf,
    /// The config file, when there is one: what it inherits is read under
    /// the rules `check` reads it under.
    config: Option<PathBuf>,
    problems: Vec<Shown>,
}

impl FormView {
    fn context(&self, app: &App) -> tera::Context {
        let inherited = self
            .extends
            .as_deref()
            .map(|extends| inherited_values(&self.folder, self.config.as_deref(), extends))
            .unwrap_or_default();
        let own = own_values(&self.doc);
        let nation_key = own
            .get("practice.nation")
            .or_else(|| inherited.get("practice.nation"))
            .cloned()
            .unwrap_or_default();
        let nation = crate::config::Nation::from_key(&nation_key);
        // The built-in facts, parsed once for the reply page too.
        let built_in = app.rules.get(None).ok();
        let facts = nation.and_then(|n| built_in.as_ref()?.templates.nation(n).ok());
        let second_language = nation.and_then(|n| n.language_code());
        let schema = crate::config::schema();
        let mut groups = Vec::new();
        for (group, title, keys) in GROUPS {
            // Advocacy only where the nation has no service of its own.
            if group == "advocacy" && nation.is_some_and(|n| n.has_national_advocacy()) {
                continue;
            }
            let object = property(schema, &[group]);
            let mut fields = Vec::new();
            let rows = if group == "defence_organisations" {
                let count = list_len(&self.doc, group);
                (1..=(count + 1).min(MAX_ROWS)).map(Some).collect()
            } else {
                vec![None]
            };
            for row in rows {
                for key in keys {
                    if key.ends_with("_cy") && second_language.is_none() {
                        continue;
                    }
                    let (name, schema_key) = match row {
                        Some(n) => (format!("{group}[{n}].{key}"), vec![group, "items", key]),
                        None => (format!("{group}.{key}"), vec![group, key]),
                    };
                    let spec = property(schema, &schema_key);
                    fields.push(self.field(&name, key, spec, &object, &own, &inherited, row));
                }
            }
            if group == "social_media" {
                let count = list_len_at(&self.doc, "social_media", "accounts");
                for n in 1..=(count + 1).min(MAX_ROWS) {
                    for key in ACCOUNT_KEYS {
                        let name = format!("social_media.accounts[{n}].{key}");
                        let spec = property(schema, &["social_media", "accounts", "items", key]);
                        fields.push(self.field(
                            &name,
                            key,
                            spec,
                            &Json::Null,
                            &own,
                            &inherited,
                            Some(n),
                        ));
                    }
                }
            }
            let printed = facts.and_then(|f| match group {
                "advocacy" => None,
                "complaints" => Some(format!(
                    "Printed from {}'s facts: the ombudsman, {}{}.",
                    crate::config::Nation::from_key(&nation_key)
                        .map(|n| n.name().to_string())
                        .unwrap_or_default(),
                    f.ombudsman.name,
                    f.advocacy
                        .as_ref()
                        .map(|a| format!(", and the advocacy service, {}", a.name))
                        .unwrap_or_default()
                )),
                _ => None,
            });
            let group_problems: Vec<Json> = self
                .problems
                .iter()
                .filter(|p| p.elsewhere.is_none() && p.key.as_deref() == Some(group))
                .map(problem_json)
                .collect();
            groups.push(json!({
                "problems": group_problems,
                "key": group,
                "title": title,
                "help": object.get("description").and_then(Json::as_str).unwrap_or(""),
                "fields": fields,
                "printed": printed,
            }));
        }
        let general: Vec<Json> = self
            .problems
            .iter()
            .filter(|p| {
                p.elsewhere.is_some()
                    || p.key.as_deref().is_none_or(|k| {
                        !on_form(k) && !GROUPS.iter().any(|(group, _, _)| *group == k)
                    })
            })
            .map(problem_json)
            .collect();
        let nations: Vec<Json> = crate::config::Nation::all()
            .map(|n| json!({ "key": n.key(), "label": n.name() }))
            .collect();
        let mut context = tera::Context::new();
        context.insert(
            "title",
            &match &self.slug {
                Some(_) => format!(
                    "Edit {}",
                    own.get("practice.name").cloned().unwrap_or_default()
                ),
                None => "Add a practice".to_string(),
            },
        );
        context.insert("action", &self.action);
        context.insert("slug", &self.slug);
        context.insert("base", &self.base);
        context.insert("shared", &self.shared);
        context.insert("extends", &self.extends);
        context.insert("notes", &self.notes);
        context.insert("groups", &groups);
        context.insert("general", &general);
        context.insert("nations", &nations);
        context.insert("nation", &nation_key);
        context.insert("ods", &app.ods.is_some());
        context.insert(
            "errors",
            &self.problems.iter().filter(|p| !p.warning).count(),
        );
        context
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &self,
        name: &str,
        key: &str,
        spec: Json,
        object: &Json,
        own: &BTreeMap<String, String>,
        inherited: &BTreeMap<String, String>,
        row: Option<usize>,
    ) -> Json {
        let types: Vec<&str> = match spec.get("type") {
            Some(Json::String(t)) => vec![t.as_str()],
            Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        };
        let input = if types.contains(&"array") {
            "lines"
        } else if types.contains(&"integer") {
            "number"
        } else if key == "issued" {
            "date"
        } else if key == "nation" {
            "nation"
        } else if key.contains("email") {
            "email"
        } else if key.contains("phone") {
            "tel"
        } else if key == "website" || key == "url" || key == "complaints_page" {
            "url"
        } else {
            "text"
        };
        let required = row.is_none()
            && object
                .get("required")
                .and_then(Json::as_array)
                .is_some_and(|r| r.iter().any(|k| k == key));
        let problems: Vec<Json> = self
            .problems
            .iter()
            .filter(|p| p.elsewhere.is_none() && p.key.as_deref() == Some(name))
            .map(problem_json)
            .collect();
        json!({
            "name": name,
            "id": name.replace(['.', '[', ']'], "-"),
            "label": label(key),
            "row": row,
            "help": help(key, &spec),
            "input": input,
            "required": required && !inherited.contains_key(name),
            "value": own.get(name).cloned().unwrap_or_default(),
            "inherited": if row.is_none() { inherited.get(name).cloned() } else { None },
            "problems": problems,
        })
    }
}

/// A field's help as a practice manager reads it: the schema's words
/// without code marks, and the nation's in plain words.
fn help(key: &str, spec: &Json) -> String {
    if key == "nation" {
        return "Each UK nation has its own NHS complaints rules; the documents follow the one chosen.".into();
    }
    spec.get("description")
        .and_then(Json::as_str)
        .unwrap_or("")
        .replace('`', "")
}

fn problem_json(p: &Shown) -> Json {
    json!({
        "key": p.key,
        "message": p.message,
        "hint": p.hint,
        "warning": p.warning,
        "file": p.elsewhere,
    })
}

/// Whether a key `check` names is a field of the form.
fn on_form(key: &str) -> bool {
    GROUPS.iter().any(|(group, _, keys)| {
        keys.iter().any(|k| {
            key == format!("{group}.{k}")
                || (key.starts_with(&format!("{group}[")) && key.ends_with(&format!("].{k}")))
        })
    }) || (key.starts_with("social_media.accounts[")
        && ACCOUNT_KEYS
            .iter()
            .any(|k| key.ends_with(&format!("].{k}"))))
}

/// "lead_role_cy" → "Lead role (Welsh)".
fn label(key: &str) -> String {
    let (base, welsh) = match key.strip_suffix("_cy") {
        Some(base) => (base, true),
        None => (key, false),
    };
    let words = match base {
        "ods_code" => "ODS code".to_string(),
        "lmc" => "LMC".to_string(),
        "url" => "Web address".to_string(),
        "complaints_page" => "Complaints web page".to_string(),
        "accent_colour" => "Accent colour".to_string(),
        "slug" => "Folder name (slug)".to_string(),
        other => {
            let text = other.replace('_', " ");
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    };
    if welsh {
        format!("{words} (Welsh)")
    } else {
        words
    }
}

/// The schema of the property at `path` (`items` steps into a list),
/// with references followed and `null` alternatives dropped.
fn property(schema: &Json, path: &[&str]) -> Json {
    let defs = schema.get("$defs").cloned().unwrap_or(Json::Null);
    let resolve = |node: &Json| -> Json {
        let mut node = node.clone();
        for _ in 0..4 {
            if let Some(r) = node.get("$ref").and_then(Json::as_str) {
                node = defs
                    .get(r.rsplit('/').next().unwrap_or(""))
                    .cloned()
                    .unwrap_or(Json::Null);
            } else if let Some(any) = node.get("anyOf").and_then(Json::as_array) {
                let description = node.get("description").cloned();
                node = any
                    .iter()
                    .find(|n| n.get("type").and_then(Json::as_str) != Some("null"))
                    .cloned()
                    .unwrap_or(Json::Null);
                if let (Some(d), Some(obj)) = (description, node.as_object_mut())
                    && !obj.contains_key("description")
                {
                    obj.insert("description".into(), d);
                }
            } else {
                break;
            }
        }
        node
    };
    let mut node = resolve(schema);
    for step in path {
        node = if *step == "items" {
            resolve(node.get("items").unwrap_or(&Json::Null))
        } else {
            resolve(
                node.get("properties")
                    .and_then(|p| p.get(*step))
                    .unwrap_or(&Json::Null),
            )
        };
    }
    node
}

/// The values the file itself sets, by field name, as the form shows them.
/// A practice's values as a build uses them and the manifest records them.
fn merged_values(practice: &Practice) -> BTreeMap<String, String> {
    serde_json::to_value(&practice.config)
        .map(|config| crate::utils::flatten(&config))
        .unwrap_or_default()
}

fn own_values(doc: &DocumentMut) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for (key, item) in doc.iter() {
        collect(&mut values, key, item);
    }
    values
}

fn collect(values: &mut BTreeMap<String, String>, prefix: &str, item: &Item) {
    match item {
        Item::Table(table) => {
            for (key, item) in table.iter() {
                collect(values, &format!("{prefix}.{key}"), item);
            }
        }
        Item::ArrayOfTables(tables) => {
            for (i, table) in tables.iter().enumerate() {
                for (key, item) in table.iter() {
                    collect(values, &format!("{prefix}[{}].{key}", i + 1), item);
                }
            }
        }
        Item::Value(v) => {
            if let Some(inline) = v.as_inline_table() {
                for (key, v) in inline.iter() {
                    collect(values, &format!("{prefix}.{key}"), &Item::Value(v.clone()));
                }
            } else if let Some(array) = v.as_array() {
                if array.iter().all(|v| v.as_inline_table().is_some()) && !array.is_empty() {
                    for (i, v) in array.iter().enumerate() {
                        if let Some(t) = v.as_inline_table() {
                            for (key, v) in t.iter() {
                                collect(
                                    values,
                                    &format!("{prefix}[{}].{key}", i + 1),
                                    &Item::Value(v.clone()),
                                );
                            }
                        }
                    }
                } else {
                    let lines: Vec<String> = array.iter().map(plain).collect();
                    values.insert(prefix.to_string(), lines.join("\n"));
                }
            } else {
                values.insert(prefix.to_string(), plain(v));
            }
        }
        Item::None => {}
    }
}

fn plain(v: &toml_edit::Value) -> String {
    match v {
        toml_edit::Value::String(s) => s.value().clone(),
        toml_edit::Value::Integer(i) => i.value().to_string(),
        toml_edit::Value::Float(f) => f.value().to_string(),
        toml_edit::Value::Boolean(b) => b.value().to_string(),
        toml_edit::Value::Datetime(d) => d.value().to_string(),
        other => other.to_string().trim().to_string(),
    }
}

/// The values the shared file (and what it extends) gives, by field name.
/// For an existing config, only what `check` would let it read: a shared
/// file its writers may not read shows nothing.
fn inherited_values(
    folder: &Path,
    config: Option<&Path>,
    extends: &str,
) -> BTreeMap<String, String> {
    let merged = match config {
        Some(config) => crate::config::tree::load_inherited(config, extends),
        None => match crate::input::confined(folder, extends) {
            Ok(path) => crate::config::tree::load(&path),
            Err(_) => return BTreeMap::new(),
        },
    };
    let Ok(merged) = merged else {
        return BTreeMap::new();
    };
    let text = toml::to_string(&merged.root.to_toml()).unwrap_or_default();
    text.parse::<DocumentMut>()
        .map(|doc| own_values(&doc))
        .unwrap_or_default()
}

fn list_len(doc: &DocumentMut, key: &str) -> usize {
    match doc.get(key) {
        Some(Item::ArrayOfTables(t)) => t.len(),
        Some(Item::Value(v)) => v.as_array().map_or(0, |a| a.len()),
        _ => 0,
    }
}

fn list_len_at(doc: &DocumentMut, table: &str, key: &str) -> usize {
    match doc.get(table).and_then(|t| t.get(key)) {
        Some(Item::ArrayOfTables(t)) => t.len(),
        Some(Item::Value(v)) => v.as_array().map_or(0, |a| a.len()),
        _ => 0,
    }
}

fn table_of<'a>(doc: &'a mut DocumentMut, name: &str) -> &'a mut Table {
    if !doc.contains_table(name) {
        doc[name] = Item::Table(Table::new());
    }
    doc[name].as_table_mut().expect("made a table above")
}

fn lines_array(lines: &[String]) -> toml_edit::Array {
    lines.iter().map(String::as_str).collect()
}

/// The form's value for a key, typed as the config wants it: a list from
/// lines, a number, a date; anything else as text. A value that is not
/// what the key needs is written as text, and `check` says what is wrong.
fn typed(input_key: &str, text: &str, list: bool) -> toml_edit::Value {
    if list {
        let lines: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        return toml_edit::Value::Array(lines_array(&lines));
    }
    let text = text.trim();
    if matches!(
        input_key,
        "review_months" | "acknowledge_working_days" | "reply_within_working_days"
    ) && let Ok(n) = text.parse::<i64>()
    {
        return toml_edit::Value::from(n);
    }
    if input_key == "issued"
        && let Ok(date) = text.parse::<toml_edit::Datetime>()
        && date.time.is_none()
        && date.offset.is_none()
    {
        return toml_edit::Value::from(date);
    }
    toml_edit::Value::from(text)
}

const LIST_KEYS: [&str; 1] = ["address"];

/// The file's document with the form's values put in: a changed value
/// keeps the key's place and comments; an emptied one is removed; a new
/// one is added at the end of its table.
fn apply(doc: &mut DocumentMut, fields: &Fields) {
    for (group, _, keys) in GROUPS {
        if group == "defence_organisations" {
            apply_rows(doc, None, group, keys, fields);
            continue;
        }
        for key in keys {
            let name = format!("{group}.{key}");
            // A field not on the form (a Welsh word outside Wales, advocacy
            // where the nation has its own) leaves the file as it was.
            let Some(text) = field(fields, &name) else {
                continue;
            };
            let list = LIST_KEYS.contains(key);
            if text.trim().is_empty() {
                if let Some(table) = doc.get_mut(group).and_then(Item::as_table_like_mut) {
                    table.remove(key);
                }
                continue;
            }
            let new = typed(key, text, list);
            let table = table_of(doc, group);
            match table.get_mut(key).and_then(Item::as_value_mut) {
                Some(old) if plain(old) == plain(&new) && old.type_name() == new.type_name() => {}
                Some(old) => {
                    let decor = old.decor().clone();
                    *old = new;
                    *old.decor_mut() = decor;
                }
                None => {
                    table[key] = value(new);
                }
            }
        }
        if group == "social_media" {
            apply_rows(doc, Some("social_media"), "accounts", &ACCOUNT_KEYS, fields);
        }
    }
    // A table the form emptied (an optional organisation taken out) goes.
    let empty: Vec<String> = doc
        .iter()
        .filter(|(_, item)| item.as_table().is_some_and(|t| t.is_empty()))
        .map(|(key, _)| key.to_string())
        .collect();
    for key in empty {
        doc.remove(&key);
    }
}

/// Rows of a list of tables: rebuilt from the form when any of its fields
/// was sent; an empty row is dropped.
fn apply_rows(
    doc: &mut DocumentMut,
    parent: Option<&str>,
    key: &str,
    keys: &[&str],
    fields: &Fields,
) {
    let name = |n: usize, k: &str| match parent {
        Some(p) => format!("{p}.{key}[{n}].{k}"),
        None => format!("{key}[{n}].{k}"),
    };
    if !fields
        .iter()
        .any(|(f, _)| keys.iter().any(|k| *f == name(1, k)))
    {
        return;
    }
    let mut rows: Vec<Vec<(&str, toml_edit::Value)>> = Vec::new();
    for n in 1..=MAX_ROWS {
        let row: Vec<(&str, toml_edit::Value)> = keys
            .iter()
            .filter_map(|k| {
                let text = field(fields, &name(n, k))?;
                (!text.trim().is_empty()).then(|| (*k, typed(k, text, LIST_KEYS.contains(k))))
            })
            .collect();
        if !row.is_empty() {
            rows.push(row);
        }
    }
    // Rows as they were: the file is left as it was written.
    let full = match parent {
        Some(p) => format!("{p}.{key}"),
        None => key.to_string(),
    };
    let before: BTreeMap<String, String> = own_values(doc)
        .into_iter()
        .filter(|(k, _)| k.starts_with(&format!("{full}[")))
        .collect();
    let after: BTreeMap<String, String> = rows
        .iter()
        .enumerate()
        .flat_map(|(i, row)| {
            let full = &full;
            row.iter()
                .map(move |(k, v)| (format!("{full}[{}].{k}", i + 1), plain(v)))
        })
        .collect();
    if before == after {
        return;
    }
    let target: &mut Item = match parent {
        Some(p) => {
            let table = table_of(doc, p);
            &mut table[key]
        }
        None => &mut doc[key],
    };
    let inline = matches!(target, Item::Value(_));
    *target = if rows.is_empty() {
        Item::None
    } else if inline {
        // Written as it was: a list of `{ … }` on one line each.
        let mut array = toml_edit::Array::new();
        for row in rows {
            let mut table = toml_edit::InlineTable::new();
            for (k, v) in row {
                table.insert(k, v);
            }
            array.push(table);
        }
        for value in array.iter_mut() {
            value.decor_mut().set_prefix("\n    ");
        }
        array.set_trailing("\n");
        array.set_trailing_comma(true);
        Item::Value(toml_edit::Value::Array(array))
    } else {
        let mut tables = toml_edit::ArrayOfTables::new();
        for row in rows {
            let mut table = Table::new();
            for (k, v) in row {
                table[k] = value(v);
            }
            tables.push(table);
        }
        Item::ArrayOfTables(tables)
    };
}

/// Checks a config's text as `check` would, in the folder it will be in
/// (so `extends` and `logo` are found as they will be): the practice, or
/// every problem. Nothing is left behind.
fn check_text(
    folder: &Path,
    text: &str,
) -> anyhow::Result<(PathBuf, Result<Practice, Vec<Diagnostic>>)> {
    use std::io::Write as _;
    let mut temp = tempfile::Builder::new()
        .prefix(".policypack-form-")
        .suffix(".toml")
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    temp.write_all(text.as_bytes())?;
    temp.flush()?;
    let path = temp.path().to_path_buf();
    let result = crate::config::load(&path);
    Ok((path, result))
}

/// `POST /practices`: a new config, written only when `check` finds no
/// error and the person has seen what it will be.
pub async fn create(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    Form(fields): Form<Fields>,
) -> Response {
    if !app.csrf_ok(&who, field(&fields, "csrf")) {
        return pages::bad_form();
    }
    if !who.sees_all() {
        return pages::forbidden();
    }
    submit(app, who, fields, None).await
}

/// `POST /practices/{slug}`: saves an edit.
pub async fn save(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    UrlPath(slug): UrlPath<String>,
    Form(fields): Form<Fields>,
) -> Response {
    if !app.csrf_ok(&who, field(&fields, "csrf")) {
        return pages::bad_form();
    }
    let path = match find_config(&app, &who, &slug).await {
        Ok(path) => path,
        Err(response) => return response,
    };
    submit(app, who, fields, Some((slug, path))).await
}

/// What a submitted form comes to.
enum Submitted {
    /// Shown again, with problems beside their fields (or what changed
    /// since it was opened).
    Form(tera::Context, StatusCode),
    /// What saving will change, to confirm.
    Review(tera::Context),
    /// Saved: the practice's page.
    Saved(String),
    Failed(String),
}

async fn submit(
    app: Arc<App>,
    who: Who,
    fields: Fields,
    editing: Option<(String, PathBuf)>,
) -> Response {
    // Saves, like builds, happen one at a time, under the output folder's
    // lock, so a build never reads a config half-way through an edit.
    let _one_at_a_time = app.building.lock().await;
    let app2 = app.clone();
    let sees_all = who.sees_all();
    let result = blocking(move || submit_blocking(&app2, &fields, editing, sees_all)).await;
    let result = match result {
        Ok(result) => result,
        Err(response) => return response,
    };
    match result {
        Submitted::Form(mut context, status) => {
            context.insert("csrf", &app.csrf(&who));
            app.pages.page(status, "form.html", &context)
        }
        Submitted::Review(mut context) => {
            context.insert("csrf", &app.csrf(&who));
            app.pages.page(StatusCode::OK, "changes.html", &context)
        }
        Submitted::Saved(slug) => {
            Redirect::to(&format!("/practices/{slug}?saved=1")).into_response()
        }
        Submitted::Failed(problem) => pages::failed(&problem),
    }
}

fn submit_blocking(
    app: &App,
    fields: &Fields,
    editing: Option<(String, PathBuf)>,
    sees_all: bool,
) -> Submitted {
    let (folder, old_text, old_practice) = match &editing {
        Some((_, path)) => {
            let text = match read_config(path) {
                Ok(text) => text,
                Err(problem) => return Submitted::Failed(problem),
            };
            (
                path.parent().unwrap_or(Path::new(".")).to_path_buf(),
                text,
                crate::config::load(path).ok(),
            )
        }
        None => {
            let shared = shared_files(&app.dir);
            let extends = field(fields, "extends").filter(|e| shared.contains(&e.to_string()));
            let text = extends
                .map(|e| format!("extends = {}\n", toml_edit::Value::from(e)))
                .unwrap_or_default();
            (app.dir.clone(), text, None)
        }
    };
    let base = field(fields, "base").unwrap_or("").to_string();
    let now = crate::utils::sha256(old_text.as_bytes());
    let mut doc: DocumentMut = match old_text.parse() {
        Ok(doc) => doc,
        Err(e) => return Submitted::Failed(format!("the config cannot be read as TOML: {e}")),
    };
    let before = own_values(&doc);
    apply(&mut doc, fields);
    let text = doc.to_string();
    let extends = doc
        .get("extends")
        .and_then(Item::as_str)
        .map(str::to_string);
    let form_view = |problems: Vec<Shown>, notes: Vec<String>, base: String| FormView {
        action: match &editing {
            Some((slug, _)) => format!("/practices/{slug}"),
            None => "/practices".into(),
        },
        slug: editing.as_ref().map(|(slug, _)| slug.clone()),
        base,
        shared: if editing.is_none() {
            shared_files(&app.dir)
        } else {
            Vec::new()
        },
        extends: extends.clone(),
        notes,
        doc: doc.clone(),
        folder: folder.clone(),
        config: editing.as_ref().map(|(_, path)| path.clone()),
        problems,
    };
    // Someone saved this practice since the form was opened: nothing is
    // lost; the form comes back with this person's values, and what the
    // other save changed is named.
    if editing.is_some() && base != now {
        let saved = own_values(&old_text.parse::<DocumentMut>().unwrap_or_default());
        let mine = own_values(&doc);
        let mut notes = vec![
            "Someone else saved this practice's details after you opened this form. Your changes are not saved yet. Check the values below, then save again."
                .to_string(),
        ];
        for key in saved
            .keys()
            .chain(mine.keys())
            .collect::<std::collections::BTreeSet<_>>()
        {
            let (theirs, yours) = (saved.get(key), mine.get(key));
            if theirs != yours {
                notes.push(format!(
                    "{key}: saved by them as \"{}\"; yours is \"{}\"",
                    theirs.map_or("", String::as_str),
                    yours.map_or("", String::as_str)
                ));
            }
        }
        let view = form_view(Vec::new(), notes, now);
        return Submitted::Form(view.context(app), StatusCode::CONFLICT);
    }
    // A logo is a file on the LMC's computer: a practice's link may keep
    // the one its config names, but not name another, or it could publish
    // any picture the web app can read.
    let logo = |values: &BTreeMap<String, String>| values.get("branding.logo").cloned();
    if !sees_all && logo(&own_values(&doc)) != logo(&before) {
        let problem = Shown {
            key: Some("branding.logo".into()),
            message: "a logo can be changed only by your LMC".into(),
            hint: Some(
                "send your logo (PNG or JPEG) to your LMC, and leave this field as it was".into(),
            ),
            warning: false,
            elsewhere: None,
        };
        let view = form_view(vec![problem], Vec::new(), now);
        return Submitted::Form(view.context(app), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (temp_path, checked) = match check_text(&folder, &text) {
        Ok(checked) => checked,
        Err(error) => return Submitted::Failed(format!("{error:#}")),
    };
    let practice = match checked {
        Ok(practice) => practice,
        Err(problems) => {
            let shown = for_form(&problems, &temp_path);
            let view = form_view(shown, Vec::new(), now);
            return Submitted::Form(view.context(app), StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    // A new config's file is named by its slug, and no other config below
    // the served folder may have that slug (build would refuse both).
    let target = match &editing {
        Some((_, path)) => path.clone(),
        None => {
            let target = app.dir.join(format!("{}.toml", practice.slug));
            let loader = crate::config::Loader::default();
            let clash = crate::pack::discover::practice_files(std::slice::from_ref(&app.dir))
                .unwrap_or_default()
                .iter()
                .filter_map(|p| crate::config::load_with(p, &loader).ok())
                .any(|p| p.slug == practice.slug);
            if target.exists() || clash {
                let problem = Shown {
                    key: Some("practice.slug".into()),
                    message: format!(
                        "another practice already uses the folder name \"{}\"",
                        practice.slug
                    ),
                    hint: Some(
                        "add the town to the name, or give a folder name (slug) of your own, e.g. \"the-surgery-bentley\"".into(),
                    ),
                    warning: false,
                    elsewhere: None,
                };
                let view = form_view(vec![problem], Vec::new(), now);
                return Submitted::Form(view.context(app), StatusCode::UNPROCESSABLE_ENTITY);
            }
            target
        }
    };
    let after = own_values(&doc);
    if field(fields, "step") != Some("save") {
        let warnings: Vec<Shown> = practice
            .warnings
            .iter()
            .map(|p| shown(p, &temp_path))
            .collect();
        let mut context = tera::Context::new();
        context.insert("title", &format!("Check and save: {}", practice.name()));
        context.insert(
            "action",
            &form_view(Vec::new(), Vec::new(), now.clone()).action,
        );
        context.insert("new", &editing.is_none());
        context.insert("file", &super::practices::shown_file(app, &target));
        // What will print differently: the values a build uses, inherited
        // ones too (a list of the practice's own replaces the LMC's whole
        // list), as the change report after saving will name them. A new
        // config, or one that no longer loads, has only its own.
        let (before, after) = match &old_practice {
            Some(old) => (merged_values(old), merged_values(&practice)),
            None => (before, after),
        };
        let changed: Vec<Json> = before
            .keys()
            .chain(after.keys())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| json!({ "key": k, "old": before.get(k), "new": after.get(k) }))
            .collect();
        context.insert("changed", &changed);
        context.insert(
            "documents",
            &reprints(app, old_practice.as_ref(), &practice),
        );
        context.insert(
            "warnings",
            &warnings.iter().map(problem_json).collect::<Vec<_>>(),
        );
        let hidden: Vec<Json> = fields
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "step" | "base"))
            .map(|(k, v)| json!({ "name": k, "value": v }))
            .collect();
        context.insert("hidden", &hidden);
        context.insert("base", &now);
        return Submitted::Review(context);
    }
    let written = match &editing {
        Some((_, path)) => write_edit(path, &text),
        None => write_new(&target, &text),
    };
    match written {
        Ok(()) => Submitted::Saved(practice.slug.clone()),
        Err(error) => Submitted::Failed(format!("{error:#}")),
    }
}

/// Which documents would print differently, and so must be reprinted (the
/// notice and leaflet) or read and signed again (the handbook).
fn reprints(app: &App, old: Option<&Practice>, new: &Practice) -> Vec<Json> {
    // The templates the practice's shared file chooses, as kept for the
    // reply page while they are unchanged.
    let Ok(loaded) = app.rules.get(new.templates.as_deref()) else {
        return Vec::new();
    };
    let templates = &loaded.templates;
    let reference = |practice: &Practice, kind: DocKind| -> Option<String> {
        let presentation = crate::render::Presentation::of(practice).ok()?;
        content::render(practice, kind, templates, &presentation.shown())
            .ok()
            .map(|doc| doc.reference.code().to_string())
    };
    DocKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let now = reference(new, kind);
            let before = old.and_then(|old| reference(old, kind));
            (old.is_none() || now != before).then(|| {
                json!({
                    "title": kind.title(),
                    "action": if kind == DocKind::Handbook {
                        "staff read and sign the new version"
                    } else {
                        "print new copies and replace the old ones"
                    },
                    "old": before,
                    "new": now,
                })
            })
        })
        .collect()
}

/// Replaces a config whole or not at all, keeping its permissions, if it
/// is still the file that was checked.
fn write_edit(path: &Path, text: &str) -> anyhow::Result<()> {
    let meta = std::fs::symlink_metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    // As `import --update`: another user's config, rewritten by a web app
    // not run as root, would become the web app's, and `build` would take
    // it for another practice's config.
    {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        anyhow::ensure!(
            me == 0 || meta.uid() == me,
            "this config belongs to another user on the LMC's computer, and saving it here would make it the web app's; ask your LMC to make the change"
        );
    }
    crate::utils::fs::atomic_replacing(path, text.as_bytes(), &meta)
}

/// Writes a new config, never over another file.
fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::PermissionsExt as _;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".policypack-")
        .suffix(".tmp")
        // As `cp` would: 0666 less the umask.
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}

/// `POST /practices/{slug}/logo`: a logo uploaded from the form, checked
/// as `check` checks a logo (PNG or JPEG, its size, its pixels, a PNG
/// that decodes), saved beside the config as `<config file name>-logo.png`
/// (or `.jpg`), and named in the config's `[branding]`. The practice's page
/// then rebuilds, and the change report asks for the reprint.
pub async fn upload_logo(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    UrlPath(slug): UrlPath<String>,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let mut csrf = None;
    let mut bytes = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(part)) => match part.name() {
                Some("csrf") => csrf = part.text().await.ok(),
                Some("logo") => bytes = part.bytes().await.ok(),
                _ => {}
            },
            Ok(None) => break,
            Err(error) => {
                let status = error.status();
                return app.pages.message(
                    status,
                    "The logo could not be read",
                    &format!(
                        "The upload stopped or was too large ({}). A logo can be at most {} MB.",
                        error.body_text(),
                        crate::config::MAX_LOGO_BYTES / 1024 / 1024
                    ),
                );
            }
        }
    }
    if !app.csrf_ok(&who, csrf.as_deref()) {
        return pages::bad_form();
    }
    let path = match find_config(&app, &who, &slug).await {
        Ok(path) => path,
        Err(response) => return response,
    };
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return app.pages.message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a logo first",
            "Choose the logo file (PNG or JPEG) on your computer, then upload it.",
        );
    };
    let _one_at_a_time = app.building.lock().await;
    let saved = blocking(move || save_logo(&path, &bytes)).await;
    match saved {
        Ok(Ok(slug)) => Redirect::to(&format!("/practices/{slug}?saved=1")).into_response(),
        Ok(Err((message, hint))) => app.pages.message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This logo cannot be used",
            &format!("{message}. {hint}"),
        ),
        Err(response) => response,
    }
}

/// Checks an uploaded logo, writes it beside the config and names it
/// there: the practice's slug, or what is wrong and what to do.
fn save_logo(config: &Path, bytes: &[u8]) -> Result<String, (String, String)> {
    use std::io::Write as _;
    let io = |error: anyhow::Error| {
        (
            format!("{error:#}"),
            "try again, or ask your LMC".to_string(),
        )
    };
    let folder = config.parent().unwrap_or(Path::new(".")).to_path_buf();
    let text = read_config(config).map_err(|e| (e, "ask your LMC to check the config".into()))?;
    let mut doc: DocumentMut = text.parse().map_err(|e| {
        (
            format!("the config cannot be read as TOML: {e}"),
            "ask your LMC to check the config".to_string(),
        )
    })?;
    let mut temp = tempfile::Builder::new()
        .prefix(".policypack-logo-")
        .tempfile_in(&folder)
        .map_err(|e| io(e.into()))?;
    temp.write_all(bytes).map_err(|e| io(e.into()))?;
    // The same checks as `check` makes of a logo it is given.
    let logo = crate::config::read_logo(temp.path(), None).map_err(|problem| {
        (
            problem
                .message
                .replace(&temp.path().display().to_string(), "the logo"),
            problem.hint,
        )
    })?;
    // Named after the config's file, which the LMC named, never after the
    // slug, which the practice chooses: one practice's slug must not make
    // its logo land on another's, or on the LMC's.
    let stem = config
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("practice");
    let name = format!("{stem}-logo.{}", if logo.png { "png" } else { "jpg" });
    let target = folder.join(&name);
    // A file already there is replaced only when it is this config's own
    // logo (named in its own file, not inherited), written as a file.
    if let Ok(old) = std::fs::symlink_metadata(&target) {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let own = doc
            .get("branding")
            .and_then(|b| b.get("logo"))
            .and_then(Item::as_str)
            == Some(name.as_str());
        if !own || !old.is_file() || (me != 0 && old.uid() != me) {
            return Err((
                format!("{name} is already there and is not this practice's logo to replace"),
                "ask your LMC to remove or rename it".into(),
            ));
        }
    }
    {
        use std::os::unix::fs::PermissionsExt as _;
        // Readable by whoever reads the documents it goes into.
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| io(e.into()))?;
    }
    table_of(&mut doc, "branding")["logo"] = value(name.as_str());
    let new_text = doc.to_string();
    // The config is checked with the logo in place; if it does not pass,
    // the logo that was there before is put back.
    let before = std::fs::read(&target).ok();
    temp.persist(&target).map_err(|e| io(e.error.into()))?;
    let put_back = || match &before {
        Some(old) => {
            let _ = crate::utils::fs::atomic(&target, old);
        }
        None => {
            let _ = std::fs::remove_file(&target);
        }
    };
    let checked = match check_text(&folder, &new_text) {
        Ok((_, checked)) => checked,
        Err(error) => {
            put_back();
            return Err(io(error));
        }
    };
    let practice = match checked {
        Ok(practice) => practice,
        Err(problems) => {
            put_back();
            let first = problems.iter().find(|p| !p.is_warning());
            return Err((
                first.map_or("the config does not pass check".into(), |p| {
                    p.message.clone()
                }),
                first.and_then(|p| p.hint.clone()).unwrap_or_default(),
            ));
        }
    };
    if let Err(error) = write_edit(config, &new_text) {
        put_back();
        return Err(io(error));
    }
    Ok(practice.slug.clone())
}
