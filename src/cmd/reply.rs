//! `policypack reply check` and `reply draft`: the daily act of replying
//! in public to a post about the practice.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde_json::json;

use crate::Outcome;
use crate::cli::{GlobalArgs, MessageFormat, ReplyCheckArgs, ReplyDraftArgs};
use crate::config::Practice;
use crate::content::Templates;
use crate::content::templates::Trust;
use crate::diagnostics::{ERROR, HINT, Severity, SourceFile, WARNING};
use crate::reply::check::{self, Context, Finding};
use crate::reply::draft::{self, Decision};
use crate::reply::rules::Escalation;

/// The most a draft or a review may hold: a review is a few hundred words.
const MAX_TEXT: u64 = 64 * 1024;

pub fn check(args: &ReplyCheckArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let Some(practice) = load_practice(&args.config, global) else {
        return Ok(Outcome::IoProblems);
    };
    let templates = templates(args.templates.as_deref(), &practice)?;
    let rules = templates.reply_rules()?;
    let draft = read_text(&args.draft, "draft reply")?;
    if draft.trim().is_empty() {
        bail!(
            "the draft reply {} is empty",
            shown_path(&args.draft).display()
        );
    }
    if args.review.as_deref() == Some(Path::new("-")) && args.draft == Path::new("-") {
        bail!(
            "the draft and the review cannot both come from standard input; give the review as a file"
        );
    }
    let review = read_review(args.review.as_deref())?;
    let public = templates.nation(practice.nation())?.public_contacts();
    let context = Context {
        practice: &practice,
        review: review.as_deref(),
        reviewer: args.reviewer.as_deref(),
        public: &public,
    };
    let findings = check::check(&rules, &draft, &context);
    let file = SourceFile::new(shown_path(&args.draft), draft);
    print_findings(&findings, &file, &practice, global);
    let errors = findings
        .iter()
        .filter(|f| f.rule.severity == Severity::Error)
        .count();
    if global.message_format == MessageFormat::Human && !global.quiet {
        let warnings = findings.len() - errors;
        anstream::eprintln!("{}", summary(errors, warnings));
    }
    if !global.quiet {
        // Which rules judged it, so a pass under an LMC's override is seen
        // to be one.
        anstream::eprintln!("rules: {}", rules.origin);
    }
    Ok(if errors > 0 {
        Outcome::InputProblems
    } else {
        Outcome::Success
    })
}

/// What `reply draft` comes to, for the command line and the web app.
pub enum Drafted<'r> {
    /// A person must read the review: these reasons, most urgent first,
    /// and whom to ask for advice.
    Hold {
        held: Vec<&'r Escalation>,
        contacts: Vec<String>,
    },
    /// The model reply, filled in for the practice, passing `reply check`.
    Reply {
        kind: &'static str,
        title: String,
        /// Which of the model's wordings, from 1.
        wording: usize,
        text: String,
    },
    /// An edited model reply that fails `reply check`: handed to no one.
    Fails {
        title: String,
        wording: usize,
        text: String,
    },
}

/// Decides what to do about a review (or a `kind` staff chose) and fills
/// the model reply in, checking it as `reply check` would.
pub fn drafted<'r>(
    rules: &'r crate::reply::rules::Rules,
    templates: &Templates,
    practice: &Practice,
    review: Option<&str>,
    kind: Option<draft::Kind>,
) -> anyhow::Result<Drafted<'r>> {
    // A review that needs a person is never answered, whatever --kind says.
    let from_review = review.map(|r| draft::decide(rules, r));
    let decision = match (from_review, kind) {
        (Some(held @ Decision::Hold(_)), _) => held,
        (_, Some(kind)) => draft::for_kind(rules, kind),
        (Some(suggested), None) => suggested,
        (None, None) => {
            bail!("say what kind of review this is with --kind, or give the review with --review")
        }
    };
    let kind = match decision {
        Decision::Hold(held) => {
            let contacts = hold_contacts(&held, practice);
            return Ok(Drafted::Hold { held, contacts });
        }
        Decision::Reply(kind) => kind,
    };
    let model = templates
        .replies()
        .get(kind)
        .with_context(|| format!("model-replies.toml has no reply of kind \"{kind}\""))?;
    let wording = draft::wording(review, model.wordings());
    let reply = model.fill_wording(
        &crate::content::context::reply_values(practice, false),
        wording,
    );
    let text = reply.text();
    // Every draft must pass the checker; an edited model reply that does
    // not is reported rather than handed to staff.
    // Checked on its own: words the review happens to share with a model
    // reply are not the reply's fault.
    let public = templates.nation(practice.nation())?.public_contacts();
    let context = Context {
        practice,
        review: None,
        reviewer: None,
        public: &public,
    };
    let findings = check::check(rules, &text, &context);
    if findings.iter().any(|f| f.rule.severity == Severity::Error) {
        return Ok(Drafted::Fails {
            title: reply.title,
            wording: wording + 1,
            text,
        });
    }
    Ok(Drafted::Reply {
        kind,
        title: reply.title,
        wording: wording + 1,
        text,
    })
}

pub fn draft(args: &ReplyDraftArgs, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let Some(practice) = load_practice(&args.config, global) else {
        return Ok(Outcome::IoProblems);
    };
    let templates = templates(args.templates.as_deref(), &practice)?;
    let rules = templates.reply_rules()?;
    let review = read_review(args.review.as_deref())?;
    let (kind, title, wording, text) = match drafted(
        &rules,
        &templates,
        &practice,
        review.as_deref(),
        args.kind,
    )? {
        Drafted::Hold { held, contacts } => {
            print_hold(&held, &contacts, global);
            return Ok(Outcome::InputProblems);
        }
        Drafted::Fails {
            title,
            wording,
            text,
        } => {
            let public = templates.nation(practice.nation())?.public_contacts();
            let context = Context {
                practice: &practice,
                review: None,
                reviewer: None,
                public: &public,
            };
            let findings = check::check(&rules, &text, &context);
            let file = SourceFile::new(PathBuf::from(format!("model reply \"{title}\"")), text);
            print_findings(&findings, &file, &practice, global);
            bail!(
                "the model reply \"{title}\" (wording {wording}) fails reply check; correct it in model-replies.toml"
            );
        }
        Drafted::Reply {
            kind,
            title,
            wording,
            text,
        } => (kind, title, wording, text),
    };
    if global.message_format == MessageFormat::Json {
        println!(
            "{}",
            json!({ "kind": kind, "title": title, "wording": wording, "reply": text })
        );
    } else {
        if args.kind.is_none() && !global.quiet {
            anstream::eprintln!(
                "{HINT}note{HINT:#}: the review reads as {}: drafted reply {}. A second person reads it before it is posted.",
                article(kind),
                title
            );
        }
        print!("{text}");
    }
    Ok(Outcome::Success)
}

/// The review for `reply draft` or `reply check`, when one is given: an
/// empty one is a mistake (the wrong file, or nothing pasted), not a review.
fn read_review(path: Option<&Path>) -> anyhow::Result<Option<String>> {
    let Some(path) = path else {
        return Ok(None);
    };
    let review = read_text(path, "review")?;
    if review.trim().is_empty() {
        bail!(
            "the review {} is empty; paste the review into it, or leave out --review",
            shown_path(path).display()
        );
    }
    Ok(Some(review))
}

fn article(kind: &str) -> String {
    match kind {
        "positive" => "positive feedback".into(),
        "negative" => "negative feedback".into(),
        "complaint" => "a complaint".into(),
        "question" => "a question".into(),
        "mixed" => "praise and criticism together".into(),
        other => other.to_string(),
    }
}

/// Whom to ask for advice about a held review: the practice's LMC and
/// defence organisations, where the advice is theirs to give.
pub fn hold_contacts(held: &[&Escalation], practice: &Practice) -> Vec<String> {
    let c = &practice.config;
    let mut contacts = Vec::new();
    if held
        .iter()
        .any(|e| ["legal", "threat", "abusive", "regulator", "press"].contains(&e.kind.as_str()))
    {
        for contact in c.lmc.iter().chain(&c.defence_organisations) {
            let mut line = contact.name.clone();
            for detail in [&contact.phone, &contact.email].into_iter().flatten() {
                let _ = write!(line, ", {detail}");
            }
            contacts.push(line);
        }
    }
    contacts
}

/// Who must read a held review and what to do, most urgent first, with
/// whom to ask for advice.
fn print_hold(held: &[&Escalation], contacts: &[String], global: &GlobalArgs) {
    if global.message_format == MessageFormat::Json {
        let hold: Vec<_> = held
            .iter()
            .map(|e| {
                json!({
                    "kind": e.kind,
                    "urgency": e.urgency.key(),
                    "reason": e.reason,
                    "who": e.who,
                    "tell": e.tell,
                })
            })
            .collect();
        println!(
            "{}",
            json!({ "escalate": held[0].kind, "hold": hold, "contacts": contacts })
        );
        return;
    }
    let first = held[0];
    anstream::eprintln!(
        "{WARNING}no reply drafted{WARNING:#}: {} must read this review {}. Do not post a reply.",
        first.who,
        first.urgency.key(),
    );
    for e in held {
        anstream::eprintln!(
            "  {WARNING}{}{WARNING:#} ({}): {}",
            e.urgency.key(),
            e.reason,
            e.tell
        );
    }
    if !contacts.is_empty() {
        anstream::eprintln!("  For advice:");
        for contact in contacts {
            anstream::eprintln!("    {contact}");
        }
    }
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "nothing to change: the draft follows the guidance policypack checks".into(),
        (0, w) => format!(
            "{}: the draft can be posted, but read them first",
            plural(w, "warning")
        ),
        (e, w) => format!(
            "{} and {}: change the draft before it is posted",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

fn print_findings(
    findings: &[Finding<'_>],
    file: &SourceFile,
    practice: &Practice,
    global: &GlobalArgs,
) {
    let values = crate::content::context::reply_values(practice, false);
    let mut shown = 0;
    for finding in findings {
        let hint = crate::reply::model::fill_text(&finding.rule.hint, &values);
        if global.message_format == MessageFormat::Json {
            println!("{}", finding_json(finding, file, &hint));
        } else if !(global.quiet && finding.rule.severity == Severity::Warning) {
            shown += 1;
            if shown <= MAX_SHOWN {
                anstream::eprintln!("{}\n", render(finding, file, &hint));
            }
        }
    }
    if shown > MAX_SHOWN {
        anstream::eprintln!(
            "… and {} more findings; --message-format json lists every one\n",
            shown - MAX_SHOWN
        );
    }
}

/// One finding as JSON: rule, severity, line, column, end column (the
/// column after the last character), message, why, source, hint, text.
fn finding_json(finding: &Finding<'_>, file: &SourceFile, hint: &str) -> serde_json::Value {
    let (line, column) = file.line_col(finding.span.start);
    let (_, end_column) = file.line_col(last_on_line(file, finding));
    let rule = finding.rule;
    json!({
        "rule": rule.id,
        "severity": rule.severity,
        "file": file.path.display().to_string(),
        "line": line,
        "column": column,
        "end_column": end_column,
        "message": rule.message,
        "why": rule.why,
        "source": finding
            .rule
            .sources
            .iter()
            .map(|s| format!("{} <{}>", s.title, s.url))
            .collect::<Vec<_>>()
            .join("; "),
        "hint": hint,
        "text": &file.text[finding.span.clone()],
    })
}

/// Where the underline ends: the finding's end, or the end of its first
/// line (a `\r` of a Windows line end not counted).
fn last_on_line(file: &SourceFile, finding: &Finding<'_>) -> usize {
    let span = &file.text[finding.span.clone()];
    let line = &span[..span.find('\n').unwrap_or(span.len())];
    finding.span.start + line.trim_end_matches('\r').len()
}

/// The guidance a finding comes from, by title.
fn sources(finding: &Finding<'_>) -> String {
    finding
        .rule
        .sources
        .iter()
        .map(|s| s.title.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// `error[rule]: message`, where, the line with the words underlined, why
/// and a hint, coloured as cargo colours its messages.
/// How much of a long line is shown before and after a finding's start.
const WINDOW_BEFORE: usize = 40;
const WINDOW_AFTER: usize = 80;

/// The most findings printed for a person to read; JSON has every one.
const MAX_SHOWN: usize = 50;

fn render(finding: &Finding<'_>, file: &SourceFile, hint: &str) -> String {
    let rule = finding.rule;
    let (label, style) = match rule.severity {
        Severity::Error => ("error", ERROR),
        Severity::Warning => ("warning", WARNING),
    };
    let (line, column) = file.line_col(finding.span.start);
    let (_, end) = file.line_col(last_on_line(file, finding));
    let text = file.text.lines().nth(line - 1).unwrap_or("");
    let width = line.to_string().len();
    // A window of the line around the finding, not the whole of a long one.
    let chars: Vec<char> = text
        .chars()
        .map(|c| {
            if crate::diagnostics::is_unsafe(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let from = (column - 1).saturating_sub(WINDOW_BEFORE);
    let to = chars.len().min(column - 1 + WINDOW_AFTER);
    let mut shown: String = if from > 0 {
        "…".into()
    } else {
        String::new()
    };
    shown.extend(&chars[from.min(to)..to]);
    if to < chars.len() {
        shown.push('…');
    }
    let column_shown = column - from + usize::from(from > 0);
    let end = end.min(to + 1) - from + usize::from(from > 0);
    let mut out = String::new();
    let _ = write!(
        out,
        "{style}{label}[{}]{style:#}: {}\n {:>width$}--> {}:{line}:{column}\n {:>width$} |\n {line} | {shown}\n {:>width$} | {}{style}{}{style:#}",
        rule.id,
        rule.message,
        "",
        crate::diagnostics::printable(&file.path.display().to_string()),
        "",
        "",
        " ".repeat(column_shown - 1),
        "^".repeat(end.saturating_sub(column_shown).max(1)),
    );
    let _ = write!(out, "\n {:>width$} = why: {}", "", rule.why);
    let _ = write!(out, "\n {:>width$} = source: {}", "", sources(finding));
    let hint = crate::diagnostics::terminal_safe(hint);
    let _ = write!(out, "\n {:>width$} = {HINT}hint{HINT:#}: {hint}", "");
    out
}

/// The practice's config, or its problems printed (unusable: exit 2).
fn load_practice(path: &Path, global: &GlobalArgs) -> Option<Practice> {
    // As build and check: never through a link someone else made.
    if let Err(error) = crate::input::no_link_of_others(path) {
        anstream::eprintln!(
            "{ERROR}error{ERROR:#}: {}",
            crate::diagnostics::terminal_safe(&format!("{error:#}"))
        );
        return None;
    }
    match crate::config::load(path) {
        Ok(practice) => Some(practice),
        Err(problems) => {
            super::report::problems(&problems, global);
            anstream::eprintln!(
                "{ERROR}error{ERROR:#}: {} cannot be used until its errors are fixed",
                path.display()
            );
            None
        }
    }
}

/// `--templates`, or else those the practice's shared file chooses.
fn templates(option: Option<&Path>, practice: &Practice) -> anyhow::Result<Templates> {
    match option {
        Some(folder) => Templates::load(Some(folder)),
        None => Templates::load_as(practice.templates.as_deref(), Trust::Shared),
    }
}

/// A draft or review: a file, or `-` for standard input; bounded, UTF-8.
fn read_text(path: &Path, what: &str) -> anyhow::Result<String> {
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_TEXT + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        if bytes.len() as u64 > MAX_TEXT {
            bail!(
                "the {what} on standard input is larger than {} KB",
                MAX_TEXT / 1024
            );
        }
        bytes
    } else {
        crate::input::read_named(path, MAX_TEXT, what)?
    };
    String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "the {what} {} is not UTF-8 text; save it as UTF-8",
            shown_path(path).display()
        )
    })
}

fn shown_path(path: &Path) -> PathBuf {
    if path == Path::new("-") {
        PathBuf::from("<stdin>")
    } else {
        path.to_path_buf()
    }
}
