//! Ctrl-C (SIGINT) and SIGTERM: finish the file being written, start
//! nothing new, exit 130 or 143 as a shell expects.
//!
//! The handlers are installed before anything is loaded, so a build can be
//! stopped at any stage, including while it waits for another build's lock.
//! Every file is written to a temporary file and renamed, so stopping
//! between files leaves each output either as it was or complete. A second
//! Ctrl-C ends the process at once; the files are still whole.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

struct Flags {
    int: Arc<AtomicBool>,
    term: Arc<AtomicBool>,
}

fn flags() -> &'static Flags {
    static FLAGS: OnceLock<Flags> = OnceLock::new();
    FLAGS.get_or_init(|| {
        let flags = Flags {
            int: Arc::new(AtomicBool::new(false)),
            term: Arc::new(AtomicBool::new(false)),
        };
        use signal_hook::consts::{SIGINT, SIGTERM};
        // If a handler cannot be set, the signal simply ends the process as usual.
        let _ = signal_hook::flag::register_conditional_shutdown(SIGINT, 130, flags.int.clone());
        let _ = signal_hook::flag::register(SIGINT, flags.int.clone());
        let _ = signal_hook::flag::register(SIGTERM, flags.term.clone());
        flags
    })
}

/// Catches Ctrl-C and SIGTERM from now on.
pub fn install() {
    flags();
}

pub fn requested() -> bool {
    let flags = flags();
    flags.int.load(Ordering::SeqCst) || flags.term.load(Ordering::SeqCst)
}

/// The exit code for the signal that stopped the build: 143 for SIGTERM,
/// 130 for Ctrl-C.
pub fn exit_code() -> u8 {
    if flags().term.load(Ordering::SeqCst) {
        143
    } else {
        130
    }
}
