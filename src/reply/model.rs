//! The model public replies (`policy-templates/model-replies.toml`): the
//! handbook prints them and `reply draft` fills them in, from one file.

use anyhow::bail;
use serde::Deserialize;

/// Every model reply, in the handbook's order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelReplies {
    pub reply: Vec<ModelReply>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelReply {
    /// positive, negative, complaint, question, urgent.
    pub kind: String,
    /// The handbook's heading for it.
    pub title: String,
    pub sentences: Vec<Sentence>,
    /// Other wordings of the same reply, for `reply draft` to vary what it
    /// posts; the handbook prints `sentences`.
    #[serde(default)]
    pub more: Vec<Vec<Sentence>>,
    pub sign_off: String,
    /// A note for staff, printed after it in the handbook.
    pub note: Option<String>,
}

/// One sentence, or alternatives: the first whose placeholders all have values.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Sentence {
    One(String),
    FirstOf(Vec<String>),
}

/// The values placeholders stand for, already in the form the output needs
/// (plain text for a reply, Markdown for the handbook).
#[derive(Debug, Default)]
pub struct Values {
    pub practice: String,
    pub lead_role: String,
    pub phone: String,
    pub practice_phone: String,
    pub email: Option<String>,
    pub complaints_page: Option<String>,
    pub website: Option<String>,
}

impl Values {
    fn get(&self, name: &str) -> Option<Option<&str>> {
        Some(match name {
            "practice" => Some(self.practice.as_str()),
            "lead_role" => Some(self.lead_role.as_str()),
            "phone" => Some(self.phone.as_str()),
            "practice_phone" => Some(self.practice_phone.as_str()),
            "email" => self.email.as_deref(),
            "complaints_page" => self.complaints_page.as_deref(),
            "website" => self.website.as_deref(),
            _ => return None,
        })
    }
}

/// A model reply with the practice's details in it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Filled {
    pub kind: String,
    pub title: String,
    /// The reply's one paragraph.
    pub body: String,
    pub sign_off: String,
    pub note: Option<String>,
}

impl Filled {
    /// The reply as it would be posted: the paragraph, a blank line, the sign-off.
    pub fn text(&self) -> String {
        format!("{}\n\n{}\n", self.body, self.sign_off)
    }
}

impl ModelReplies {
    /// Reads the file and checks every placeholder is one we fill.
    pub fn parse(text: &str) -> anyhow::Result<ModelReplies> {
        let replies: ModelReplies = toml::from_str(text)?;
        let probe = Values::default();
        for reply in &replies.reply {
            let all = reply
                .sentences
                .iter()
                .chain(reply.more.iter().flatten())
                .flat_map(|s| match s {
                    Sentence::One(one) => std::slice::from_ref(one),
                    Sentence::FirstOf(many) => many.as_slice(),
                })
                .chain([&reply.sign_off]);
            for sentence in all {
                for name in placeholders(sentence) {
                    if probe.get(name).is_none() {
                        bail!(
                            "the reply \"{}\" uses {{{name}}}, which is not a placeholder: use practice, lead_role, phone, practice_phone, email, complaints_page or website",
                            reply.title
                        );
                    }
                }
            }
        }
        Ok(replies)
    }

    pub fn get(&self, kind: &str) -> Option<&ModelReply> {
        self.reply.iter().find(|r| r.kind == kind)
    }

    /// Every reply filled in.
    pub fn fill(&self, values: &Values) -> Vec<Filled> {
        self.reply.iter().map(|r| r.fill(values)).collect()
    }
}

impl ModelReply {
    /// How many wordings it has: `sentences` and each of `more`.
    pub fn wordings(&self) -> usize {
        1 + self.more.len()
    }

    /// The first wording filled in: the handbook's.
    pub fn fill(&self, values: &Values) -> Filled {
        self.fill_wording(values, 0)
    }

    /// Wording `index` (0: `sentences`, then each of `more`) filled in.
    pub fn fill_wording(&self, values: &Values, index: usize) -> Filled {
        let sentences = match index {
            0 => &self.sentences,
            n => self.more.get(n - 1).unwrap_or(&self.sentences),
        };
        let body: Vec<String> = sentences
            .iter()
            .filter_map(|sentence| match sentence {
                Sentence::One(one) => fill(one, values),
                Sentence::FirstOf(many) => many.iter().find_map(|s| fill(s, values)),
            })
            .collect();
        Filled {
            kind: self.kind.clone(),
            title: self.title.clone(),
            body: body.join(" "),
            sign_off: fill(&self.sign_off, values).unwrap_or_default(),
            note: self.note.clone(),
        }
    }
}

/// A text with the placeholders it can fill filled, and the others (or
/// those without a value) as they stand: for hints.
pub fn fill_text(text: &str, values: &Values) -> String {
    let mut out = text.to_string();
    for name in [
        "practice",
        "lead_role",
        "phone",
        "practice_phone",
        "email",
        "complaints_page",
        "website",
    ] {
        if let Some(Some(value)) = values.get(name) {
            out = out.replace(&format!("{{{name}}}"), value);
        }
    }
    out
}

/// The names in `{…}` in a sentence.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// The sentence with its placeholders filled, or `None` when one has no value.
fn fill(sentence: &str, values: &Values) -> Option<String> {
    let mut out = String::with_capacity(sentence.len() + 32);
    let mut rest = sentence;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some((name, after)) = rest[open + 1..].split_once('}') else {
            out.push_str(&rest[open..]);
            return Some(out);
        };
        out.push_str(values.get(name).flatten()?);
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_without_its_value_is_left_out_and_alternatives_fall_back() {
        let replies = ModelReplies::parse(
            "[[reply]]\nkind = \"b\"\ntitle = \"B\"\nsign_off = \"The team at {practice}\"\nsentences = [\"Hello.\", [\"Call {phone} or {email}.\", \"Call {phone}.\"], \"See {website}.\"]\n",
        )
        .unwrap();
        let values = Values {
            practice: "X".into(),
            phone: "01".into(),
            ..Values::default()
        };
        let filled = replies.fill(&values).remove(0);
        assert_eq!(filled.body, "Hello. Call 01.");
        assert_eq!(filled.text(), "Hello. Call 01.\n\nThe team at X\n");
    }

    #[test]
    fn an_unknown_placeholder_is_refused() {
        let err = ModelReplies::parse(
            "[[reply]]\nkind = \"b\"\ntitle = \"B\"\nsign_off = \"x\"\nsentences = [\"Hi {name}.\"]\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("{name}"), "{err}");
    }
}
