//! NHS ODS practice lists → practice configs.
//!
//! [`epraccur`] reads the ODS GP practice file and writes one config per
//! practice; [`readable`] turns ODS capitals into names and addresses people
//! can read; [`slugs`] gives each practice a slug that is unique and never
//! changes; [`config`] makes the text of a new config or refreshes the ODS
//! keys of one that exists; [`mod@write`] does that to each practice's file
//! (or, in a dry run, only works it out), honouring `keep`.

pub mod config;
pub mod epraccur;
pub mod readable;
pub mod slugs;
pub mod write;
