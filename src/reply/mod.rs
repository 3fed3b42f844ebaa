//! Public replies to online reviews: checking a draft against UK guidance
//! (`reply check`) and drafting one from the handbook's model replies
//! (`reply draft`). The rules (their words, patterns and escalations) and
//! the model replies are data in `policy-templates/`, which an LMC's
//! `--templates` may add to but not weaken; the word lists that tell a
//! name from other capitalised words (`check.rs`: titles, signature words,
//! words that are never names) are still in the code.

pub mod check;
pub mod draft;
pub mod model;
pub mod rules;
