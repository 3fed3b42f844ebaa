//! Secret links: how an LMC lets each member practice in to its own pages
//! and nobody else's.
//!
//! `policypack serve --new-auth FILE DIR` makes a random secret (256 bits)
//! for the LMC and one per practice config below DIR, prints them as links
//! to mail-merge, and keeps only their SHA-256 hashes in FILE. Opening a
//! link (`/k/SECRET`) stores the secret in a cookie (HttpOnly, SameSite
//! Lax); every request after that is matched by the hash of its cookie.
//! A secret this long needs no slow hash: it cannot be guessed, only
//! stolen, and FILE does not hold it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::{App, Who, pages};
use crate::Outcome;

const COOKIE: &str = "policypack_key";

/// The largest key file read: a line per practice of the largest LMC.
const MAX_FILE: u64 = 4 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct KeyFile {
    /// What this file is, so that another JSON file is not taken for it.
    policypack_keys: u32,
    keys: Vec<KeyEntry>,
}

#[derive(Serialize, Deserialize)]
struct KeyEntry {
    /// The SHA-256 of the secret, in hex.
    sha256: String,
    /// The LMC's key: every page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    lmc: bool,
    /// A practice's key: the config it opens, as an absolute path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    config: Option<PathBuf>,
    /// Who the practice was when the key was made (its ODS code, or its
    /// name without one): a new practice given the same file name later
    /// is not the old link's.
    #[serde(default, flatten)]
    was: super::Seen,
}

/// The keys of `--auth`, by hash.
pub struct Keys {
    by_hash: HashMap<String, Scope>,
}

enum Scope {
    Lmc,
    Practice(PathBuf, super::Seen),
}

impl Keys {
    fn none() -> Keys {
        Keys {
            by_hash: HashMap::new(),
        }
    }

    /// Reads a key file: the runner's own, not writable by others, as
    /// the shared files an officer trusts are.
    pub fn read(file: &Path) -> anyhow::Result<Keys> {
        let bytes = crate::input::read_own(file, MAX_FILE, "key file")
            .map_err(|refused| anyhow::anyhow!("--auth {}: {refused}", file.display()))?;
        let parsed: KeyFile = serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "--auth {}: not a key file made by `policypack serve --new-auth`",
                file.display()
            )
        })?;
        let mut by_hash = HashMap::new();
        for entry in parsed.keys {
            let scope = match (entry.lmc, entry.config) {
                (true, None) => Scope::Lmc,
                (false, Some(config)) => Scope::Practice(config, entry.was),
                _ => bail!(
                    "--auth {}: a key is for neither the LMC nor one practice; make the file again with --new-auth",
                    file.display()
                ),
            };
            if entry.sha256.len() != 64 || !entry.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                bail!(
                    "--auth {}: a key's sha256 is not a SHA-256 in hex; make the file again with --new-auth",
                    file.display()
                );
            }
            by_hash.insert(entry.sha256.to_ascii_lowercase(), scope);
        }
        Ok(Keys { by_hash })
    }

    fn who(&self, secret: &str) -> Option<Who> {
        let key = crate::utils::sha256(secret.as_bytes());
        match self.by_hash.get(&key)? {
            Scope::Lmc => Some(Who::Lmc { key }),
            Scope::Practice(config, was) => Some(Who::Practice {
                key,
                config: config.clone(),
                was: was.clone(),
            }),
        }
    }
}

/// The key file of `--auth`, read again whenever it changes: a key file
/// removed or made anew stops the old links at once, without a restart.
pub struct KeyStore {
    file: PathBuf,
    kept: std::sync::Mutex<(Vec<u64>, Arc<Keys>)>,
}

impl KeyStore {
    pub fn open(file: &Path) -> anyhow::Result<KeyStore> {
        let now = file_now(file);
        let keys = Keys::read(file)?;
        Ok(KeyStore {
            file: file.to_path_buf(),
            kept: std::sync::Mutex::new((now, Arc::new(keys))),
        })
    }

    /// The keys as the file now has them; none if it is gone or unreadable.
    pub fn keys(&self) -> Arc<Keys> {
        let now = file_now(&self.file);
        let Ok(mut kept) = self.kept.lock() else {
            return Arc::new(Keys::none());
        };
        if kept.0 != now {
            let keys = match Keys::read(&self.file) {
                Ok(keys) => keys,
                Err(error) => {
                    eprintln!("policypack: {error:#}; every link is refused until it is put right");
                    Keys::none()
                }
            };
            *kept = (now, Arc::new(keys));
        }
        kept.1.clone()
    }
}

/// What the key file is now (nothing if it is gone).
fn file_now(file: &Path) -> Vec<u64> {
    let mut now = Vec::new();
    if let Ok(meta) = std::fs::symlink_metadata(file) {
        super::signed(&mut now, &meta);
    }
    now
}

/// Who the request's cookie says is asking, if anyone.
pub fn who(keys: &Keys, headers: &HeaderMap) -> Option<Who> {
    cookie_secrets(headers).find_map(|secret| keys.who(secret))
}

/// `GET /k/{secret}`: the link from the LMC's mail. The secret becomes a
/// cookie, and the address bar loses it. While signed in with another
/// link, it asks first unless the browser says the link was typed in or
/// followed from this web app's own page: a practice's page must not
/// switch the LMC's browser to the practice's link unseen. A browser that
/// says nothing (one on plain http to another computer sends no
/// Sec-Fetch-Site; an old one never does) is asked too.
pub async fn sign_in(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    UrlPath(secret): UrlPath<String>,
) -> Response {
    let (keys, whom) = match key_of(&app, &secret) {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let signed_in_otherwise =
        cookie_secrets(&headers).any(|other| other != secret && keys.who(other).is_some());
    let from_here = headers
        .get("sec-fetch-site")
        .is_some_and(|site| site == "same-origin" || site == "none");
    if signed_in_otherwise && !from_here {
        let mut context = tera::Context::new();
        context.insert("title", "Sign in with this link?");
        let this = match &whom {
            Who::Practice { config, .. } => format!(
                "the practice whose config is {}",
                config.file_name().unwrap_or_default().to_string_lossy()
            ),
            _ => "the LMC, for every practice".to_string(),
        };
        context.insert(
            "text",
            &format!("You are signed in with another link. This link, which may have come from another website, is for {this}."),
        );
        context.insert("secret", &secret);
        return app.pages.page(StatusCode::OK, "switch.html", &context);
    }
    signed_in_as(&secret, &headers)
}

/// `POST /k/{secret}`: the button on the page [`sign_in`] asks with, sent
/// from this web app's own page (a form from another site is refused
/// before it gets here).
pub async fn sign_in_confirmed(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    UrlPath(secret): UrlPath<String>,
) -> Response {
    match key_of(&app, &secret) {
        Ok(_) => signed_in_as(&secret, &headers),
        Err(refused) => refused,
    }
}

/// Who a link's secret is for, with the key file as it is now; or the
/// answer for a web app without keys (404) or a secret it does not hold (401).
fn key_of(app: &App, secret: &str) -> Result<(Arc<Keys>, Who), Response> {
    let store = app.keys.as_ref().ok_or_else(pages::not_found)?;
    let keys = store.keys();
    let who = keys.who(secret).ok_or_else(pages::unauthorised)?;
    Ok((keys, who))
}

/// The secrets in the request's cookies.
fn cookie_secrets(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// A redirect home that sets the cookie for `secret`.
fn signed_in_as(secret: &str, headers: &HeaderMap) -> Response {
    let secure = headers
        .get("x-forwarded-proto")
        .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"));
    let cookie = format!(
        "{COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{}",
        if secure { "; Secure" } else { "" }
    );
    let mut response = Redirect::to("/").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// A new random secret: 32 bytes, base64url.
fn secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("cannot get random bytes from the system: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// `--new-auth FILE DIR`: a key for the LMC and one per practice config
/// below DIR; the links on standard output as CSV, the hashes in FILE.
/// An existing FILE is never replaced: its links are in people's mail.
pub fn new_keys(
    file: &Path,
    dir: &Path,
    public_url: Option<&str>,
    addr: &str,
) -> anyhow::Result<Outcome> {
    if file.exists() {
        bail!(
            "{} exists: its links are already in use. To make new links (and stop the old ones working), remove it first",
            file.display()
        );
    }
    let base = public_url
        .map(|url| url.trim_end_matches('/').to_string())
        .unwrap_or_else(|| format!("http://{addr}"));
    let configs = crate::pack::discover::practice_files(&[dir.to_path_buf()])?;
    let mut keys = Vec::new();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["who", "name", "config", "link"])?;
    let lmc = secret()?;
    keys.push(KeyEntry {
        sha256: crate::utils::sha256(lmc.as_bytes()),
        lmc: true,
        config: None,
        was: super::Seen::default(),
    });
    writer.write_record(["LMC", "every practice", "", &format!("{base}/k/{lmc}")])?;
    for config in &configs {
        let absolute = std::fs::canonicalize(config)
            .with_context(|| format!("cannot find {}", config.display()))?;
        let (slug, name, was) = match crate::config::load(config) {
            Ok(practice) => (
                practice.slug.clone(),
                practice.name().to_string(),
                super::Seen::of(&practice),
            ),
            // Its link works once the config is corrected.
            Err(_) => (String::new(), String::new(), super::Seen::in_text(config)),
        };
        let key = secret()?;
        keys.push(KeyEntry {
            sha256: crate::utils::sha256(key.as_bytes()),
            lmc: false,
            config: Some(absolute),
            was,
        });
        let record = [
            slug,
            name,
            config.display().to_string(),
            format!("{base}/k/{key}"),
        ];
        writer.write_record(
            record
                .iter()
                .map(|cell| crate::pack::changes::spreadsheet_safe(cell).into_owned()),
        )?;
    }
    let json = serde_json::to_vec_pretty(&KeyFile {
        policypack_keys: 1,
        keys,
    })?;
    write_private(file, &json)?;
    let csv = writer.into_inner().context("cannot write the links")?;
    use std::io::Write as _;
    std::io::stdout().write_all(&csv)?;
    eprintln!(
        "{} links made: one for the LMC and {} for practices; {} keeps only their hashes. Send each practice its own link.",
        configs.len() + 1,
        configs.len(),
        file.display()
    );
    Ok(Outcome::Success)
}

/// Writes a new file readable by its owner only, whole or not at all.
fn write_private(file: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::PermissionsExt as _;
    let folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".policypack-keys")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(file)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", file.display(), e.error))?;
    Ok(())
}
