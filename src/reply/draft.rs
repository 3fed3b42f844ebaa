//! `reply draft`: a model reply filled in for the practice, or, for a post
//! that needs someone told, nobody's reply but whom to tell.

use super::rules::Rules;

/// The kinds of review `--kind` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Positive,
    Negative,
    Complaint,
    Question,
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
            Kind::Abusive => "abusive",
        }
    }
}

/// What to do about a review.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision<'r> {
    /// Reply with the model reply of this kind.
    Reply(&'static str),
    /// Do not reply: tell someone (the escalation's kind and whom to tell).
    Escalate { kind: &'r str, tell: &'r str },
}

/// What a review's words say to do: an escalation first (emergency,
/// safeguarding, threat, legal, abuse, as the rules file orders them),
/// otherwise the model reply that fits.
pub fn decide<'r>(rules: &'r Rules, review: &str) -> Decision<'r> {
    if let Some(e) = rules
        .escalate
        .iter()
        .find(|e| e.patterns.iter().any(|p| p.is_match(review)))
    {
        return Decision::Escalate {
            kind: &e.kind,
            tell: &e.tell,
        };
    }
    let c = &rules.classify;
    let any = |patterns: &[regex::Regex]| patterns.iter().any(|p| p.is_match(review));
    Decision::Reply(if any(&c.complaint) {
        "complaint"
    } else if any(&c.negative) {
        "negative"
    } else if any(&c.question) {
        "question"
    } else if any(&c.positive) {
        "positive"
    } else {
        "negative"
    })
}

/// What to do for a kind chosen with `--kind`.
pub fn for_kind(rules: &Rules, kind: Kind) -> Decision<'_> {
    match kind {
        Kind::Abusive => match rules.escalate.iter().find(|e| e.kind == "abusive") {
            Some(e) => Decision::Escalate {
                kind: &e.kind,
                tell: &e.tell,
            },
            None => Decision::Escalate {
                kind: "abusive",
                tell: "Do not reply. Follow the handbook's section 5.",
            },
        },
        other => Decision::Reply(other.key()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::parse(include_str!("../../policy-templates/reply-rules.toml"), "r").unwrap()
    }

    #[test]
    fn reviews_get_the_reply_their_words_suggest() {
        let rules = rules();
        let cases = [
            (
                "Lovely friendly staff, thank you!",
                Decision::Reply("positive"),
            ),
            (
                "Impossible to get through on the phone, terrible.",
                Decision::Reply("negative"),
            ),
            (
                "The doctor was rude and refused to listen. I want to complain.",
                Decision::Reply("complaint"),
            ),
            (
                "How do I order a repeat prescription online?",
                Decision::Reply("question"),
            ),
        ];
        for (review, want) in cases {
            assert_eq!(decide(&rules, review), want, "{review}");
        }
    }

    #[test]
    fn risks_are_escalated_in_order() {
        let rules = rules();
        let kind = |review: &str| match decide(&rules, review) {
            Decision::Escalate { kind, .. } => kind.to_string(),
            Decision::Reply(kind) => format!("reply {kind}"),
        };
        assert_eq!(
            kind("My dad collapsed in the waiting room and nobody called an ambulance"),
            "emergency"
        );
        assert_eq!(
            kind("I feel suicidal and nobody will see me"),
            "safeguarding"
        );
        assert_eq!(kind("I know where you live, watch your back"), "threat");
        assert_eq!(
            kind("My solicitor will be in touch about this negligence"),
            "legal"
        );
        assert_eq!(kind("Useless idiots on reception"), "abusive");
    }
}
