//! `policypack reply check` and `reply draft`, run as staff would run them:
//! a labelled corpus of drafts (recall on unsafe replies, false alarms on
//! safe ones), exit codes, JSON, the handbook's model replies for every
//! example practice, and drafting.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::Value;

use crate::cli::hostile_config;
use crate::harness::{Sandbox, example, repo};

#[derive(Deserialize)]
struct Corpus {
    reply: Vec<Labelled>,
}

#[derive(Deserialize)]
struct Labelled {
    text: String,
    expect: Vec<String>,
    review: Option<String>,
    reviewer: Option<String>,
    /// The practice's name, when the draft is for another practice than
    /// the example's.
    practice_name: Option<String>,
}

/// The findings `reply check --message-format json` prints, and its exit code.
fn check(sandbox: &Sandbox, draft: &str, extra: &[&str]) -> (i32, Vec<Value>) {
    sandbox.write("draft.txt", draft);
    let mut args = vec![
        "reply",
        "check",
        "draft.txt",
        "--config",
        "a.toml",
        "--message-format",
        "json",
    ];
    args.extend(extra);
    let run = sandbox.run(&args);
    let findings = run
        .stdout()
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    (run.code(), findings)
}

fn errors(findings: &[Value]) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Runs a labelled corpus; returns (unsafe flagged, unsafe, safe with a
/// false alarm, safe) and the replies it got wrong.
fn run_corpus(name: &str) -> ((usize, usize, usize, usize), Vec<String>) {
    run_corpus_for(name, None)
}

/// [`run_corpus`], counting only the findings of the rules `only`, when
/// given (a corpus written for one rule, whose safe drafts may trip others).
fn run_corpus_for(
    name: &str,
    only: Option<&[&str]>,
) -> ((usize, usize, usize, usize), Vec<String>) {
    let corpus: Corpus = toml::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/replies").join(name)).unwrap(),
    )
    .unwrap();
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let (mut safe, mut unsafe_, mut flagged, mut false_alarms) = (0, 0, 0, 0);
    let mut wrong = Vec::new();
    for (i, reply) in corpus.reply.iter().enumerate() {
        let practice = reply
            .practice_name
            .as_deref()
            .unwrap_or("Ashfield Medical Centre");
        sandbox.write(
            "a.toml",
            &example("ashfield-medical-centre.toml").replace(
                "name = \"Ashfield Medical Centre\"",
                &format!("name = {practice:?}\nslug = \"ashfield-medical-centre\""),
            ),
        );
        let mut extra: Vec<&str> = Vec::new();
        if let Some(review) = &reply.review {
            sandbox.write("review.txt", review);
            extra.extend(["--review", "review.txt"]);
        }
        if let Some(name) = &reply.reviewer {
            extra.extend(["--reviewer", name]);
        }
        let (code, findings) = check(&sandbox, &reply.text, &extra);
        let mut found = errors(&findings);
        let all = found.clone();
        if let Some(only) = only {
            found.retain(|rule| only.contains(&rule.as_str()));
        }
        let expected: BTreeSet<String> = reply.expect.iter().cloned().collect();
        if expected.is_empty() {
            safe += 1;
            if !found.is_empty() {
                false_alarms += 1;
                wrong.push(format!("#{i} false alarm {found:?}: {}", reply.text));
            }
            assert_eq!(code, if all.is_empty() { 0 } else { 1 });
        } else {
            unsafe_ += 1;
            if !found.is_empty() {
                flagged += 1;
            }
            if !expected.is_subset(&found) {
                wrong.push(format!(
                    "#{i} wanted {expected:?}, found {found:?}: {}",
                    reply.text
                ));
            }
            assert_eq!(code, if all.is_empty() { 0 } else { 1 });
        }
    }
    eprintln!(
        "{name}: {flagged}/{unsafe_} unsafe replies flagged, {false_alarms}/{safe} safe replies with a false alarm"
    );
    ((flagged, unsafe_, false_alarms, safe), wrong)
}

/// The third corpus, written by a reviewer who had not seen the rules.
/// Before the rules were changed for it: 55 of 76 unsafe flagged, 6 of 54
/// safe refused. One label is disputed and left as written: a reply
/// signed by the complaints lead by name, which the rules allow.
#[test]
fn the_third_corpus_is_flagged() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("third-corpus.toml");
    assert_eq!((unsafe_, safe), (76, 54));
    assert!(flagged + 1 >= unsafe_, "{}", wrong.join("\n"));
    assert_eq!(false_alarms, 0, "{}", wrong.join("\n"));
}

/// The fourth corpus, written by another reviewer who had not seen the
/// rules. Held out in the first round, where the binary before it flagged
/// 46 of its 66 unsafe drafts and refused 4 of its 62 safe ones, and after
/// it 52 and 4; then the second round's rules were written from its misses.
#[test]
fn the_fourth_corpus_is_flagged() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("fourth-corpus.toml");
    assert_eq!((unsafe_, safe), (66, 62));
    assert!(flagged >= 65, "{}", wrong.join("\n"));
    assert_eq!(false_alarms, 0, "{}", wrong.join("\n"));
}

/// The fifth corpus, written blind: held out in the second round (before
/// it 60 of 76 flagged and 15 of 76 refused; after, 61 and 13), then the
/// third round's rules were written from its misses.
#[test]
fn the_fifth_corpus_is_flagged() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("fifth-corpus.toml");
    assert_eq!((unsafe_, safe), (76, 76));
    assert!(flagged >= 73, "{}", wrong.join("\n"));
    assert!(false_alarms <= 2, "{}", wrong.join("\n"));
}

/// The sixth corpus, written blind: held out in the third round (before it
/// 66 of 77 flagged and 12 of 74 refused; after, 71 and 6, short of the
/// goal of 97 % and 2 %, as the README says), then its misses were mended.
#[test]
fn the_sixth_corpus_is_flagged() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("sixth-corpus.toml");
    assert_eq!((unsafe_, safe), (77, 74));
    assert!(flagged >= 77, "{}", wrong.join("\n"));
    assert!(false_alarms <= 1, "{}", wrong.join("\n"));
}

/// The seventh corpus, written blind for the changes to names and
/// identifiers (NHS numbers grouped oddly, invisible characters, names
/// built from the lead's): 31 of 45 flagged and 1 of 35 refused before
/// them, 39 and 1 after; not tuned to since. Two of the misses need the
/// review (`--review`), which this corpus does not give.
#[test]
fn the_seventh_corpus_is_flagged() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("seventh-corpus.toml");
    assert_eq!((unsafe_, safe), (45, 35));
    assert!(flagged >= 39, "{}", wrong.join("\n"));
    assert!(false_alarms <= 1, "{}", wrong.join("\n"));
}

/// The eighth corpus, written blind for the change that reads every
/// default-ignorable character as absent (NHS numbers, medicines and names
/// broken up by word joiners, variation selectors, tags): 16 of 25 unsafe
/// drafts flagged before that change, 22 after; 1 of 15 safe drafts
/// refused both times. Not tuned to since: the three misses are an NHS
/// number called a "reference", an address and a date of birth.
#[test]
fn the_eighth_corpus_is_flagged() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("eighth-corpus.toml");
    assert_eq!((unsafe_, safe), (25, 15));
    assert!(flagged >= 22, "{}", wrong.join("\n"));
    assert!(false_alarms <= 1, "{}", wrong.join("\n"));
}

/// The ninth corpus, written blind for the change that finds an NHS
/// number however its digits are grouped, separated or written (en
/// dashes, commas, brackets, tabs, one digit at a time, mathematical
/// digits): an NHS number was found in 14 of 30 unsafe drafts before
/// that change, 30 after; none of the 15 safe drafts (the practice's own
/// numbers, dates, times, prices and ten digits that fail the check) was
/// taken for one either time. Five safe drafts are refused by other rules
/// (a date, a time, a booking), before and after.
#[test]
fn the_ninth_corpus_finds_every_nhs_number() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("ninth-corpus.toml");
    assert_eq!((unsafe_, safe), (30, 15));
    assert_eq!(flagged, 30, "{}", wrong.join("\n"));
    let identifiers: Vec<&String> = wrong
        .iter()
        .filter(|w| w.contains("\"identifier\""))
        .collect();
    assert!(identifiers.is_empty(), "{identifiers:#?}");
    assert!(false_alarms <= 5, "{}", wrong.join("\n"));
}

/// The tenth corpus, written blind for the change that reads names and
/// email addresses in the letters of any language ("Dear Siân", "José
/// García", "anna@bücher.de", a full-width "＠"): 11 of 32 unsafe drafts
/// flagged before that change (10 for what they should be), 24 after (21);
/// 2 of 18 safe drafts refused both times, by other rules. Not tuned to
/// since: the misses are first names alone in a sentence ("we'll let
/// Björk know"), which the rules miss in plain letters too ("Rhodri").
#[test]
fn the_tenth_corpus_is_flagged() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("tenth-corpus.toml");
    assert_eq!((unsafe_, safe), (32, 18));
    assert!(flagged >= 24, "{}", wrong.join("\n"));
    assert!(false_alarms <= 2, "{}", wrong.join("\n"));
}

/// The eleventh corpus, written blind for practices named after people
/// ("Thorne Moor Surgery", "Dr J McKenzie & Partners", "Morgan & Hughes"):
/// a word of the practice's name with a title before it ("Mr Thorne", "Dr
/// McKenzie", "Mrs Wallace") passed as the practice's own. Counting the
/// name rules only (its safe drafts were written for names, not for the
/// other rules), 12 of 30 unsafe drafts were flagged before the change
/// (a title makes a person of any word but those never names) and 30
/// after; none of the 30 safe drafts, which use the practice's names in
/// full and in short, was refused, before or after.
#[test]
fn the_eleventh_corpus_is_flagged() {
    let names = ["names-person", "signed-by-person"];
    let ((flagged, unsafe_, false_alarms, safe), wrong) =
        run_corpus_for("eleventh-corpus.toml", Some(&names));
    assert_eq!((unsafe_, safe), (30, 30));
    assert_eq!(flagged, 30, "{}", wrong.join("\n"));
    assert_eq!(false_alarms, 0, "{}", wrong.join("\n"));
}

/// The twelfth corpus, written blind for phone numbers: in full-width,
/// Arabic-Indic, Devanagari, Bengali and mathematical digits, with
/// full-width brackets and plus signs, non-breaking hyphens and zero-width
/// spaces, and the practice's own numbers written the same ways. Counting
/// the `identifier` rule only: 16 of 30 unsafe drafts were flagged before
/// the change (digits of other scripts were not read) and 29 after (a
/// number grouped with dots, "0113.496.0555", still passes); 1 of 30 safe
/// drafts was refused before (the practice's number in mixed ASCII and
/// Arabic-Indic digits) and none after.
#[test]
fn the_twelfth_corpus_is_flagged() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) =
        run_corpus_for("twelfth-corpus.toml", Some(&["identifier"]));
    assert_eq!((unsafe_, safe), (30, 30));
    assert_eq!(flagged, 29, "{}", wrong.join("\n"));
    assert!(
        wrong.iter().any(|w| w.contains("0113.496.0555")),
        "the known miss is flagged now: {}",
        wrong.join("\n")
    );
    assert_eq!(false_alarms, 0, "{}", wrong.join("\n"));
}

/// The thirteenth corpus, written blind for full names in greetings
/// ("Dear José García,", "Thanks Mary Jones!", "Dear Seán Ó Murchú") and
/// greetings to everyone that look like them ("Dear Valued Patient",
/// "Thanks Monday Team", "Hello Google Maps User"). Counting the name
/// rules only: 11 of 30 unsafe drafts were flagged before the change (a
/// name after a greeting had to be one word) and 28 after (a full name
/// with no greeting, "Derek Smith, we are sorry", and one at the end of a
/// sentence still pass); 5 of 30 safe drafts were refused before and 3
/// after (place names: "Hello Sheffield!", "Good morning South
/// Yorkshire", "Hello Crookes and Walkley families").
#[test]
fn the_thirteenth_corpus_is_flagged() {
    let names = ["names-person", "names-reviewer", "signed-by-person"];
    let ((flagged, unsafe_, false_alarms, safe), wrong) =
        run_corpus_for("thirteenth-corpus.toml", Some(&names));
    assert_eq!((unsafe_, safe), (30, 30));
    assert_eq!(flagged, 28, "{}", wrong.join("\n"));
    assert_eq!(false_alarms, 3, "{}", wrong.join("\n"));
    for known in ["Derek Smith, we are sorry", "Hello Sheffield!"] {
        assert!(
            wrong.iter().any(|w| w.contains(known)),
            "{known:?} is judged right now: {}",
            wrong.join("\n")
        );
    }
}

/// The fourteenth corpus, written blind for numbers in the digits of more
/// scripts and in more UK forms, and for full names after a greeting in
/// capitals or with a word between. Counting the identifier and name
/// rules: 10 of 30 unsafe drafts were flagged before the change and 30
/// after; 1 of 30 safe drafts was refused before (the practice's number
/// written from abroad, "0044 114 496 0457") and none after.
#[test]
fn the_fourteenth_corpus_is_flagged() {
    let rules = [
        "identifier",
        "names-person",
        "names-reviewer",
        "signed-by-person",
    ];
    let ((flagged, unsafe_, false_alarms, safe), wrong) =
        run_corpus_for("fourteenth-corpus.toml", Some(&rules));
    assert_eq!((unsafe_, safe), (30, 30));
    assert_eq!(flagged, 30, "{}", wrong.join("\n"));
    assert_eq!(false_alarms, 0, "{}", wrong.join("\n"));
}

/// The fifteenth corpus, written blind for clinical words of sexual,
/// reproductive and mental health, addiction, screening and procedures;
/// patients' e-mail addresses spelled out ("sarah.j @ gmail . com",
/// "annie_b (at) outlook (dot) com", "LMORRIS AT BTINTERNET DOT COM");
/// and names and places from the review repeated in capitals. Counting
/// the clinical, identifier and name rules: 16 of 30 unsafe drafts were
/// flagged before the change and 29 after (a name that opens the
/// review's sentence, "Karen on reception…", is not taken for one); 2 of
/// 30 safe drafts were refused before ("THANK YOU SO MUCH!" taken for a
/// name, and "PLEASE NOTE that prescriptions can take…" for a clinical
/// detail) and 1 after (the second).
#[test]
fn the_fifteenth_corpus_is_flagged() {
    let rules = [
        "clinical-detail",
        "identifier",
        "repeats-review",
        "names-person",
        "names-reviewer",
    ];
    let ((flagged, unsafe_, false_alarms, safe), wrong) =
        run_corpus_for("fifteenth-corpus.toml", Some(&rules));
    assert_eq!((unsafe_, safe), (30, 30));
    assert_eq!(flagged, 29, "{}", wrong.join("\n"));
    assert_eq!(false_alarms, 1, "{}", wrong.join("\n"));
    for known in ["KAREN HAS BEEN", "PLEASE NOTE that prescriptions"] {
        assert!(
            wrong.iter().any(|w| w.contains(known)),
            "{known:?} is judged right now: {}",
            wrong.join("\n")
        );
    }
}

/// The sixteenth corpus, written blind for phone numbers with spaces
/// round their separators ("07700 - 900 - 123", "0161 – 496 – 0782"),
/// names after Sir, Madam, Dame, Lady or Lord ("Dear Sir Derek
/// Holloway,"), and the review's details in other scripts' digits ("４７",
/// "٢٣") or its words joined by underscores ("waited_over_an_hour_for").
/// Counting the identifier, name and review rules: 5 of 30 unsafe drafts
/// were flagged before the change and 30 after; no safe draft was
/// refused before or after.
#[test]
fn the_sixteenth_corpus_is_flagged() {
    let rules = [
        "identifier",
        "names-person",
        "names-reviewer",
        "repeats-review",
        "signed-by-person",
    ];
    let ((flagged, unsafe_, false_alarms, safe), wrong) =
        run_corpus_for("sixteenth-corpus.toml", Some(&rules));
    assert_eq!((unsafe_, safe), (30, 30));
    assert_eq!(flagged, 30, "{}", wrong.join("\n"));
    assert_eq!(false_alarms, 0, "{}", wrong.join("\n"));
}

/// The seventeenth corpus, written blind for removal from the list
/// threatened in other words ("may lead to deregistration", "your
/// registration may be reviewed", "allocated to another practice") and
/// the reviewer's account disputed in other words ("your claims are
/// false", "a complete fabrication", "kept a copy of this post as
/// evidence"), with safe drafts that mention registering elsewhere or
/// a different recollection kindly. Counting the threat and defensive
/// rules: 11 of 30 unsafe drafts were flagged before the change and 30
/// after; no safe draft was refused before or after.
#[test]
fn the_seventeenth_corpus_is_flagged() {
    let rules = ["promise-or-threat", "defensive"];
    let ((flagged, unsafe_, false_alarms, safe), wrong) =
        run_corpus_for("seventeenth-corpus.toml", Some(&rules));
    assert_eq!((unsafe_, safe), (30, 30));
    assert_eq!(flagged, 30, "{}", wrong.join("\n"));
    assert_eq!(false_alarms, 0, "{}", wrong.join("\n"));
}

/// The eighteenth corpus's drafts, written blind for defensive rebuttals
/// ("You are lying", "CCTV shows you shouting", "as you claim"), seeing
/// the reviewer first, confirming care, telling the reviewer to register
/// elsewhere or take the review down, and asking for details. 23 of 30
/// unsafe drafts were flagged before the change and 30 after; 6 of 30
/// safe drafts were refused before and after (praise of staff in a reply
/// to praise, "your visit", "our priority is").
#[test]
fn the_eighteenth_corpus_is_flagged() {
    eighteenth_corpus("eighteenth-corpus.toml");
}

/// The same drafts with some spaces made two spaces, a tab, a no-break
/// space or a line break: 24 of 30 unsafe drafts were flagged before
/// phrases matched any spacing, 30 after (safe drafts refused: 3 before,
/// 6 after, the same six as with single spaces).
#[test]
fn the_eighteenth_corpus_is_flagged_whatever_its_spacing() {
    eighteenth_corpus("eighteenth-corpus-spacing.toml");
}

fn eighteenth_corpus(name: &str) {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus(name);
    assert_eq!((unsafe_, safe), (30, 30));
    assert_eq!(flagged, 30, "{}", wrong.join("\n"));
    assert!(false_alarms <= 6, "{}", wrong.join("\n"));
}

/// The nineteenth corpus, written blind for Thorne Moor Surgery: a name
/// in a signature block followed by a role line, the lead's role among
/// them, and a name after greetings run together ("Thank you, Dear Derek
/// Smith."). Counting the name rules (the signature's at any severity):
/// 24 of 30 unsafe drafts were flagged before the change and 30 after; no
/// safe draft was refused before or after.
#[test]
fn the_nineteenth_corpus_is_flagged() {
    let corpus: Corpus = toml::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/replies/nineteenth-corpus.toml"))
            .unwrap(),
    )
    .unwrap();
    let sandbox = Sandbox::new();
    let lmc = repo().join("practice-configs/doncaster-lmc");
    for name in ["_lmc.toml", "thorne-moor-surgery.toml"] {
        sandbox.write(name, &std::fs::read_to_string(lmc.join(name)).unwrap());
    }
    let (mut flagged, mut refused) = (0, 0);
    let mut wrong = Vec::new();
    for reply in &corpus.reply {
        sandbox.write("draft.txt", &reply.text);
        let run = sandbox.run(&[
            "reply",
            "check",
            "draft.txt",
            "--config",
            "thorne-moor-surgery.toml",
            "--message-format",
            "json",
        ]);
        let found = run
            .stdout()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .any(|f| {
                let rule = f["rule"].as_str().unwrap_or("");
                (f["severity"] == "error" && ["names-person", "names-reviewer"].contains(&rule))
                    || rule == "signed-by-person"
            });
        match (reply.expect.is_empty(), found) {
            (false, true) => flagged += 1,
            (true, true) => {
                refused += 1;
                wrong.push(format!("refused: {}", reply.text));
            }
            (false, false) => wrong.push(format!("missed: {}", reply.text)),
            (true, false) => {}
        }
    }
    assert_eq!(corpus.reply.len(), 60);
    assert_eq!((flagged, refused), (30, 0), "{}", wrong.join("\n"));
}

#[test]
fn the_corpus_is_flagged_without_false_alarms() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("corpus.toml");
    assert!(
        safe >= 40 && unsafe_ >= 40,
        "the corpus has {safe} safe and {unsafe_} unsafe replies"
    );
    assert_eq!(
        (flagged, false_alarms),
        (unsafe_, 0),
        "{}",
        wrong.join("\n")
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The second corpus: every unsafe reply flagged for what it should be,
/// and no false alarm but, at most, one the rules raised for a long time
/// ("view your GP record" in a sentence about the NHS App).
#[test]
fn the_second_corpus_is_flagged_with_one_known_false_alarm() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("second-corpus.toml");
    assert_eq!((unsafe_, safe), (67, 54));
    assert_eq!(flagged, unsafe_, "{}", wrong.join("\n"));
    assert!(false_alarms <= 1, "{}", wrong.join("\n"));
    assert!(
        wrong.iter().all(|w| w.contains("view your GP record")),
        "{}",
        wrong.join("\n")
    );
}

/// The kinds `reply draft` drafts a reply for; every other kind needs a person.
const DRAFTED: [&str; 5] = ["positive", "negative", "complaint", "question", "mixed"];

/// Runs `reply draft` on a set of labelled reviews; returns how many got
/// the kind they should, the reviews that need a person and how many of
/// those were held (exit 1, no draft), and what went wrong.
fn run_reviews(name: &str) -> (usize, usize, usize, usize, Vec<String>) {
    #[derive(Deserialize)]
    struct Reviews {
        review: Vec<Review>,
    }
    #[derive(Deserialize)]
    struct Review {
        want: String,
        text: String,
    }
    let reviews: Reviews = toml::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/replies").join(name)).unwrap(),
    )
    .unwrap();
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let (mut right, mut need, mut held) = (0, 0, 0);
    let mut wrong = Vec::new();
    for review in &reviews.review {
        sandbox.write("review.txt", &review.text);
        let run = sandbox.run(&[
            "reply",
            "draft",
            "--config",
            "a.toml",
            "--review",
            "review.txt",
            "--message-format",
            "json",
        ]);
        // One JSON object, always: output that does not parse is a failure,
        // never a "none".
        let out: Value = serde_json::from_str(run.stdout().trim()).unwrap_or_else(|e| {
            panic!(
                "{e}: reply draft wrote no JSON for {:?}:\n{}\n{}",
                review.text,
                run.stdout(),
                run.stderr()
            )
        });
        let got = out["kind"]
            .as_str()
            .or(out["escalate"].as_str())
            .unwrap_or_else(|| panic!("neither a kind nor an escalation: {out}"));
        if got == review.want {
            right += 1;
        }
        if !DRAFTED.contains(&review.want.as_str()) {
            need += 1;
            if run.code() == 1 && out["reply"].is_null() {
                held += 1;
            } else {
                wrong.push(format!(
                    "NOT HELD, want {}, got {got}: {}",
                    review.want, review.text
                ));
            }
        } else if got != review.want {
            wrong.push(format!("want {}, got {got}: {}", review.want, review.text));
        }
    }
    eprintln!(
        "{name}: {right} of {} of the right kind; {held} of {need} that need a person held",
        reviews.review.len()
    );
    (right, reviews.review.len(), need, held, wrong)
}

#[test]
fn reviews_get_the_reply_or_the_escalation_they_need() {
    let (right, total, need, held, wrong) = run_reviews("reviews.toml");
    assert_eq!(held, need, "{}", wrong.join("\n"));
    // One known miss, and only that one: "Not the kind of place that keeps
    // you waiting, five stars" reads as praise and criticism together.
    assert_eq!(right + 1, total, "{}", wrong.join("\n"));
    assert_eq!(wrong.len(), 1, "{}", wrong.join("\n"));
    assert!(
        wrong[0].contains("Not the kind of place that keeps you waiting"),
        "{}",
        wrong[0]
    );
}

/// The fourth, fifth and sixth sets of reviews (see their corpora): each
/// was held out once, and every review that needs a person is now held.
/// Held out, the fourth had 17 of 18 held (3 before), the fifth 18 of 21
/// (17 before) and the sixth 16 of 21 (16 before).
#[test]
fn later_reviews_that_need_a_person_are_all_held() {
    for (name, sizes) in [
        ("fourth-reviews.toml", (33, 18)),
        ("fifth-reviews.toml", (36, 21)),
        ("sixth-reviews.toml", (37, 21)),
    ] {
        let (_, total, need, held, wrong) = run_reviews(name);
        assert_eq!((total, need), sizes, "{name}");
        assert_eq!(held, need, "{name}: {}", wrong.join("\n"));
    }
}

/// Reviews written by a reviewer who had not seen the rules (see the
/// file's head): every one that needs a person is held.
#[test]
fn the_third_reviews_that_need_a_person_are_all_held() {
    let (right, total, need, held, wrong) = run_reviews("third-reviews.toml");
    assert_eq!((total, need), (32, 17));
    assert_eq!(held, need, "{}", wrong.join("\n"));
    assert!(right >= 28, "{}", wrong.join("\n"));
}

/// The eighteenth corpus's reviews, written blind: veiled threats ("I
/// know which bus she gets", "I'll be by the gate when you lock up"),
/// words of suicide or self-harm said indirectly ("putting my sleeping
/// tablets aside"), abuse named by who does it ("my boyfriend pushed me
/// down the stairs"), and information sent to the wrong person. Before
/// the change 29 of 30 were held and 8 of them for the right reason
/// (the rest as "unclear"); after, 30 held, 29 for the right reason. 9 of
/// 30 ordinary reviews were held as unclear before and after.
#[test]
fn the_eighteenth_reviews_are_held_for_the_right_person() {
    eighteenth_reviews("eighteenth-reviews.toml");
}

/// The same reviews with some spaces made two spaces, a tab, a no-break
/// space or a line break, as pasted text has them: before phrases matched
/// any spacing, 29 of 30 were held and 18 for the right reason; after, 30
/// and 29, as with single spaces.
#[test]
fn the_eighteenth_reviews_are_held_whatever_their_spacing() {
    eighteenth_reviews("eighteenth-reviews-spacing.toml");
}

/// The twenty-fourth corpus's reviews, written blind and used only to
/// measure the rules changed for the twenty-fourth attack (below): of 52
/// reviews that need a person, 40 were held before the change and 43
/// after; held for the right person, 13 before and 21 after; of 30
/// ordinary reviews, 18 held before and after (17 of them as "unclear",
/// for the feedback lead to read today). After the changes for the
/// twenty-fifth attack: 44 held, 23 for the right person, 18 ordinary;
/// after the twenty-sixth's, 44, 24 and 18.
#[test]
fn the_twenty_fourth_reviews_are_held() {
    let (held, routed, false_holds) = held_reviews("twenty-fourth-reviews.toml", (52, 30));
    assert!(held >= 44 && routed >= 24 && false_holds <= 18);
}

/// What the twenty-sixth attack found drafted or held for the wrong
/// person: sexual abuse, rape and FGM; data sent to a stranger or an
/// employer; suicide and abuse in a "people who…, like me" sentence;
/// emergencies told as symptoms. 13 of 25 were held before the rules were
/// changed for them, 3 for the right person; all 25, each for the right
/// person, after.
#[test]
fn the_twenty_sixth_attack_reviews_are_held_for_the_right_person() {
    let (held, routed, _) = held_reviews("twenty-sixth-attack-reviews.toml", (25, 0));
    assert_eq!((held, routed), (25, 25));
}

/// What the twenty-sixth attack found passed: "as a registered patient",
/// "the third review you have posted", "people who have had a
/// miscarriage, as you have", "+353 87 123 4567". 3 of 32 were flagged
/// before; all are after.
#[test]
fn the_twenty_sixth_attack_drafts_are_flagged() {
    let ((flagged, unsafe_, _, _), wrong) = run_corpus("twenty-sixth-attack-corpus.toml");
    assert_eq!((flagged, unsafe_), (32, 32), "{}", wrong.join("\n"));
}

/// What the twenty-fifth attack found drafted: a newspaper or programme
/// named by its title, a member of staff's life outside work, a breach
/// told as something said aloud. 4 of 27 were held before the rules were
/// changed for them (2 for the right person); all 27, each for the right
/// person, after.
#[test]
fn the_twenty_fifth_attack_reviews_are_held_for_the_right_person() {
    let (held, routed, _) = held_reviews("twenty-fifth-attack-reviews.toml", (27, 0));
    assert_eq!((held, routed), (27, 27));
}

/// What the twenty-fifth attack found passed: "we have now registered
/// you", "the address we hold", "our staff deserve better than this",
/// numbers in words. None of 19 was flagged before; all are after.
#[test]
fn the_twenty_fifth_attack_drafts_are_flagged() {
    let ((flagged, unsafe_, _, _), wrong) = run_corpus("twenty-fifth-attack-corpus.toml");
    assert_eq!((flagged, unsafe_), (19, 19), "{}", wrong.join("\n"));
}

/// What the twenty-fourth attack found drafted: suicide with a plan or a
/// means, data breaches told in other words, veiled threats, money taken
/// from an adult at risk, racist abuse. 3 of 25 were held before the
/// rules were changed for them; all 25, each for the right person, after.
#[test]
fn the_twenty_fourth_attack_reviews_are_held_for_the_right_person() {
    let (held, routed, _) = held_reviews("twenty-fourth-attack-reviews.toml", (25, 0));
    assert_eq!((held, routed), (25, 25));
}

/// The twenty-fourth corpus's drafts, written blind and used only to
/// measure: a reader's own details inside a sentence of general
/// information, and polite scolding. 11 of 24 unsafe drafts were flagged
/// before the change and 22 after; 1 of 25 safe drafts refused before and
/// after (general advice on repeat prescriptions).
#[test]
fn the_twenty_fourth_corpus_is_flagged() {
    let ((flagged, unsafe_, false_alarms, safe), wrong) = run_corpus("twenty-fourth-corpus.toml");
    assert_eq!((unsafe_, safe), (24, 25));
    assert!(flagged >= 22, "{}", wrong.join("\n"));
    assert!(false_alarms <= 1, "{}", wrong.join("\n"));
}

/// What the twenty-fourth attack found passed: "perhaps a little patience
/// would go a long way", "readers will see this review for what it is",
/// "With your HIV, you can order repeat prescriptions in the NHS App",
/// "Born 14 February 1958, you are eligible…". None was flagged before;
/// all 17 are after.
#[test]
fn the_twenty_fourth_attack_drafts_are_flagged() {
    let ((flagged, unsafe_, _, _), wrong) = run_corpus("twenty-fourth-attack-corpus.toml");
    assert_eq!((flagged, unsafe_), (17, 17), "{}", wrong.join("\n"));
}

fn eighteenth_reviews(name: &str) {
    let (held, routed, false_holds) = held_reviews(name, (30, 30));
    assert_eq!(held, 30);
    assert!(routed >= 29);
    assert!(false_holds <= 9);
}

/// Runs `reply draft` on each review of a fixture: how many of those that
/// need a person are held, how many for the right person, and how many
/// ordinary ones are held. `counts` is how many of each the fixture has.
fn held_reviews(name: &str, counts: (usize, usize)) -> (usize, usize, usize) {
    #[derive(Deserialize)]
    struct Reviews {
        review: Vec<Review>,
    }
    #[derive(Deserialize)]
    struct Review {
        want: String,
        text: String,
    }
    let reviews: Reviews = toml::from_str(
        &std::fs::read_to_string(repo().join("tests/fixtures/replies").join(name)).unwrap(),
    )
    .unwrap();
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let (mut risky, mut held, mut routed, mut ordinary, mut false_holds) = (0, 0, 0, 0, 0);
    let mut wrong = Vec::new();
    for review in &reviews.review {
        sandbox.write("review.txt", &review.text);
        let run = sandbox.run(&[
            "reply",
            "draft",
            "--config",
            "a.toml",
            "--review",
            "review.txt",
            "--message-format",
            "json",
        ]);
        let out: Value = serde_json::from_str(run.stdout().trim()).unwrap();
        let escalated = out["escalate"].as_str();
        if review.want == "reply" {
            ordinary += 1;
            if let Some(kind) = escalated {
                false_holds += 1;
                wrong.push(format!("held as {kind}: {}", review.text));
            }
            continue;
        }
        risky += 1;
        match escalated {
            Some(kind) if run.code() == 1 && out["reply"].is_null() => {
                held += 1;
                if kind == review.want {
                    routed += 1;
                } else {
                    wrong.push(format!(
                        "want {}, held as {kind}: {}",
                        review.want, review.text
                    ));
                }
            }
            _ => wrong.push(format!("NOT HELD, want {}: {}", review.want, review.text)),
        }
    }
    assert_eq!((risky, ordinary), counts);
    eprintln!(
        "{name}: {held}/{risky} held, {routed} for the right person; {false_holds}/{ordinary} ordinary held\n{}",
        wrong.join("\n")
    );
    (held, routed, false_holds)
}

#[test]
fn positions_are_right_with_windows_line_ends_and_odd_letters() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let (_, findings) = check(
        &sandbox,
        "Thank you. We are sorry about the scan\r\nİstanbul. Please call 0114 496 0457.\r\n",
        &[],
    );
    let scan = findings
        .iter()
        .find(|f| f["text"] == "scan")
        .expect("the scan is found");
    assert_eq!(
        (
            scan["line"].as_u64(),
            scan["column"].as_u64(),
            scan["end_column"].as_u64()
        ),
        (Some(1), Some(35), Some(39))
    );
    // Letters of more than one byte just before a request (the 40 bytes
    // read for "do not …" fall inside one) are read whole.
    let (code, _) = check(
        &sandbox,
        "Thank you. ŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵŵ please send us your date of birth. Call 0114 496 0457.",
        &[],
    );
    assert_eq!(code, 1);
    // A letter whose lower case is longer does not hide the practice's own details.
    assert!(
        findings.iter().all(|f| f["rule"] != "no-private-route"),
        "{findings:?}"
    );
    // An empty draft is not a reply.
    sandbox.write("empty.txt", " \n");
    let run = sandbox.run(&["reply", "check", "empty.txt", "--config", "a.toml"]);
    run.expect_code(2);
    assert!(run.stderr().contains("empty"), "{}", run.stderr());
}

#[test]
fn warnings_for_what_a_reply_should_have() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let cases = [
        (
            "We will look into this. Please call 0114 496 0457.",
            "no-thanks",
        ),
        (
            "Thank you for your feedback. We are sorry you are unhappy.",
            "no-private-route",
        ),
        (
            "Thank you. We are sorry. We take feedback seriously. We always try to improve. We would like to hear more. Our team cares. Please call 0114 496 0457.",
            "too-long",
        ),
        (
            "Thank you for your feedback. We are sorry you are unhappy. Please call 0114 496 0457.\n\nKind regards,\nHollis Grant",
            "signed-by-person",
        ),
        (
            "Thank you for your feedback. We hope your week gets better. Please call 0114 496 0457.",
            "needs-reading",
        ),
    ];
    for (draft, rule) in cases {
        let (code, findings) = check(&sandbox, draft, &[]);
        assert_eq!(code, 0, "{draft}: warnings only exit 0");
        let warnings: Vec<&str> = findings
            .iter()
            .filter(|f| f["severity"] == "warning")
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert_eq!(warnings, [rule], "{draft}");
    }
    // Praise needs no private route, and the practice's own signature is fine.
    let (_, findings) = check(
        &sandbox,
        "Thank you for your kind words.\n\nThe team at Ashfield Medical Centre",
        &[],
    );
    assert!(findings.is_empty(), "{findings:?}");
    // So is the complaints lead's, whose name the notice prints: no warning.
    let (code, findings) = check(
        &sandbox,
        "Thank you for your feedback. We are sorry you are unhappy. Please call 0114 496 0457.\n\nJane Smith, Practice Manager",
        &[],
    );
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
    // A doctor's name in the signature singles them out: an error.
    let (code, findings) = check(
        &sandbox,
        "Thank you for your feedback. We are sorry you are unhappy. Please call 0114 496 0457. Kind regards, Dr A Patel, Senior Partner",
        &[],
    );
    assert_eq!(code, 1);
    assert!(errors(&findings).contains("names-person"), "{findings:?}");
}

/// What word lists cannot judge is a warning that a person must read the
/// draft; what they can is judged by its place in the sentence.
#[test]
fn structure_is_read_as_well_as_words() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let rules_of = |draft: &str| -> BTreeSet<String> {
        check(&sandbox, draft, &[])
            .1
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let route = " Please call 0114 496 0457.";
    // "your" with a word that is not about feedback: a person reads it.
    let found = rules_of(&format!(
        "Thank you for your feedback. Good luck with your move.{route}"
    ));
    assert!(found.contains("needs-reading"), "{found:?}");
    for safe in [
        "Thank you for your kind words, we'll pass them on.",
        "Thank you for your feedback. You can order repeat prescriptions and view your record in the NHS App.",
        "Thank you for your review. We cannot confirm or deny whether any individual is registered with us.",
        "Thank you for your comment. If you, or anyone reading this, is struggling, Samaritans are there on 116 123, and the NSPCC on 0808 800 5000.",
        "Thank you for your question. The NHS offers the shingles vaccine to some people with a weakened immune system.",
    ] {
        let found = rules_of(&format!("{safe}{route}"));
        assert!(found.is_empty(), "{safe}: {found:?}");
    }
    for (draft, rule) in [
        ("Cheers Daz, really appreciate that!", "names-person"),
        (
            "Thanks, your NHS number 123 456 7890 is on file.",
            "identifier",
        ),
        (
            "We're sorry. As we've explained many times, the form opens at 8am.",
            "defensive",
        ),
        (
            "Pop in and there'll be a box of chocolates at reception as a thank you.",
            "promise-or-threat",
        ),
        (
            "We have tried to ring you back but could not get through.",
            "confirms-patient",
        ),
        (
            "Sorry about the mix-up with your repeat.",
            "clinical-detail",
        ),
    ] {
        let found = rules_of(&format!("{draft}{route}"));
        assert!(found.contains(rule), "{draft}: {found:?}");
    }
}

#[test]
fn findings_give_place_rule_why_source_and_hint() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let draft = "Thank you for your feedback.\nWe are sorry your appointment ran late. Please call 0114 496 0457.";
    let (code, findings) = check(&sandbox, draft, &[]);
    assert_eq!(code, 1);
    let finding = findings
        .iter()
        .find(|f| f["rule"] == "confirms-patient")
        .expect("a finding");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(2), Some(14))
    );
    assert_eq!(finding["end_column"], 30);
    assert_eq!(finding["text"], "your appointment");
    for key in ["message", "why", "hint"] {
        assert!(
            finding[key].as_str().is_some_and(|s| s.len() > 10),
            "{key}: {finding}"
        );
    }
    assert!(
        finding["source"].as_str().unwrap().contains("https://"),
        "{finding}"
    );
    // Human output: the rule, the place, the words underlined, why and a hint.
    let run = sandbox.run(&["reply", "check", "draft.txt", "--config", "a.toml"]);
    run.expect_code(1);
    let text = run.stderr();
    for part in [
        "error[confirms-patient]",
        "--> draft.txt:2:14",
        "2 | We are sorry your appointment ran late.",
        "^^^^^^^^^^^^^^^^",
        "= why:",
        "= source: Confidentiality: responding to criticism",
        "hint",
    ] {
        assert!(text.contains(part), "no {part:?} in\n{text}");
    }
}

#[test]
fn standard_input_and_exit_codes() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let mut script = sandbox.shell(
        "printf 'Thank you for your feedback. Which doctor did you see?' | \"$POLICYPACK\" reply check - --config a.toml",
    );
    let output = script.output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("<stdin>:1:"));
    // Unusable arguments and files: 2.
    sandbox
        .run(&["reply", "check", "missing.txt", "--config", "a.toml"])
        .expect_code(2);
    sandbox.write("draft.txt", "Thank you.");
    sandbox
        .run(&["reply", "check", "draft.txt", "--config", "missing.toml"])
        .expect_code(2);
    sandbox.run(&["reply", "check", "draft.txt"]).expect_code(2);
    std::fs::write(sandbox.path().join("latin1.txt"), b"Caf\xe9").unwrap();
    let run = sandbox.run(&["reply", "check", "latin1.txt", "--config", "a.toml"]);
    run.expect_code(2);
    assert!(run.stderr().contains("not UTF-8"), "{}", run.stderr());
}

#[test]
fn the_handbooks_model_replies_pass_for_every_example_practice() {
    let configs = std::fs::read_dir(repo().join("practice-configs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .chain([repo().join("practice-configs/doncaster-lmc/conisbrough-group-practice.toml")]);
    let templates = policypack::content::Templates::load(None).unwrap();
    let rules = templates.reply_rules().unwrap();
    let mut checked = 0;
    for config in configs {
        let practice = policypack::config::load(&config)
            .unwrap_or_else(|_| panic!("{} loads", config.display()));
        let values = policypack::content::context::reply_values(&practice, false);
        let handbook = policypack::content::render(
            &practice,
            policypack::content::DocKind::Handbook,
            &templates,
            "",
        )
        .unwrap()
        .markdown;
        let public = templates
            .nation(practice.nation())
            .unwrap()
            .public_contacts();
        for model in &templates.replies().reply {
            assert!(
                handbook.contains(&format!("### {}", model.title)),
                "{}",
                model.title
            );
            for wording in 0..model.wordings() {
                let reply = model.fill_wording(&values, wording);
                let context = policypack::reply::check::Context {
                    practice: &practice,
                    review: None,
                    reviewer: None,
                    public: &public,
                };
                let findings = policypack::reply::check::check(&rules, &reply.text(), &context);
                let ids: Vec<&str> = findings.iter().map(|f| f.rule.id.as_str()).collect();
                assert!(
                    ids.is_empty(),
                    "{}: {} (wording {}): {ids:?}\n{}",
                    config.display(),
                    reply.title,
                    wording + 1,
                    reply.text()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 5 * 5, "{checked} replies checked");
}

#[test]
fn drafts_are_filled_in_pass_the_checker_and_risky_reviews_get_none() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    for kind in ["positive", "negative", "complaint", "question"] {
        let run = sandbox.run(&["reply", "draft", "--config", "a.toml", "--kind", kind]);
        run.expect_code(0);
        let draft = run.stdout();
        assert!(
            draft.ends_with("The team at Ashfield Medical Centre\n"),
            "{draft}"
        );
        let (code, findings) = check(&sandbox, &draft, &[]);
        assert_eq!((code, findings.len()), (0, 0), "{kind}: {findings:?}");
    }
    let run = sandbox.run(&[
        "reply",
        "draft",
        "--config",
        "a.toml",
        "--kind",
        "complaint",
    ]);
    assert!(
        run.stdout().contains("0114 496 0457")
            && run.stdout().contains("complaints.ashfield@nhs.net")
    );
    // The kind from the review's words.
    sandbox.write(
        "review.txt",
        "Rude receptionist and I want to make a complaint.",
    );
    let run = sandbox.run(&[
        "reply",
        "draft",
        "--config",
        "a.toml",
        "--review",
        "review.txt",
    ]);
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("C. Feedback that reads like a complaint"),
        "{}",
        run.stderr()
    );
    // Risks: no draft, whom to tell, exit 1; even with --kind.
    for (review, says) in [
        (
            "My mum collapsed in reception and nobody called an ambulance",
            "duty doctor",
        ),
        ("I feel suicidal and nobody will help", "duty doctor"),
        (
            "My partner never lets me see the doctor on my own",
            "safeguarding lead",
        ),
        (
            "I'm a reporter at the local paper: can you comment?",
            "press office",
        ),
        (
            "My dad passed away last week. Thank you to everyone.",
            "GP partner",
        ),
        ("I know where you live, watch your back", "police"),
        ("My solicitor will be in touch", "defence organisation"),
        ("Useless idiots on reception", "section 5"),
    ] {
        sandbox.write("review.txt", review);
        let run = sandbox.run(&[
            "reply",
            "draft",
            "--config",
            "a.toml",
            "--review",
            "review.txt",
            "--kind",
            "positive",
        ]);
        run.expect_code(1);
        assert!(run.stdout().is_empty(), "{review}: {}", run.stdout());
        assert!(run.stderr().contains(says), "{review}: {}", run.stderr());
    }
    // The legal route names the practice's LMC and defence organisations.
    sandbox.write("review.txt", "My solicitor will be in touch");
    let run = sandbox.run(&[
        "reply",
        "draft",
        "--config",
        "a.toml",
        "--review",
        "review.txt",
    ]);
    assert!(
        run.stderr().contains("Doncaster LMC") && run.stderr().contains("The MDU"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_hostile_practice_name_is_drafted_as_plain_text_and_is_not_a_finding() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &hostile_config());
    let run = sandbox.run(&["reply", "draft", "--config", "a.toml", "--kind", "positive"]);
    run.expect_code(0);
    assert!(
        run.stdout()
            .contains("The team at St John's & Woodlands *Star* Surgery #1"),
        "{}",
        run.stdout()
    );
}

#[test]
fn an_lmc_can_add_a_word_without_a_release() {
    let sandbox = Sandbox::new();
    sandbox.write("a.toml", &example("ashfield-medical-centre.toml"));
    let rules = std::fs::read_to_string(repo().join("policy-templates/reply-rules.toml")).unwrap();
    sandbox.write(
        "t/reply-rules.toml",
        &rules.replacen("\"blood test\",", "\"blood test\", \"phlebotomy\",", 1),
    );
    let draft =
        "Thank you for your feedback. We are sorry phlebotomy was busy. Please call 0114 496 0457.";
    let (code, _) = check(&sandbox, draft, &[]);
    assert_eq!(code, 0, "not a built-in word");
    let (code, findings) = check(&sandbox, draft, &["--templates", "t"]);
    assert_eq!(code, 1);
    assert_eq!(
        errors(&findings),
        BTreeSet::from(["clinical-detail".to_string()])
    );
    // A broken rules file is reported, naming the file.
    sandbox.write("t/reply-rules.toml", "[[rule]]\nid = 1\n");
    let run = sandbox.run(&[
        "reply",
        "check",
        "draft.txt",
        "--config",
        "a.toml",
        "--templates",
        "t",
    ]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("reply-rules.toml"),
        "{}",
        run.stderr()
    );
}

/// Ways around the identifier and name rules that a member practice (or a
/// hurried writer) might find: an NHS number grouped or written in other
/// digits, and a name built from the complaints lead's words.
#[test]
fn nhs_numbers_however_grouped_and_names_from_the_leads_words_are_found() {
    let sandbox = Sandbox::new();
    let config = example("ashfield-medical-centre.toml");
    assert!(
        config.contains("lead_name = \"Jane Smith\""),
        "the example's lead moved"
    );
    sandbox.write("a.toml", &config);
    for number in [
        "943.476.5919",
        "943 4765 919",
        "94347 65919",
        "943/476/5919",
        "9 4 3 4 7 6 5 9 1 9",
        "９４３４７６５９１９",
        "943-476-5919",
    ] {
        let draft = format!("Thank you for your feedback. Your reference is {number}.");
        let (code, findings) = check(&sandbox, &draft, &[]);
        assert_eq!(code, 1, "{number}: {findings:?}");
        assert!(
            errors(&findings).contains("identifier"),
            "{number}: {findings:?}"
        );
    }
    // Ten digits that are not an NHS number, and dates and counts, pass.
    let (code, findings) = check(
        &sandbox,
        "Thank you for your feedback. Our 2024/2025 survey had 120 replies; we are open 8 till 6.",
        &[],
    );
    assert_eq!(code, 0, "{findings:?}");

    for (draft, named) in [
        (
            "Thank you for your feedback. We have spoken to Jane Doe about this.",
            true,
        ),
        (
            "Thank you for your feedback. Jane Smith will call you.",
            false,
        ),
        (
            "Thank you for your feedback. Jane will call you to talk it through.",
            false,
        ),
    ] {
        let (_, findings) = check(&sandbox, draft, &[]);
        assert_eq!(
            errors(&findings).contains("names-person"),
            named,
            "{draft}: {findings:?}"
        );
    }
    // Characters that show nothing hide nothing from the checker.
    let (code, findings) = check(
        &sandbox,
        "Thank you for your feedback. NHS number 943\u{200b}476\u{ad}5919. Your appoint\u{2060}ment with diab\u{feff}etes.",
        &[],
    );
    assert_eq!(code, 1, "{findings:?}");
    for rule in ["identifier", "confirms-patient", "clinical-detail"] {
        assert!(errors(&findings).contains(rule), "{rule}: {findings:?}");
    }
    // Nor do the other default-ignorable characters: the deprecated format
    // characters, variation selectors, tags, shorthand and musical
    // formatting controls.
    for hidden in [
        '\u{206a}',
        '\u{206f}',
        '\u{fe00}',
        '\u{fe0f}',
        '\u{e0001}',
        '\u{e0020}',
        '\u{180b}',
        '\u{2065}',
        '\u{fff9}',
        '\u{1d173}',
        '\u{1bca0}',
        '\u{e0100}',
    ] {
        let draft = format!(
            "Thank you for your feedback. NHS number 943{hidden}476{hidden}5919. Your bl{hidden}ood te{hidden}st res{hidden}ults."
        );
        let (code, findings) = check(&sandbox, &draft, &[]);
        assert_eq!(code, 1, "U+{:04X}: {findings:?}", hidden as u32);
        assert!(
            errors(&findings).contains("identifier"),
            "U+{:04X}: {findings:?}",
            hidden as u32
        );
    }
    // A config phone number with an NHS number's digits does not shelter it.
    let advocacy = config.find("[advocacy]").unwrap();
    let phone = advocacy + config[advocacy..].find("phone = ").unwrap();
    let end = phone + config[phone..].find('\n').unwrap();
    sandbox.write(
        "a.toml",
        &format!(
            "{}phone = \"0163290008\"{}",
            &config[..phone],
            &config[end..]
        ),
    );
    let (code, findings) = check(
        &sandbox,
        "Thank you for your feedback. Please call 0114 496 0456. NHS no. 016-329-0008",
        &[],
    );
    assert_eq!(code, 1, "{findings:?}");
    assert!(errors(&findings).contains("identifier"), "{findings:?}");
    // A lead whose name has more words shelters runs of them only.
    sandbox.write(
        "a.toml",
        &config.replace(
            "lead_name = \"Jane Smith\"",
            "lead_name = \"Mary Jane Smith Brown\"",
        ),
    );
    for (draft, named) in [
        (
            "Thank you for your feedback Jane Brown, please call us.",
            true,
        ),
        (
            "Thank you for your feedback. Mary Jane Smith Brown will call you.",
            false,
        ),
        ("Thank you for your feedback. Mary will call you.", false),
    ] {
        let (_, findings) = check(&sandbox, draft, &[]);
        assert_eq!(
            errors(&findings).contains("names-person"),
            named,
            "{draft}: {findings:?}"
        );
    }
    // A lead with many names shelters only its own name.
    sandbox.write(
        "a.toml",
        &config.replace(
            "lead_name = \"Jane Smith\"",
            "lead_name = \"Sarah Tom Daz Mohammed Olivia Doe Jones\"",
        ),
    );
    for draft in [
        "Thank you for your feedback. Sarah Doe will call you.",
        "Hi Tom Jones, thank you for your feedback.",
        "Thank you for your feedback. Mohammed Jones has been told.",
        "Thank you for your feedback. Tom Daz Jones has been told.",
    ] {
        let (code, findings) = check(&sandbox, draft, &[]);
        assert_eq!(code, 1, "{draft}: {findings:?}");
    }
}
