//! Ctrl-C (SIGINT) and SIGTERM: finish the file being written, start
//! nothing new, exit 130 or 143 as a shell expects.
//!
//! The handlers are installed before anything is loaded, so a build can be
//! stopped at any stage, including while it waits for another build's lock.
//! Every file is written to a temporary file and renamed, so stopping
//! between files leaves each output either as it was or complete. A second
//! Ctrl-C or SIGTERM ends the process at once, and so does the first if the
//! build has not stopped within [`GRACE`] (a template that renders for
//! ever): the files are still whole, and the next build sweeps any
//! temporary file left.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

struct Flags {
    int: Arc<AtomicBool>,
    term: Arc<AtomicBool>,
}

/// Set by [`leave_signals_to_the_caller`].
static LEFT_TO_CALLER: AtomicBool = AtomicBool::new(false);

/// For a caller that handles Ctrl-C and SIGTERM itself (the web app, which
/// stops taking requests and lets those in flight finish): no handler is
/// installed, and a build is never asked to stop. Called before anything
/// else.
pub fn leave_signals_to_the_caller() {
    LEFT_TO_CALLER.store(true, Ordering::SeqCst);
}

fn flags() -> &'static Flags {
    static FLAGS: OnceLock<Flags> = OnceLock::new();
    FLAGS.get_or_init(|| {
        let flags = Flags {
            int: Arc::new(AtomicBool::new(false)),
            term: Arc::new(AtomicBool::new(false)),
        };
        if LEFT_TO_CALLER.load(Ordering::SeqCst) {
            return flags;
        }
        use signal_hook::consts::{SIGINT, SIGTERM};
        // If a handler cannot be set, the signal simply ends the process as usual.
        let _ = signal_hook::flag::register_conditional_shutdown(SIGINT, 130, flags.int.clone());
        let _ = signal_hook::flag::register(SIGINT, flags.int.clone());
        let _ = signal_hook::flag::register_conditional_shutdown(SIGTERM, 143, flags.term.clone());
        let _ = signal_hook::flag::register(SIGTERM, flags.term.clone());
        let (int, term) = (flags.int.clone(), flags.term.clone());
        // The watchdog: a stop that is asked for happens, even while a
        // template is rendering.
        let _ = std::thread::Builder::new()
            .name("policypack-stop".into())
            .spawn(move || {
                while !int.load(Ordering::SeqCst) && !term.load(Ordering::SeqCst) {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                std::thread::sleep(GRACE);
                let code = if term.load(Ordering::SeqCst) {
                    143
                } else {
                    130
                };
                eprintln!(
                    "policypack: still busy {} s after being asked to stop; stopping now",
                    GRACE.as_secs()
                );
                std::process::exit(code);
            });
        flags
    })
}

/// How long a build may take to stop after Ctrl-C or SIGTERM.
pub const GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Catches Ctrl-C and SIGTERM from now on.
pub fn install() {
    flags();
}

/// The error a build returns when it stops because Ctrl-C or SIGTERM
/// asked it to: not a fault of the practice, so nothing is reported.
#[derive(Debug)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

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
