//! `reply draft`: a model reply filled in for the practice, but only for a
//! review that is plainly praise, an ordinary complaint, negative feedback
//! or a question with no sign of risk. Everything else is held for a
//! person, most urgent first: a friendly public reply is the wrong answer
//! to a post that needs someone today, and when the words cannot tell, a
//! person reads it.

use super::rules::{Escalation, Rules};

/// The kinds of review `--kind` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Positive,
    Negative,
    Complaint,
    Question,
    /// Praise and criticism together.
    Mixed,
    /// Abusive, threatening or defamatory: never answered in public.
    Abusive,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Positive => "positive",
            Kind::Negative => "negative",
            Kind::Complaint => "complaint",
            Kind::Question => "question",
            Kind::Mixed => "mixed",
            Kind::Abusive => "abusive",
        }
    }
}

/// What to do about a review.
#[derive(Debug)]
pub enum Decision<'r> {
    /// Reply with the model reply of this kind.
    Reply(&'static str),
    /// Do not reply: a person must read it, for each of these reasons,
    /// most urgent first (the rules' `unclear` when the words say nothing
    /// policypack can go on).
    Hold(Vec<&'r Escalation>),
}

/// What a review's words say to do: every escalation whose words it has,
/// most urgent first; otherwise the model reply that fits, when the words
/// say clearly which one does.
pub fn decide<'r>(rules: &'r Rules, review: &str) -> Decision<'r> {
    let held: Vec<&Escalation> = rules
        .escalate
        .iter()
        .filter(|e| e.matches(review))
        .collect();
    if !held.is_empty() {
        return Decision::Hold(held);
    }
    let c = &rules.classify;
    let any = |patterns: &[regex::Regex]| patterns.iter().any(|p| p.is_match(review));
    // "Not helpful or friendly" is no praise: negated words are taken out
    // before praise is looked for.
    let unnegated = NEGATED.replace_all(review, " ");
    let (positive, negative, complaint, question) = (
        c.positive.iter().any(|p| p.is_match(&unnegated)),
        any(&c.negative),
        any(&c.complaint),
        any(&c.question),
    );
    Decision::Reply(if positive && (negative || complaint) {
        "mixed"
    } else if complaint {
        "complaint"
    } else if negative {
        "negative"
    } else if question {
        "question"
    } else if positive {
        "positive"
    } else {
        return Decision::Hold(vec![&rules.unclear]);
    })
}

/// "not helpful", "wasn't very friendly or kind", "never caring".
static NEGATED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:not|never|wasn['’]?t|isn['’]?t|weren['’]?t|aren['’]?t|hardly|far from)\s+(?:(?:very|at all|really|particularly|exactly|so|too)\s+)?\w+(?:\s+(?:or|and|nor)\s+\w+)*")
        .expect("valid")
});

/// What to do for a kind chosen with `--kind`.
pub fn for_kind(rules: &Rules, kind: Kind) -> Decision<'_> {
    match kind {
        Kind::Abusive => Decision::Hold(
            rules
                .escalate
                .iter()
                .filter(|e| e.kind == "abusive")
                .take(1)
                .collect(),
        ),
        other => Decision::Reply(other.key()),
    }
}

/// Which of `count` wordings a review gets: the same review always gets
/// the same one, and different reviews spread over all of them, so a page
/// of replies does not read as one reply pasted again. Case, spacing and
/// punctuation do not change the choice.
pub fn wording(review: Option<&str>, count: usize) -> usize {
    use sha2::Digest as _;
    let Some(review) = review else {
        return 0;
    };
    let mut hasher = sha2::Sha256::new();
    for word in review
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        hasher.update(word.to_lowercase().as_bytes());
        hasher.update(b" ");
    }
    let digest = hasher.finalize();
    let first = u64::from_be_bytes(digest[..8].try_into().expect("32 bytes"));
    (first % count.max(1) as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::parse(include_str!("../../policy-templates/reply-rules.toml"), "r").unwrap()
    }

    fn decided(rules: &Rules, review: &str) -> String {
        match decide(rules, review) {
            Decision::Hold(held) => held[0].kind.clone(),
            Decision::Reply(kind) => format!("reply {kind}"),
        }
    }

    #[test]
    fn reviews_get_the_reply_their_words_suggest() {
        let rules = rules();
        let cases = [
            (
                "Lovely friendly staff, thank you so much!",
                "reply positive",
            ),
            (
                "Impossible to get through on the phone, terrible.",
                "reply negative",
            ),
            (
                "The doctor was rude and refused to listen. I want to complain.",
                "reply complaint",
            ),
            (
                "How do I order a repeat prescription online?",
                "reply question",
            ),
            (
                "The nurses are brilliant but the phones are a nightmare, waited 50 minutes.",
                "reply mixed",
            ),
            ("ok", "unclear"),
        ];
        for (review, want) in cases {
            assert_eq!(decided(&rules, review), want, "{review}");
        }
    }

    #[test]
    fn risks_are_held_most_urgent_first() {
        let rules = rules();
        let cases = [
            (
                "My dad collapsed in the waiting room and nobody called an ambulance",
                "emergency",
            ),
            ("I feel suicidal and nobody will see me", "safeguarding"),
            (
                "Don't bother ringing me back. Nobody would miss me anyway.",
                "safeguarding",
            ),
            ("I know where you live, watch your back", "threat"),
            (
                "Shame about the receptionist with the red car, finishes at 6 every Tuesday doesn't she",
                "threat",
            ),
            (
                "My solicitor will be in touch about this negligence",
                "legal",
            ),
            ("Useless idiots on reception", "abusive"),
            (
                "I'm a reporter at the local paper and would like a comment on this story",
                "press",
            ),
            (
                "Your receptionist told my neighbour about my test results. That's a data breach.",
                "data-protection",
            ),
            ("I have reported Dr Smith to the GMC.", "regulator"),
            (
                "My mum passed away last month and I want to thank the nurses.",
                "bereavement",
            ),
        ];
        for (review, want) in cases {
            assert_eq!(decided(&rules, review), want, "{review}");
        }
        // Two reasons: both are given, the life first.
        let Decision::Hold(held) = decide(
            &rules,
            "My husband never lets me see the doctor on my own and honestly I can't see the point of carrying on.",
        ) else {
            panic!("held");
        };
        assert!(held.len() >= 2, "{held:?}");
        assert!(held.windows(2).all(|w| w[0].urgency <= w[1].urgency));
    }

    #[test]
    fn a_wording_is_chosen_by_the_review_and_spread_over_all() {
        assert_eq!(wording(None, 3), 0);
        let a = wording(Some("Great staff, thank you!"), 3);
        assert_eq!(a, wording(Some("great  STAFF thank you"), 3));
        let seen: std::collections::BTreeSet<usize> = (0..30)
            .map(|i| wording(Some(&format!("review number {i}")), 3))
            .collect();
        assert_eq!(seen.len(), 3);
    }
}
