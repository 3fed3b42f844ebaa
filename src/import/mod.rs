//! NHS ODS practice lists → practice configs.
