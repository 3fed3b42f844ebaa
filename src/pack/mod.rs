//! Stage 4: many practices — finding configs, building them, writing files, reporting.

pub mod batch;
pub mod build;
pub mod changes;
pub mod discover;
pub mod fingerprint;
pub mod index;
pub mod interrupt;
pub mod lock;
pub mod manifest;
pub mod record;
pub mod write;
pub mod zip;
