//! Public replies to online reviews: checking a draft against UK guidance
//! (`reply check`) and drafting one from the handbook's model replies
//! (`reply draft`). The rules, word lists and model replies are data in
//! `policy-templates/`, overridable with `--templates`.

pub mod check;
pub mod draft;
pub mod model;
pub mod rules;
