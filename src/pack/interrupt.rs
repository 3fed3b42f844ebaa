//! Ctrl-C: finish the file being written, start nothing new, exit 130.
//!
//! Every file is written to a temporary file and renamed, so stopping
//! between files leaves each output either as it was or complete.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Catches Ctrl-C (and SIGTERM) from now on.
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // If a handler cannot be set, Ctrl-C simply ends the process as usual.
        let _ = ctrlc::set_handler(|| REQUESTED.store(true, Ordering::SeqCst));
    });
}

pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
