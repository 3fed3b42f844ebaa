//! `/reply`: the page reception uses every day. Paste the review and the
//! draft; "Check my reply" runs `reply check` and marks the words to
//! change, "Suggest a reply" runs `reply draft` or says who must read the
//! review today.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;

use super::{App, Who, blocking, pages};
use crate::cmd::reply::{Drafted, drafted};
use crate::config::Practice;
use crate::content::Templates;
use crate::content::templates::Trust;
use crate::diagnostics::Severity;
use crate::reply::check::{self, Context};
use crate::reply::rules::Rules;

/// As `reply check`: a review is a few hundred words.
const MAX_TEXT: usize = 64 * 1024;

#[derive(Deserialize, Default)]
pub struct Fields {
    practice: Option<String>,
    #[serde(default)]
    review: String,
    #[serde(default)]
    draft: String,
    action: Option<String>,
    csrf: Option<String>,
}

#[derive(Deserialize)]
pub struct Chosen {
    practice: Option<String>,
}

/// `GET /reply`: the empty form (the practice chosen when the link says).
pub async fn page(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    Query(chosen): Query<Chosen>,
) -> Response {
    let fields = Fields {
        practice: chosen.practice,
        ..Fields::default()
    };
    render(&app, &who, &fields, None, StatusCode::OK).await
}

/// `POST /reply`: check the draft, or suggest one.
pub async fn submit(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Who>,
    Form(fields): Form<Fields>,
) -> Response {
    if !app.csrf_ok(&who, fields.csrf.as_deref()) {
        return pages::bad_form();
    }
    let Some(slug) = fields.practice.clone().filter(|s| !s.is_empty()) else {
        let outcome = Outcome::Problem("Choose your practice first.".into());
        return render(
            &app,
            &who,
            &fields,
            Some(outcome),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let practice = match super::practices::find(&app, &who, &slug).await {
        Ok(practice) => practice,
        Err(response) => return response,
    };
    if fields.review.len() > MAX_TEXT || fields.draft.len() > MAX_TEXT {
        let outcome = Outcome::Problem(format!(
            "The review and the draft can each be at most {} KB. Paste only the review you are answering.",
            MAX_TEXT / 1024
        ));
        return render(
            &app,
            &who,
            &fields,
            Some(outcome),
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    }
    let action = fields.action.clone().unwrap_or_default();
    let review = fields.review.clone();
    let draft = fields.draft.clone();
    let app2 = app.clone();
    let outcome = blocking(move || run(&app2, &practice, &action, &review, &draft)).await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(response) => return response,
    };
    let status = match &outcome {
        Outcome::Problem(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    render(&app, &who, &fields, Some(outcome), status).await
}

/// What a check or a draft came to, ready for the page.
enum Outcome {
    /// A mistake in the form: said at the top.
    Problem(String),
    Checked {
        /// The draft in pieces, marked where a finding is.
        pieces: Vec<serde_json::Value>,
        findings: Vec<serde_json::Value>,
        errors: usize,
        warnings: usize,
        rules: String,
    },
    Hold {
        held: Vec<serde_json::Value>,
        who: String,
        urgency: String,
        contacts: Vec<String>,
    },
    Drafted {
        title: String,
        text: String,
    },
}

/// Templates and their reply rules, parsed once per templates folder and
/// used again while the folder and every file in it are as they were (the
/// same files, sizes, times, owners and modes, and the same folders above
/// it): parsing them for every check would take most of its time.
#[derive(Default)]
pub struct Cache {
    loaded: std::sync::Mutex<HashMap<Option<PathBuf>, Kept>>,
}

/// What a templates folder was (its signature) when it was loaded.
type Kept = (Vec<u64>, Arc<Loaded>);

pub struct Loaded {
    pub(super) templates: Templates,
    rules: Rules,
}

/// The most files a templates folder's signature reads.
const MAX_SIGNED: usize = 2_000;

/// What a templates folder is now: for it and each folder above it, and
/// each file below it, its identity, size, times, owner and mode. `None`
/// when any of them cannot be read (then nothing is reused).
fn signature(folder: &Path) -> Option<Vec<u64>> {
    let mut signed = Vec::new();
    let mut add = |meta: &std::fs::Metadata| super::signed(&mut signed, meta);
    let absolute = std::path::absolute(folder).ok()?;
    for above in absolute.ancestors() {
        add(&std::fs::symlink_metadata(above).ok()?);
    }
    let mut stack = vec![absolute];
    let mut count = 0;
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .ok()?
            .collect::<Result<_, _>>()
            .ok()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            count += 1;
            if count > MAX_SIGNED {
                return None;
            }
            let meta = std::fs::symlink_metadata(entry.path()).ok()?;
            add(&meta);
            if meta.is_dir() {
                stack.push(entry.path());
            }
        }
    }
    Some(signed)
}

impl Cache {
    /// The templates a practice's shared file chooses, and their rules.
    pub(super) fn get(&self, folder: Option<&Path>) -> anyhow::Result<Arc<Loaded>> {
        let key = folder.map(Path::to_path_buf);
        let now = match folder {
            None => Some(Vec::new()),
            Some(folder) => signature(folder),
        };
        if let Some(now) = &now
            && let Ok(loaded) = self.loaded.lock()
            && let Some((was, kept)) = loaded.get(&key)
            && was == now
        {
            return Ok(kept.clone());
        }
        let templates = Templates::load_as(folder, Trust::Shared)?;
        let rules = templates.reply_rules()?;
        let fresh = Arc::new(Loaded { templates, rules });
        if let Some(now) = now
            && let Ok(mut loaded) = self.loaded.lock()
        {
            // An LMC has a few templates folders; a folder gone stays until
            // the web app restarts.
            loaded.insert(key, (now, fresh.clone()));
        }
        Ok(fresh)
    }
}

fn run(app: &App, practice: &Practice, action: &str, review: &str, draft: &str) -> Outcome {
    let loaded = match app.rules.get(practice.templates.as_deref()) {
        Ok(loaded) => loaded,
        Err(error) => {
            return Outcome::Problem(format!(
                "The practice's templates or reply rules cannot be used: {error:#}"
            ));
        }
    };
    let (templates, rules) = (&loaded.templates, &loaded.rules);
    let review = (!review.trim().is_empty()).then_some(review);
    match action {
        "check" => {
            if draft.trim().is_empty() {
                return Outcome::Problem(
                    "Paste your draft reply into \"Your draft reply\" first.".into(),
                );
            }
            let public = match templates.nation(practice.nation()) {
                Ok(nation) => nation.public_contacts(),
                Err(error) => return Outcome::Problem(format!("{error:#}")),
            };
            let context = Context {
                practice,
                review,
                reviewer: None,
                public: &public,
            };
            let mut found = check::check(rules, draft, &context);
            found.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
            let values = crate::content::context::reply_values(practice, false);
            let errors = found
                .iter()
                .filter(|f| f.rule.severity == Severity::Error)
                .count();
            let findings = found
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    serde_json::json!({
                        "number": i + 1,
                        "error": f.rule.severity == Severity::Error,
                        "rule": f.rule.id,
                        "message": f.rule.message,
                        "why": f.rule.why,
                        "hint": crate::reply::model::fill_text(&f.rule.hint, &values),
                        "words": &draft[f.span.clone()],
                    })
                })
                .collect();
            Outcome::Checked {
                pieces: pieces(draft, &found),
                findings,
                errors,
                warnings: found.len() - errors,
                rules: rules.origin.clone(),
            }
        }
        "draft" => match drafted(rules, templates, practice, review, None) {
            Err(_) => Outcome::Problem(
                "Paste the review first: a reply is suggested from what the review says.".into(),
            ),
            Ok(Drafted::Hold { held, contacts }) => Outcome::Hold {
                who: held[0].who.clone(),
                urgency: held[0].urgency.key().to_string(),
                held: held
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "urgency": e.urgency.key(),
                            "reason": e.reason,
                            "tell": e.tell,
                        })
                    })
                    .collect(),
                contacts,
            },
            Ok(Drafted::Fails { title, .. }) => Outcome::Problem(format!(
                "The model reply \"{title}\" fails the reply check, so it is not suggested. Ask whoever looks after your templates to correct model-replies.toml."
            )),
            Ok(Drafted::Reply { title, text, .. }) => Outcome::Drafted { title, text },
        },
        _ => Outcome::Problem("Choose \"Check my reply\" or \"Suggest a reply\".".into()),
    }
}

/// The draft cut into plain and marked pieces: each finding's words are
/// marked once, with the number of the first finding that covers them.
fn pieces(draft: &str, findings: &[check::Finding<'_>]) -> Vec<serde_json::Value> {
    let mut pieces = Vec::new();
    let mut at = 0;
    let whole = draft.trim();
    for (i, finding) in findings.iter().enumerate() {
        // A finding about the draft as a whole (no thanks, too long) is
        // in the list, not marked over every word.
        if draft[finding.span.clone()].trim() == whole {
            continue;
        }
        let start = finding.span.start.max(at);
        let end = finding.span.end;
        if start >= end {
            continue;
        }
        if start > at {
            pieces.push(serde_json::json!({ "text": &draft[at..start] }));
        }
        pieces.push(serde_json::json!({
            "text": &draft[start..end],
            "mark": i + 1,
            "error": finding.rule.severity == Severity::Error,
        }));
        at = end;
    }
    pieces.push(serde_json::json!({ "text": &draft[at..] }));
    pieces
}

async fn render(
    app: &Arc<App>,
    who: &Who,
    fields: &Fields,
    outcome: Option<Outcome>,
    status: StatusCode,
) -> Response {
    // The practices this person may choose: their own, or every one.
    let choices: Vec<serde_json::Value> = match who {
        Who::Practice { config, .. } => {
            let config = config.clone();
            let app2 = app.clone();
            blocking(move || app2.load(&config))
                .await
                .ok()
                .flatten()
                .filter(|p| who.may_open(&p.path, &super::Seen::of(p)))
                .map(|p| vec![serde_json::json!({ "slug": p.slug, "name": p.name() })])
                .unwrap_or_default()
        }
        // Each slug once, with the practice it opens (as `find` decides
        // whose it is): a config claiming another's slug is not listed
        // under its own name with the other's settings.
        _ => {
            let mut found: Vec<(String, String)> = super::practices::owners(app)
                .await
                .unwrap_or_default()
                .into_values()
                .map(|p| (p.name().to_string(), p.slug.clone()))
                .collect();
            found.sort();
            found
                .into_iter()
                .map(|(name, slug)| serde_json::json!({ "slug": slug, "name": name }))
                .collect()
        }
    };
    let chosen = match who {
        Who::Practice { .. } => choices
            .first()
            .and_then(|c| c["slug"].as_str())
            .map(str::to_string),
        _ => fields.practice.clone(),
    };
    let mut context = tera::Context::new();
    context.insert("title", "Reply to a review");
    context.insert("sees_all", &who.sees_all());
    context.insert("csrf", &app.csrf(who));
    context.insert("choices", &choices);
    context.insert("chosen", &chosen);
    context.insert("review", &fields.review);
    context.insert("draft", &fields.draft);
    match outcome {
        None => {}
        Some(Outcome::Problem(problem)) => context.insert("problem", &problem),
        Some(Outcome::Checked {
            pieces,
            findings,
            errors,
            warnings,
            rules,
        }) => {
            context.insert("checked", &true);
            context.insert("pieces", &pieces);
            context.insert("findings", &findings);
            context.insert("errors", &errors);
            context.insert("warnings", &warnings);
            context.insert("rules", &rules);
        }
        Some(Outcome::Hold {
            held,
            who,
            urgency,
            contacts,
        }) => {
            context.insert("hold", &held);
            context.insert("hold_who", &who);
            context.insert("hold_urgency", &urgency);
            context.insert("contacts", &contacts);
        }
        Some(Outcome::Drafted { title, text }) => {
            context.insert("drafted_title", &title);
            context.insert("drafted", &text);
        }
    }
    app.pages.page(status, "reply.html", &context)
}
