//! Public replies to online reviews: checking a draft against UK guidance
//! (`reply check`) and drafting one from the handbook's model replies
//! (`reply draft`). The rules (their words, patterns and escalations) and
//! the model replies are data in `policy-templates/`, which an LMC's
//! `--templates` may add to but not weaken. So are the word lists that
//! tell a name from other capitalised words (`[words]` in
//! `reply-rules.toml`: titles, signature words, words that are never
//! names), which only the built-in file sets.

pub mod check;
pub mod draft;
pub mod model;
pub mod rules;
