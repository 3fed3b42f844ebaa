//! policypack: a GP practice's TOML config → online-feedback policy documents.
//!
//! `main` only parses the command line, runs one command and turns its
//! result into an exit code: 0 success, 1 the input had problems, 2 usage or
//! I/O errors.

use std::process::ExitCode;

use clap::Parser;

use policypack::cli::{Cli, ColorChoice, Command};
use policypack::diagnostics::ERROR;
use policypack::{Outcome, cmd};

fn main() -> ExitCode {
    // `policypack … | head` ends quietly when `head` stops reading, as
    // other command-line tools do, instead of panicking on a closed pipe.
    #[cfg(unix)]
    // SAFETY: called first, before any thread exists; restores the
    // default disposition the Rust runtime changed.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // glibc grows each worker thread's heap a page or so at a time, with a
    // system call each time (1,700 of them for 20 practices); asking for
    // 16 MB more whenever it grows makes that a handful (BENCHMARKS.md,
    // "Speed, round 4").
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: glibc takes its own lock in mallopt; no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
    let cli = Cli::parse();
    // anstream strips colour when stderr is not a terminal, or NO_COLOR is
    // set, unless --color always asks for it.
    match cli.global.color {
        ColorChoice::Auto => {}
        ColorChoice::Always => anstream::ColorChoice::Always.write_global(),
        ColorChoice::Never => anstream::ColorChoice::Never.write_global(),
    }
    let result = match cli.command {
        Command::New(args) => cmd::new::run(&args, &cli.global),
        Command::Check(args) => cmd::check::run(&args, &cli.global),
        Command::Build(args) => cmd::build::run(&args, &cli.global),
        Command::Status(args) => cmd::status::run(&args, &cli.global),
        Command::Changes(args) => cmd::changes::run(&args, &cli.global),
        Command::Import(policypack::cli::ImportCommand::Epraccur(args)) => {
            cmd::import::run(&args, &cli.global)
        }
        Command::Reply(policypack::cli::ReplyCommand::Check(args)) => {
            cmd::reply::check(&args, &cli.global)
        }
        Command::Reply(policypack::cli::ReplyCommand::Draft(args)) => {
            cmd::reply::draft(&args, &cli.global)
        }
        Command::Facts(args) => cmd::facts::run(&args, &cli.global),
        Command::Schema { shared } => cmd::schema::run(shared),
        Command::Serve(args) => policypack::serve::run(&args, &cli.global),
        Command::Completions { shell } => cmd::schema::completions(shell),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::InputProblems) => ExitCode::from(1),
        Ok(Outcome::IoProblems) => ExitCode::from(2),
        Ok(Outcome::Interrupted) => ExitCode::from(policypack::pack::interrupt::exit_code()),
        Err(error) => {
            anstream::eprintln!("{ERROR}error{ERROR:#}: {error:#}");
            ExitCode::from(2)
        }
    }
}
