//! NHS ODS practice lists → practice configs.
//!
//! [`epraccur`] reads the ODS GP practice file and writes one config per
//! practice; [`readable`] turns ODS capitals into names and addresses people
//! can read; [`slugs`] gives each practice a slug that is unique and never
//! changes; [`config`] writes a new config or refreshes the ODS keys of one
//! that exists.

pub mod config;
pub mod epraccur;
pub mod readable;
pub mod slugs;
