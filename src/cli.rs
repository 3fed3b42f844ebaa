//! The command line, as clap derive types; the `///` docs are the `--help` text.
// The doc comments below are clap's help text, read in a terminal: a
// `<slug>` there is a placeholder, not an HTML tag.
#![allow(rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Nation;
use crate::content::DocKind;
use crate::render::{EditionName, Format};

#[derive(Debug, Parser)]
#[command(
    name = "policypack",
    version,
    about = "Builds a GP practice's online-feedback policy documents from one TOML config",
    long_about = "Builds a GP practice's online-feedback policy documents from one TOML config: \
a social-media zero-tolerance notice, a complaints leaflet and a staff handbook, as Markdown, HTML, PDF and Word, in standard and large print; and checks or drafts public replies to online reviews.",
    after_help = "Example:\n  policypack new practice-configs/my-surgery.toml --name \"My Surgery\" --nation wales\n  policypack check practice-configs/my-surgery.toml\n  policypack build practice-configs/my-surgery.toml -o out"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what is done.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Treat warnings (recommended keys left out; a document changed without a new version or issue date; with import, a name or phone number left as the config has it) as errors: exit 1, and build nothing for that practice.
    #[arg(long, global = true)]
    pub deny_warnings: bool,
    /// Human-readable text, or one JSON object per line (check, build, status, facts, reply and import).
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a commented starter config for a practice.
    #[command(
        after_help = "Example:\n  policypack new practice-configs/my-surgery.toml --name \"My Surgery\" --nation wales"
    )]
    New(NewArgs),
    /// Check configs and report every problem, with file, line, key and a hint.
    #[command(
        after_help = "Example:\n  policypack check practice-configs/ashfield-medical-centre.toml practice-configs/lmc"
    )]
    Check(CheckArgs),
    /// Build the documents of one or more practices.
    #[command(
        after_help = "Example:\n  policypack build practice-configs/ashfield-medical-centre.toml -o out --formats md,html"
    )]
    Build(BuildArgs),
    /// One row per practice: issued, review due, overdue or not, outputs current or stale.
    #[command(
        after_help = "Example:\n  policypack status practice-configs/doncaster-lmc --today 2027-11-02 --fail-on-overdue"
    )]
    Status(StatusArgs),
    /// What the newest build (or every build since a date) changed, per practice: what to reprint, which keys changed, old and new values.
    #[command(
        after_help = "Every build that writes a file records OUT/changes/<time>.json and .csv.\n\nExample:\n  policypack changes --format csv > reprint.csv\n  policypack changes -o lmc-out --since 2026-11-01"
    )]
    Changes(ChangesArgs),
    /// Write practice configs from an NHS ODS practice list, or refresh them from a newer one.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Check a draft public reply to an online review, or draft one.
    #[command(subcommand)]
    Reply(ReplyCommand),
    /// Print every nation fact (time limits, bodies, phones, laws) with its source and the date it was checked.
    #[command(
        after_help = "Example:\n  policypack facts wales\n  policypack facts --message-format json > facts.jsonl"
    )]
    Facts(FactsArgs),
    /// Print the JSON Schema of the config, for editor completion.
    #[command(
        after_help = "Example:\n  policypack schema > policypack.schema.json\n  policypack schema --shared > policypack-shared.schema.json"
    )]
    Schema {
        /// The schema for shared defaults such as _lmc.toml: every key optional.
        #[arg(long)]
        shared: bool,
    },
    /// The web app over the configs below DIR: practices, the config form, previews and downloads, the reply checker.
    #[command(
        after_help = "Without --auth it listens on loopback only. For an LMC hosting it for its practices:\n  policypack serve --new-auth lmc-keys.json practice-configs/doncaster-lmc --public-url https://policy.example-lmc.org.uk\n  policypack serve practice-configs/doncaster-lmc --auth lmc-keys.json --addr 0.0.0.0:8080\n\nExample:\n  policypack serve practice-configs --addr 127.0.0.1:8080 -o out"
    )]
    Serve(ServeArgs),
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  policypack completions bash > /etc/bash_completion.d/policypack"
    )]
    Completions {
        /// The shell to write completions for.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The folder of practice configs to serve.
    #[arg(default_value = "practice-configs")]
    pub dir: PathBuf,
    /// Where to listen; port 0 chooses a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The output folder, shared with `policypack build`.
    #[arg(short, long, default_value = "out")]
    pub out: PathBuf,
    /// An NHS ODS `epraccur.csv`: an ODS code on the form fills in the practice's name, address, phone and commissioner.
    #[arg(long, value_name = "CSV")]
    pub ods: Option<PathBuf>,
    /// The key file `--new-auth` wrote: every page then needs a secret link, and any address may be used.
    #[arg(long, value_name = "FILE", conflicts_with = "new_auth")]
    pub auth: Option<PathBuf>,
    /// Write a new key file for the practices below DIR and print one secret link per practice and one for the LMC, then stop.
    #[arg(long, value_name = "FILE")]
    pub new_auth: Option<PathBuf>,
    /// The address people open, for the links `--new-auth` prints (default: http://ADDR).
    #[arg(long, value_name = "URL", requires = "new_auth")]
    pub public_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Where to write the config; an existing file is never overwritten.
    pub path: PathBuf,
    /// The practice's name.
    #[arg(long)]
    pub name: Option<String>,
    /// The UK nation whose complaints rules apply.
    #[arg(long, value_parser = nation_value(), default_value = "england")]
    pub nation: Nation,
}

/// A nation named on the command line: one of the built-in facts files'
/// names, which `--help` lists.
fn nation_value() -> impl clap::builder::TypedValueParser<Value = Nation> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Nation::keys())
        .try_map(|key| Nation::from_key(&key).ok_or(format!("unknown nation `{key}`")))
}

#[derive(Debug, Args)]
pub struct FactsArgs {
    /// Only this nation's facts; every nation's when left out.
    #[arg(value_parser = nation_value())]
    pub nation: Option<Nation>,
    /// A folder of templates whose nation files override the built-in ones.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Config files, or folders searched for `*.toml` (files starting with `_` are shared defaults and skipped).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Config files, or folders searched for `*.toml` (files starting with `_` are shared defaults and skipped).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output folder; each practice gets a subfolder named by its slug.
    #[arg(short, long, default_value = "out")]
    pub out: PathBuf,
    /// Documents to build, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = DocKind::ALL)]
    pub docs: Vec<DocKind>,
    /// Formats to write, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = Format::DEFAULT)]
    pub formats: Vec<Format>,
    /// Editions to write, comma-separated: large-print adds
    /// <document>.large-print.pdf and .docx for the notice and the leaflet.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [EditionName::Standard])]
    pub editions: Vec<EditionName>,
    /// A folder of templates that override the built-in ones file by file.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Practices built at once; all cores when left out.
    #[arg(short, long)]
    pub jobs: Option<usize>,
    /// Rebuild every document, even those whose inputs have not changed.
    #[arg(long)]
    pub force: bool,
    /// Also write OUT/<slug>.zip with each practice's files.
    #[arg(long)]
    pub zip: bool,
    /// Delete the outputs of practices that are no longer in the build.
    #[arg(long)]
    pub prune: bool,
    /// If another build is writing to the same output folder, stop (exit 2) instead of waiting for it.
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Config files, or folders searched for `*.toml`.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The output folder whose files are compared with the configs.
    #[arg(short, long, default_value = "out")]
    pub out: PathBuf,
    /// The date to judge reviews by (YYYY-MM-DD); today when left out.
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    /// Exit with code 1 when any practice's review is overdue.
    #[arg(long)]
    pub fail_on_overdue: bool,
    /// The templates folder the build used (`build --templates`), if any.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// table: to read (the default); csv for a spreadsheet; json, one object per practice (as --message-format json).
    #[arg(long, value_enum)]
    pub format: Option<StatusFormat>,
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// The output folder whose builds are listed.
    #[arg(short, long, default_value = "out")]
    pub out: PathBuf,
    /// Every build on or after this date (YYYY-MM-DD, UTC); without it, only the newest build.
    #[arg(long, conflicts_with = "all")]
    pub since: Option<chrono::NaiveDate>,
    /// Every build recorded, oldest first.
    #[arg(long)]
    pub all: bool,
    /// csv for a spreadsheet or mail merge, json (one object per practice per build), md for reading.
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
}

/// How `status` prints its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Table,
    Csv,
    Json,
}

/// How a list is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Json,
    Md,
}

#[derive(Debug, Subcommand)]
pub enum ReplyCommand {
    /// Check a draft reply for confidentiality breaches and unsafe wording before it is posted.
    #[command(
        after_help = "Exit codes: 0 nothing to fix (or only warnings), 1 an error to fix before posting, 2 unusable arguments or files.\n\nExample:\n  policypack reply check draft.txt --config practice-configs/ashfield-medical-centre.toml --review review.txt\n  pbpaste | policypack reply check - --config our.toml"
    )]
    Check(ReplyCheckArgs),
    /// Draft a safe reply from the handbook's model replies, filled in for the practice.
    #[command(
        after_help = "A review that describes an emergency, a safeguarding risk, a threat, a legal threat or abuse gets no draft: it says whom to tell instead (exit 1).\n\nExample:\n  policypack reply draft --config our.toml --review review.txt\n  policypack reply draft --config our.toml --kind complaint"
    )]
    Draft(ReplyDraftArgs),
}

#[derive(Debug, Args)]
pub struct ReplyCheckArgs {
    /// The draft reply: a text file, or - for standard input.
    pub draft: PathBuf,
    /// The practice's config: its name, phone numbers, email and complaints lead are its own.
    #[arg(long)]
    pub config: PathBuf,
    /// The review being answered (a text file, or -), to find names and words copied from it.
    #[arg(long)]
    pub review: Option<PathBuf>,
    /// The reviewer's name as the website shows it.
    #[arg(long)]
    pub reviewer: Option<String>,
    /// Templates folder with reply-rules.toml (wins over the config's `templates`).
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReplyDraftArgs {
    /// The practice's config.
    #[arg(long)]
    pub config: PathBuf,
    /// The review being answered (a text file, or -): suggests the kind of reply.
    #[arg(long)]
    pub review: Option<PathBuf>,
    /// The kind of review, if not suggested from --review.
    #[arg(long, value_enum)]
    pub kind: Option<crate::reply::draft::Kind>,
    /// Templates folder with model-replies.toml and reply-rules.toml.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import the GP practices of an NHS ODS epraccur.csv: one config per active practice; with --update, refresh the configs already there.
    #[command(
        after_help = "Exit codes: 0 done (a name or phone number reported and left is a warning), 1 bad rows or configs not updated (or warnings, with --deny-warnings), 2 the CSV cannot be read or the folder not written.\n\nExample:\n  policypack import epraccur epraccur.csv --into practice-configs/doncaster-lmc --commissioner 02X --extends _lmc.toml\n  policypack import epraccur epraccur.csv --into practice-configs/doncaster-lmc --commissioner 02X --update --dry-run\n  policypack import epraccur epraccur.csv --into practice-configs/doncaster-lmc --commissioner 02X --update"
    )]
    Epraccur(ImportEpraccurArgs),
}

#[derive(Debug, Args)]
pub struct ImportEpraccurArgs {
    /// The epraccur.csv file (no header, 27 quoted columns).
    pub csv: PathBuf,
    /// The folder to write configs into, one file per practice, named by slug.
    #[arg(long)]
    pub into: PathBuf,
    /// Only practices of this commissioner code (ODS column 15), e.g. 02X; repeatable.
    #[arg(long = "commissioner", value_name = "CODE")]
    pub commissioners: Vec<String>,
    /// Only practices whose postcode starts with this, e.g. DN; repeatable.
    #[arg(long = "postcode-prefix", value_name = "P")]
    pub postcode_prefixes: Vec<String>,
    /// Shared defaults every written config extends, relative to the config (e.g. _lmc.toml).
    #[arg(long)]
    pub extends: Option<String>,
    /// Refresh the ODS keys of configs that exist, keeping every other key and comment.
    /// Address and postcode follow ODS. A name or phone number that says something
    /// other than ODS (more than case, spacing or punctuation) is reported and left
    /// as it is. Keys listed in a config's `keep = [...]` are never changed.
    #[arg(long)]
    pub update: bool,
    /// With --update: take the ODS name and phone number where the config says
    /// something else. Keys in `keep` are still never changed.
    #[arg(long, requires = "update")]
    pub force: bool,
    /// Show what would be written and changed, key by key with the old and new
    /// values, and write nothing: no file, no folder. The exit code is the real run's.
    #[arg(long)]
    pub dry_run: bool,
}
