//! Stage 4: many practices — finding configs, building them, writing files, reporting.

pub mod build;
pub mod discover;
pub mod report;
pub mod write;
