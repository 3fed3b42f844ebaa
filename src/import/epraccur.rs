//! NHS ODS `epraccur.csv` → one practice config per active GP practice.
//!
//! The file has no header and 27 quoted columns (see the ODS README in
//! `shared/data/ods/`). A row is imported when its status (column 13) is
//! `A` and its prescribing setting (column 26) is `4`, a GP practice, and it
//! passes the `--commissioner` and `--postcode-prefix` filters. Slugs are
//! worked out over every active GP practice of the file first (see
//! [`super::slugs`]), so a filter never changes one.
//!
//! A row that cannot make a valid config (wrong number of columns, no name,
//! a field longer than any config value, a postcode, phone number or name
//! that [`rules`](crate::config::rules) refuses, a character the fonts
//! cannot draw…) is reported with its line and skipped; the others are
//! still written. The file is read as a stream, twice, never whole.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;
use rayon::prelude::*;

use super::config::{Left, Practice};
use super::readable::text as readable;
use super::slugs;
use super::write::{Action, FileReport, could_create, could_write_in, write};
use crate::config::Nation;
use crate::config::rules::{
    check_ods_code, check_plain_text, normalise_postcode, phone_digits, slugify,
};

/// Columns in a row of epraccur.csv; the 0-based indexes of those used follow.
const COLUMNS: usize = 27;
const CODE: usize = 0;
const NAME: usize = 1;
const ADDRESS: std::ops::Range<usize> = 4..9;
const POSTCODE: usize = 9;
const STATUS: usize = 12;
const COMMISSIONER: usize = 14;
const PHONE: usize = 17;
const SETTING: usize = 25;

/// Longest address the config accepts.
const MAX_ADDRESS_LINES: usize = 6;

/// What to import, and where to.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    pub csv: &'a Path,
    pub into: &'a Path,
    /// Commissioner codes (column 15); any of them. Empty: all.
    pub commissioners: &'a [String],
    /// Postcode beginnings, compared on the normalised postcode; any of them.
    pub postcode_prefixes: &'a [String],
    /// Written as `extends = "…"` in each config.
    pub extends: Option<&'a str>,
    /// Refresh the ODS keys of configs that exist.
    pub update: bool,
    /// With `update`: take the ODS name and phone number even where the
    /// config says something else (never a key in `keep`).
    pub force: bool,
    /// Work out what would be written and changed, and write nothing.
    pub dry_run: bool,
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// Line in the CSV file, from 1.
    pub line: u64,
    pub reason: String,
}

/// The most bad rows kept with their reasons; the rest are counted. A
/// file of two million bad rows held them all (383 MB).
pub const MAX_BAD_ROWS_KEPT: usize = 1_000;

/// Rows not imported: the first [`MAX_BAD_ROWS_KEPT`] by line, and how
/// many in all.
#[derive(Debug, Default)]
pub struct BadRows {
    /// Sorted by line.
    pub rows: Vec<BadRow>,
    pub total: usize,
}

impl BadRows {
    fn push(&mut self, row: BadRow) {
        self.total += 1;
        if self.rows.len() < MAX_BAD_ROWS_KEPT {
            self.rows.push(row);
        }
    }

    /// Both passes' rows: the first kept of each, by line, hold the first
    /// of all.
    fn merge(&mut self, other: BadRows) {
        self.total += other.total;
        self.rows.extend(other.rows);
        self.rows.sort_by_key(|b| b.line);
        self.rows.truncate(MAX_BAD_ROWS_KEPT);
    }
}

/// Everything an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per imported practice, in the order of the CSV file.
    pub files: Vec<FileReport>,
    pub bad_rows: BadRows,
}

impl Report {
    pub fn count(&self, action: Action) -> usize {
        self.files.iter().filter(|f| f.action == action).count()
    }

    /// Differences of one kind left in all files.
    pub fn left(&self, left: Left) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.differences)
            .filter(|d| d.left == left)
            .count()
    }
}

/// An active GP practice row, before the filters.
struct Row {
    line: u64,
    fields: csv::StringRecord,
    name: String,
    /// None when the name has no letters or digits.
    name_slug: Option<String>,
}

impl Row {
    fn get(&self, column: usize) -> &str {
        self.fields.get(column).unwrap_or("").trim()
    }

    fn address_lines(&self) -> Vec<&str> {
        ADDRESS
            .map(|c| self.get(c))
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// The longest field kept from a row: a config's longest value is 120
/// characters, so a row with a longer field is bad, and a 10 MB field is
/// never carried further.
const MAX_FIELD_CHARS: usize = 120;

/// Runs the import. Errors are I/O errors: the CSV cannot be read or a
/// config cannot be written.
///
/// The file is read twice, as a stream, never whole: first to work out the
/// slugs of every active GP practice (a little per row), then to write the
/// configs of the rows the filters select, a batch at a time. So memory
/// stays small whatever the file's size.
///
/// A dry run ([`Options::dry_run`]) does the same work and reports the
/// same, but creates no folder and writes no file, temporary or not.
pub fn import(options: &Options) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let filter = Filter::new(options);

    // Pass 1: slugs over every active GP practice with a name, whatever the
    // filters. Only the parts of a slug are kept, a few dozen bytes a row.
    let mut parts: Vec<slugs::Parts> = Vec::new();
    let mut part_records: Vec<u64> = Vec::new();
    let mut selected: std::collections::HashSet<u64> = std::collections::HashSet::new();
    each_row(options.csv, &mut report.bad_rows, |record, row| {
        if filter.accepts(row) {
            selected.insert(record);
        }
        let long = row
            .fields
            .iter()
            .any(|f| f.chars().count() > MAX_FIELD_CHARS);
        if let Some(name) = row.name_slug.clone().filter(|_| !long) {
            parts.push(slugs::Parts {
                name,
                town: row
                    .address_lines()
                    .last()
                    .and_then(|town| slugify(&readable(town))),
                ods_code: row.get(CODE).to_lowercase(),
            });
            part_records.push(record);
        }
    })?;
    let slug_of: HashMap<u64, String> = part_records
        .into_iter()
        .zip(slugs::assign(&parts))
        .filter(|(record, _)| selected.contains(record))
        .collect();
    drop(parts);

    // Pass 2: the selected rows, checked as `check` would, written in batches.
    if options.dry_run {
        could_create(options.into)?;
    } else {
        std::fs::create_dir_all(options.into)
            .with_context(|| format!("cannot create the folder {}", options.into.display()))?;
    }
    let mut slug_lines: HashMap<String, u64> = HashMap::new();
    let mut code_lines: HashMap<String, u64> = HashMap::new();
    let mut batch: Vec<Practice> = Vec::new();
    let mut failed: Option<anyhow::Error> = None;
    let mut ignored = BadRows::default();
    let mut bad_rows = BadRows::default();
    let mut files = Vec::new();
    each_row(options.csv, &mut ignored, |record, row| {
        if !selected.contains(&record) || failed.is_some() {
            return;
        }
        let checked = match slug_of.get(&record) {
            Some(slug) => practice(row, slug.clone()),
            None => Err(row_problem(row)),
        }
        .and_then(|p| {
            if let Some(first) = claim(&mut code_lines, &p.ods_code, row.line) {
                return Err(format!("ODS code {} is also on line {first}", p.ods_code));
            }
            if let Some(first) = claim(&mut slug_lines, &p.slug, row.line) {
                return Err(format!("slug {} is also the slug of line {first}", p.slug));
            }
            Ok(p)
        });
        match checked {
            Ok(p) => {
                batch.push(p);
                if batch.len() >= 512
                    && let Err(error) = write_batch(&mut batch, &mut files, options)
                {
                    failed = Some(error);
                }
            }
            Err(reason) => bad_rows.push(BadRow {
                line: row.line,
                reason,
            }),
        }
    })?;
    if let Some(error) = failed {
        return Err(error);
    }
    write_batch(&mut batch, &mut files, options)?;
    // A folder that cannot be written is the folder's problem, not each
    // file's: the dry run says so before it would write, and the real run
    // when a write failed, both as exit 2.
    let writes = |f: &FileReport| matches!(f.action, Action::Written | Action::Updated);
    let failed = |f: &FileReport| f.action == Action::Failed;
    if (options.dry_run && files.iter().any(writes))
        || (!options.dry_run && files.iter().any(failed))
    {
        could_write_in(options.into)?;
    }
    report.files = files;
    report.bad_rows.merge(bad_rows);
    Ok(report)
}

/// Writes a batch of configs in parallel, and empties it.
fn write_batch(
    batch: &mut Vec<Practice>,
    files: &mut Vec<FileReport>,
    options: &Options,
) -> anyhow::Result<()> {
    let written: Vec<FileReport> = batch
        .par_iter()
        .map(|p| write(&options.into.join(format!("{}.toml", p.slug)), p, options))
        .collect::<anyhow::Result<_>>()?;
    batch.clear();
    files.extend(written);
    Ok(())
}

/// Why a selected row has no slug: its name is missing or too long.
fn row_problem(row: &Row) -> String {
    let code = row.get(CODE);
    match row
        .fields
        .iter()
        .position(|f| f.chars().count() > MAX_FIELD_CHARS)
    {
        Some(column) => format!(
            "practice {code}: column {} is longer than {MAX_FIELD_CHARS} characters",
            column + 1
        ),
        None => format!("practice {code} has no name"),
    }
}

/// Takes `key` for `line`, or returns the line that already has it.
fn claim(taken: &mut HashMap<String, u64>, key: &str, line: u64) -> Option<u64> {
    match taken.get(key) {
        Some(&first) => Some(first),
        None => {
            taken.insert(key.to_string(), line);
            None
        }
    }
}

/// Calls `each` with every active GP practice row of the CSV, and its
/// number among all records, reading the file as a stream; other rows are
/// dropped, bad ones reported.
fn each_row(
    csv_path: &Path,
    bad: &mut BadRows,
    mut each: impl FnMut(u64, &Row),
) -> anyhow::Result<()> {
    let file = crate::input::open_regular(csv_path)?;
    let lines = LineCounter::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Tracked {
            inner: std::io::BufReader::new(file),
            lines: lines.clone(),
            at: 0,
            since_newline: 0,
        });
    let mut fields = csv::StringRecord::new();
    let mut record = 0;
    loop {
        let start = reader.position().byte();
        let result = reader.read_record(&mut fields);
        let line = lines.at(start);
        record += 1;
        match result {
            Ok(false) => break,
            Ok(true) => {
                if fields.len() != COLUMNS {
                    bad.push(BadRow {
                        line,
                        reason: format!("it has {} columns, not {COLUMNS}", fields.len()),
                    });
                    continue;
                }
                let field = |c: usize| fields.get(c).unwrap_or("").trim();
                if field(STATUS) != "A" || field(SETTING) != "4" {
                    continue;
                }
                let raw_name = field(NAME);
                let name = if raw_name.chars().count() > MAX_FIELD_CHARS {
                    String::new()
                } else {
                    readable(raw_name)
                };
                let row = Row {
                    line,
                    name_slug: slugify(&name),
                    name,
                    fields: std::mem::take(&mut fields),
                };
                each(record, &row);
                fields = row.fields;
            }
            Err(e) if e.is_io_error() => {
                return Err(e).with_context(|| format!("cannot read {}", csv_path.display()));
            }
            Err(e) => {
                let reason = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                bad.push(BadRow { line, reason });
            }
        }
    }
    Ok(())
}

/// A reader that notes where its line ends are, for [`LineCounter`], and
/// refuses a line longer than [`MAX_LINE_BYTES`]: the csv crate would
/// otherwise grow one record without end (a file of zeros).
struct Tracked<R> {
    inner: R,
    lines: LineCounter,
    at: u64,
    since_newline: u64,
}

/// An epraccur line is about 250 bytes; a longer one (up to this) is read
/// and reported as a bad row, so memory stays bounded either way.
const MAX_LINE_BYTES: u64 = 16 * 1024 * 1024;

impl<R: std::io::Read> std::io::Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines.saw(self.at, &buf[..n]);
        self.at += n as u64;
        for &b in &buf[..n] {
            self.since_newline = if b == b'\n' {
                0
            } else {
                self.since_newline + 1
            };
            if self.since_newline > MAX_LINE_BYTES {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "it has a line longer than {} MB, so it is not an ODS practice list",
                        MAX_LINE_BYTES / 1024 / 1024
                    ),
                ));
            }
        }
        Ok(n)
    }
}

/// Line numbers from byte offsets, for a file read as a stream: the
/// positions of the line-end bytes read ahead but not yet counted are kept
/// (only a buffer's worth). The csv crate's own line count lags by one on
/// files with CRLF line ends, as ODS files have.
#[derive(Clone, Default)]
struct LineCounter {
    state: std::rc::Rc<std::cell::RefCell<LineState>>,
}

#[derive(Default)]
struct LineState {
    /// Offsets and bytes (`\r` or `\n`) of line ends not yet passed.
    ends: std::collections::VecDeque<(u64, u8)>,
    /// Newlines before the first of `ends`.
    newlines: u64,
}

impl LineCounter {
    fn saw(&self, at: u64, bytes: &[u8]) {
        let mut state = self.state.borrow_mut();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                state.ends.push_back((at + i as u64, b));
            }
        }
    }

    /// The line of the record that starts at `byte` (or at the line ends
    /// after it); offsets must not go backwards.
    fn at(&self, mut byte: u64) -> u64 {
        let mut state = self.state.borrow_mut();
        while let Some(&(offset, b)) = state.ends.front() {
            if offset < byte {
                state.newlines += u64::from(b == b'\n');
                state.ends.pop_front();
            } else if offset == byte {
                // Line ends at the record's start belong before it.
                state.newlines += u64::from(b == b'\n');
                state.ends.pop_front();
                byte += 1;
            } else {
                break;
            }
        }
        state.newlines + 1
    }
}

/// `--commissioner` and `--postcode-prefix`, prepared once.
struct Filter {
    commissioners: Vec<String>,
    prefixes: Vec<String>,
}

impl Filter {
    fn new(options: &Options) -> Filter {
        Filter {
            commissioners: options
                .commissioners
                .iter()
                .map(|c| c.trim().to_uppercase())
                .collect(),
            // Not trimmed at the end: "DN1 " is the district DN1 without DN10.
            prefixes: options
                .postcode_prefixes
                .iter()
                .map(|p| p.trim_start().to_uppercase())
                .collect(),
        }
    }

    fn accepts(&self, row: &Row) -> bool {
        let commissioner = row.get(COMMISSIONER).to_uppercase();
        let postcode = normalise_postcode(row.get(POSTCODE))
            .unwrap_or_else(|_| row.get(POSTCODE).to_uppercase());
        (self.commissioners.is_empty() || self.commissioners.contains(&commissioner))
            && (self.prefixes.is_empty() || self.prefixes.iter().any(|p| postcode.starts_with(p)))
    }
}

/// The nation of the ODS list's practices whose code no facts file
/// claims: epraccur lists the GP practices in England, and Welsh ones
/// whose codes start with `W`, which `nations/wales.toml` claims.
const LIST_NATION: &str = "england";

/// The open GP practice with this ODS code, as `import` would write it
/// (its slug from its name alone), with its commissioner's code
/// (`02X`), for the web app's form.
pub fn lookup(csv_path: &Path, code: &str) -> anyhow::Result<Option<(Practice, String)>> {
    let wanted = code.trim().to_ascii_uppercase();
    let mut bad = BadRows::default();
    let mut found = None;
    each_row(csv_path, &mut bad, |_, row| {
        if found.is_none() && row.get(CODE).eq_ignore_ascii_case(&wanted) {
            let slug = row.name_slug.clone().unwrap_or_default();
            found = practice(row, slug)
                .ok()
                .map(|p| (p, row.get(COMMISSIONER).to_string()));
        }
    })?;
    Ok(found)
}

/// Each open GP practice's commissioner code, by its ODS code.
pub fn commissioners(csv_path: &Path) -> anyhow::Result<std::collections::HashMap<String, String>> {
    let mut bad = BadRows::default();
    let mut found = std::collections::HashMap::new();
    each_row(csv_path, &mut bad, |_, row| {
        found.insert(
            row.get(CODE).to_ascii_uppercase(),
            row.get(COMMISSIONER).to_string(),
        );
    })?;
    Ok(found)
}

/// A row as a checked practice, or why it cannot be one.
fn practice(row: &Row, slug: String) -> Result<Practice, String> {
    let ods_code = row.get(CODE).to_string();
    check_ods_code(&ods_code).map_err(|p| p.message)?;
    if row.name_slug.is_none() || row.name.chars().count() < 2 {
        return Err(format!("practice {ods_code} has no name"));
    }
    let with_code = |message: String| format!("practice {ods_code}: {message}");
    for (column, what) in [(POSTCODE, "postcode"), (PHONE, "phone number")] {
        if row.get(column).is_empty() {
            return Err(format!("practice {ods_code} has no {what}"));
        }
    }
    let postcode = normalise_postcode(row.get(POSTCODE)).map_err(|p| with_code(p.message))?;
    let phone = row
        .get(PHONE)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    phone_digits(&phone).map_err(|p| with_code(p.message))?;
    let mut address = address(&row.address_lines());
    // ODS often starts the address with the practice's own name.
    if address.len() > 1 && address[0].eq_ignore_ascii_case(&row.name) {
        address.remove(0);
    }
    if address.is_empty() {
        return Err(with_code("it has no address".into()));
    }
    // The rules `check` applies to these keys, so nothing is written that
    // `check` would refuse.
    let values = std::iter::once(("the name", &row.name))
        .chain(address.iter().map(|l| ("an address line", l)));
    for (what, value) in values {
        // practice.name and each practice.address line: at most 100.
        if value.chars().count() > 100 {
            return Err(with_code(format!("{what} is longer than 100 characters")));
        }
        check_plain_text(value).map_err(|p| with_code(format!("{what} {}", p.message)))?;
        if let Some(c) = crate::fonts::first_undrawable(value) {
            return Err(with_code(format!(
                "{what} contains {c:?}, which the printed documents' font cannot draw"
            )));
        }
    }
    // A code no nation's facts file claims (Wales's claims `W`) is in the
    // nation whose list this is.
    let nation = Nation::of_ods_code(&ods_code)
        .or_else(|| Nation::from_key(LIST_NATION))
        .ok_or_else(|| with_code(format!("no nation's facts file is named {LIST_NATION}")))?;
    Ok(Practice {
        name: row.name.clone(),
        slug,
        nation,
        ods_code,
        address,
        postcode,
        phone,
    })
}

/// Readable address lines. ODS often puts two lines in one
/// (`ASKERN RD, BENTLEY`); they are split at the comma when the address
/// still fits in six lines. A line repeated is kept once.
pub fn address(raw_lines: &[&str]) -> Vec<String> {
    let split: Vec<String> = raw_lines.iter().flat_map(|l| split_at_commas(l)).collect();
    let lines = if split.len() <= MAX_ADDRESS_LINES {
        split
    } else {
        raw_lines.iter().map(|l| readable(l)).collect()
    };
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in lines.into_iter().filter(|l| !l.is_empty()) {
        let key = line.to_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            out.push(line);
        }
    }
    out
}

/// Splits at commas, except between digits (`UNITS 5,7&8`).
fn split_at_commas(raw: &str) -> Vec<String> {
    let chars: Vec<char> = raw.chars().collect();
    let mut parts = Vec::new();
    let mut part = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c == ',' && !between_digits {
            parts.push(readable(&std::mem::take(&mut part)));
        } else {
            part.push(c);
        }
    }
    parts.push(readable(&part));
    parts.retain(|p| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_count_crlf_and_lf() {
        let text = b"\"a\"\r\n\"b\"\r\n\r\n\"c\nc\"\n\"d\"";
        let lines = LineCounter::default();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(Tracked {
                inner: &text[..],
                lines: lines.clone(),
                at: 0,
                since_newline: 0,
            });
        let mut record = csv::StringRecord::new();
        let mut seen = Vec::new();
        loop {
            let start = reader.position().byte();
            if !reader.read_record(&mut record).unwrap() {
                break;
            }
            seen.push((record[0].to_string(), lines.at(start)));
        }
        let expected = [("a", 1), ("b", 2), ("c\nc", 4), ("d", 6)];
        assert_eq!(seen, expected.map(|(s, l)| (s.to_string(), l)));
    }

    #[test]
    fn address_lines_split_at_commas_and_read_well() {
        // C86009 and C86605 of the national file.
        assert_eq!(
            address(&[
                "THE MAYFLOWER MED PRACT",
                "THE HEALTH CENTRE",
                "STATION ROAD",
                "BAWTRY,DONCASTER"
            ]),
            [
                "The Mayflower Medical Practice",
                "The Health Centre",
                "Station Road",
                "Bawtry",
                "Doncaster"
            ]
        );
        assert_eq!(
            address(&[
                "THE HEALTH CENTRE",
                "CHESTNUT AVENUE, CARCROFT",
                "DONCASTER",
                "SOUTH YORKSHIRE"
            ]),
            [
                "The Health Centre",
                "Chestnut Avenue",
                "Carcroft",
                "Doncaster",
                "South Yorkshire"
            ]
        );
        assert_eq!(
            address(&[
                "UNITS 5,7&8 CRUSADER B PK",
                "AMBLE HLTH CTR, AMBLE",
                "AMBLE"
            ]),
            [
                "Units 5,7&8 Crusader B Park",
                "Amble Health Centre",
                "Amble"
            ]
        );
    }

    #[test]
    fn address_too_long_to_split_keeps_the_commas() {
        let raw = ["A ROAD, B", "C ROAD, D", "E ROAD, F", "G ROAD", "H TOWN"];
        assert_eq!(
            address(&raw),
            ["A Road, B", "C Road, D", "E Road, F", "G Road", "H Town"]
        );
    }
}
