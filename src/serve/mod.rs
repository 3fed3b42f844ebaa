//! `policypack serve`: the web app over a folder of practice configs, for
//! practice managers and reception staff, who have a browser and not a
//! terminal.
//!
//! It is the same pipeline as the command line: the list is `status`'s
//! rows, the form saves only what `check` passes, a practice's files are
//! made by the same incremental build into the same output folder under
//! the same lock, and the reply page runs `reply check` and `reply draft`.
//! Pages are rendered on the server and work without JavaScript.
//!
//! - `mod.rs`: listening, stopping, and what every request passes through
//!   (who is asking, security headers, limits);
//! - `auth.rs`: the secret links an LMC mails to its practices;
//! - `pages.rs`: the page templates;
//! - `practices.rs`: the list, a practice, its files;
//! - `form.rs`: the config form, and saving it;
//! - `reply.rs`: the reply checker and drafter.

mod auth;
mod form;
mod pages;
mod practices;
mod reply;

use std::net::{IpAddr, SocketAddr, ToSocketAddrs as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::Outcome;
use crate::cli::{GlobalArgs, ServeArgs};

/// The largest request body: a form with a long review and draft is a few
/// kilobytes.
pub const MAX_BODY: usize = 1024 * 1024;

/// How long a client may take to send its request line and headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request may take, body and answer together. A build of one
/// practice's files takes well under a second.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// A loaded config and what its files were when it was loaded.
type KeptConfig = (Vec<u64>, Arc<crate::config::Practice>);

/// The most requests one practice's link may have in progress at once:
/// more is one practice keeping the web app from everyone else.
const MAX_PER_LINK: usize = 8;

/// The longest pause while a request's body arrives.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// One of a link's requests in progress, counted until it is answered.
struct InFlight<'a> {
    app: &'a App,
    key: String,
}

impl<'a> InFlight<'a> {
    fn start(app: &'a App, key: &str) -> Option<InFlight<'a>> {
        let mut counts = app.in_flight.lock().ok()?;
        let count = counts.entry(key.to_string()).or_insert(0);
        if *count >= MAX_PER_LINK {
            return None;
        }
        *count += 1;
        Some(InFlight {
            app,
            key: key.to_string(),
        })
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Ok(mut counts) = self.app.in_flight.lock()
            && let Some(count) = counts.get_mut(&self.key)
        {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

/// How long requests in flight may take to finish once asked to stop.
const STOP_GRACE: Duration = Duration::from_secs(60);

/// What every handler shares.
pub struct App {
    /// The folder of configs served.
    pub dir: PathBuf,
    /// The output folder, shared with `policypack build`.
    pub out: PathBuf,
    /// The NHS ODS list, when `--ods` names one.
    pub ods: Option<form::Ods>,
    /// The keys of `--auth`; none means loopback only, and everyone on
    /// this computer may do everything.
    pub keys: Option<auth::KeyStore>,
    /// A secret made at start: the CSRF token of a form is made from it
    /// and who is asking.
    csrf_secret: [u8; 32],
    pub pages: pages::Pages,
    /// One build from the server at a time; `build` on the command line
    /// waits for the output folder's lock as it would for another build.
    pub building: tokio::sync::Mutex<()>,
    /// Requests in progress per practice's link.
    in_flight: std::sync::Mutex<std::collections::HashMap<String, usize>>,
    /// Configs as loaded, kept while their files are as they were.
    configs: std::sync::Mutex<std::collections::HashMap<PathBuf, KeptConfig>>,
    /// Which config claimed each slug at the last full look.
    slugs: std::sync::Mutex<std::collections::HashMap<String, PathBuf>>,
    /// Templates and reply rules, by templates folder, kept while the
    /// folder is as it was (see `reply::Cache`).
    rules: reply::Cache,
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// Served on loopback without `--auth`: whoever can reach it may do
    /// everything, as they could with the command line.
    Local,
    /// An LMC's link: everything.
    Lmc { key: String },
    /// A practice's link: its own pages and `/reply`, by the config file
    /// the link was made for, and the ODS code the practice had then.
    Practice {
        key: String,
        config: PathBuf,
        /// Who the practice was when the link was made.
        was: Seen,
    },
}

impl Who {
    /// Whether this person may see every practice and add one.
    pub fn sees_all(&self) -> bool {
        matches!(self, Who::Local | Who::Lmc { .. })
    }

    /// Whether this person may open the practice whose config is
    /// `config`, which now says `now`: a practice's link opens its own
    /// file, and only while it is the same practice's (a new practice
    /// saved under a departed one's file name has another ODS code, or,
    /// without one, another name).
    pub fn may_open(&self, config: &Path, now: &Seen) -> bool {
        match self {
            Who::Practice {
                config: own, was, ..
            } => same_file(own, config) && was.same_practice(now),
            _ => true,
        }
    }

    fn key(&self) -> &str {
        match self {
            Who::Local => "local",
            Who::Lmc { key } | Who::Practice { key, .. } => key,
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What the files a config was loaded from are now: for the config, each
/// file it extends, its logo and its templates folder, and every folder
/// above each, the file's identity, size, times, owner and mode (what
/// `config::load` reads and checks). `None` if any cannot be read.
fn files_now(paths: &[&Path]) -> Option<Vec<u64>> {
    let mut now = Vec::new();
    for path in paths {
        let absolute = std::path::absolute(path).ok()?;
        for above in absolute.ancestors() {
            signed(&mut now, &std::fs::symlink_metadata(above).ok()?);
        }
    }
    Some(now)
}

/// What a cache compares of a file to know it is as it was: its identity,
/// size, times (the change time, which only the kernel sets, too), owner
/// and mode.
pub fn signed(now: &mut Vec<u64>, meta: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt as _;
    now.extend([
        meta.dev(),
        meta.ino(),
        meta.size(),
        meta.mtime() as u64,
        meta.mtime_nsec() as u64,
        meta.ctime() as u64,
        meta.ctime_nsec() as u64,
        u64::from(meta.uid()),
        u64::from(meta.mode()),
    ]);
}

impl App {
    /// A valid config, as `config::load` reads it, loaded again only when
    /// one of its files changed: the list and the reply page read every
    /// config, and a practice manager's edit must show at once.
    pub fn load(&self, path: &Path) -> Option<Arc<crate::config::Practice>> {
        let kept = self.configs.lock().ok()?.get(path).cloned();
        if let Some((was, practice)) = kept
            && files_now(&practice_files(&practice)).as_ref() == Some(&was)
        {
            return Some(practice);
        }
        let practice = Arc::new(crate::config::load(path).ok()?);
        if let Some(now) = files_now(&practice_files(&practice))
            && let Ok(mut configs) = self.configs.lock()
        {
            configs.insert(path.to_path_buf(), (now, practice.clone()));
        }
        Some(practice)
    }

    /// The CSRF token of every form this person is shown: only a page of
    /// this server, opened by them, can know it.
    pub fn csrf(&self, who: &Who) -> String {
        crate::utils::hash([
            b"policypack-csrf".as_slice(),
            &self.csrf_secret,
            who.key().as_bytes(),
        ])
    }

    /// Whether a form's token is the one this person was given.
    pub fn csrf_ok(&self, who: &Who, token: Option<&str>) -> bool {
        let expected = self.csrf(who);
        token.is_some_and(|token| {
            token.len() == expected.len()
                && token
                    .bytes()
                    .zip(expected.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        })
    }
}

pub fn run(args: &ServeArgs, _global: &GlobalArgs) -> anyhow::Result<Outcome> {
    // Ctrl-C and SIGTERM are the server's: it stops taking requests and
    // lets the builds in flight finish.
    crate::pack::interrupt::leave_signals_to_the_caller();
    if let Some(file) = &args.new_auth {
        return auth::new_keys(file, &args.dir, args.public_url.as_deref(), &args.addr);
    }
    if !args.dir.is_dir() {
        bail!(
            "the config folder {} does not exist; give the folder of practice configs, e.g. `policypack serve practice-configs`",
            args.dir.display()
        );
    }
    crate::input::no_link_of_others(&args.out)?;
    let addrs: Vec<SocketAddr> = args
        .addr
        .to_socket_addrs()
        .with_context(|| {
            format!(
                "--addr {}: not an address to listen on; give HOST:PORT, e.g. 127.0.0.1:8080",
                args.addr
            )
        })?
        .collect();
    let Some(&addr) = addrs.first() else {
        bail!("--addr {}: the name has no address", args.addr);
    };
    let keys = match &args.auth {
        Some(file) => Some(auth::KeyStore::open(file)?),
        None => {
            if let Some(open) = addrs.iter().find(|a| !is_loopback(a.ip())) {
                bail!(
                    "--addr {}: without --auth policypack serves only this computer (127.0.0.1 or ::1), not {}; to serve others, make keys with `policypack serve --new-auth FILE {}` and add --auth FILE",
                    args.addr,
                    open.ip(),
                    args.dir.display()
                );
            }
            None
        }
    };
    let ods = match &args.ods {
        Some(csv) => Some(form::Ods::read(csv)?),
        None => None,
    };
    let mut csrf_secret = [0u8; 32];
    getrandom::fill(&mut csrf_secret)
        .map_err(|e| anyhow::anyhow!("cannot get random bytes from the system: {e}"))?;
    let app = Arc::new(App {
        dir: args.dir.clone(),
        out: args.out.clone(),
        ods,
        keys,
        csrf_secret,
        pages: pages::Pages::new()?,
        building: tokio::sync::Mutex::new(()),
        in_flight: std::sync::Mutex::new(Default::default()),
        configs: std::sync::Mutex::new(Default::default()),
        slugs: std::sync::Mutex::new(Default::default()),
        rules: reply::Cache::default(),
    });
    raise_open_files_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the web server's threads")?;
    runtime.block_on(serve(app, addr, &args.dir))?;
    Ok(Outcome::Success)
}

/// Whether the Host a request names is this computer: `localhost` or a
/// loopback address, with any port.
fn loopback_host(headers: &axum::http::HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(is_loopback)
}

/// Whether a request comes from another site's page: its Origin is not
/// the Host it was sent to, or the browser says so (Sec-Fetch-Site).
pub fn cross_site(headers: &axum::http::HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if text("sec-fetch-site").is_some_and(|site| site == "cross-site" || site == "same-site") {
        return true;
    }
    match (text("origin"), text("host")) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            !origin_host.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Who a practice is, as far as a link can tell: its ODS code, or its
/// name (spaces and capitals aside) when it has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Seen {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ods_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Seen {
    fn new(ods_code: Option<&str>, name: Option<&str>) -> Seen {
        let ods_code = ods_code
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty());
        let name = match ods_code {
            Some(_) => None,
            None => name.map(|n| {
                n.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            }),
        };
        Seen { ods_code, name }
    }

    pub fn of(practice: &crate::config::Practice) -> Seen {
        Seen::new(
            practice.config.practice.ods_code.as_deref(),
            Some(practice.name()),
        )
    }

    /// What a config's text says, read without checking the rest (for a
    /// config that does not pass `check`).
    pub fn in_text(config: &Path) -> Seen {
        let doc = crate::input::read_limited(config, 1024 * 1024, "config")
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.parse::<toml_edit::DocumentMut>().ok());
        let field = |key: &str| {
            doc.as_ref()
                .and_then(|d| d.get("practice")?.get(key)?.as_str().map(str::to_string))
        };
        Seen::new(field("ods_code").as_deref(), field("name").as_deref())
    }

    /// Whether `now` is the practice this was.
    fn same_practice(&self, now: &Seen) -> bool {
        match (&self.ods_code, &self.name) {
            (Some(code), _) => now.ods_code.as_ref() == Some(code),
            (None, Some(name)) => now.ods_code.is_none() && now.name.as_ref() == Some(name),
            // A key from before practices were recorded: its file alone.
            (None, None) => true,
        }
    }
}

/// The files and folders a loaded config depends on.
fn practice_files(practice: &crate::config::Practice) -> Vec<&Path> {
    let mut files: Vec<&Path> = practice.sources.iter().map(|s| s.path.as_path()).collect();
    files.extend(practice.logo.as_deref());
    files.extend(practice.templates.as_deref());
    files
}

/// Lets the web app hold as many connections as the system allows the
/// user (the soft limit is often 1,024, the hard one far more), so that
/// slow clients cannot use up every file handle.
fn raise_open_files_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max.min(1 << 20);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Every route, behind the checks every request passes.
pub fn router(app: Arc<App>) -> Router {
    // Every form's body is bounded by 1 MB, but a logo's by what `check`
    // lets a logo be.
    let logo_body =
        usize::try_from(crate::config::MAX_LOGO_BYTES).unwrap_or(usize::MAX) + 64 * 1024;
    let logo = Router::new()
        .route(
            "/practices/{slug}/logo",
            axum::routing::post(form::upload_logo),
        )
        .layer(DefaultBodyLimit::max(logo_body))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(logo_body));
    let forms = Router::new()
        .route("/", get(practices::list))
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/practices",
            axum::routing::post(form::create).get(practices::list),
        )
        .route("/practices/new", get(form::new_form))
        .route("/practices/{slug}", get(practices::show).post(form::save))
        .route("/practices/{slug}/edit", get(form::edit_form))
        .route("/practices/{slug}/files/{file}", get(practices::file))
        .route("/reply", get(reply::page).post(reply::submit))
        .route(
            "/k/{secret}",
            get(auth::sign_in).post(auth::sign_in_confirmed),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY));
    forms
        .merge(logo)
        .fallback(|| async { pages::not_found() })
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            BODY_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(app)
}

/// Who is asking, whether they may ask at all, and the headers every
/// answer carries.
async fn guard(State(app): State<Arc<App>>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    // Served on loopback without keys: only for a browser that asked for
    // this computer by name, so no other website can reach it by making
    // its own name point here (DNS rebinding).
    let misdirected = app.keys.is_none() && !loopback_host(request.headers());
    // A form is sent only from this web app's own pages.
    let from_elsewhere =
        request.method() == axum::http::Method::POST && cross_site(request.headers());
    let who = match &app.keys {
        None => Some(Who::Local),
        Some(store) => auth::who(&store.keys(), request.headers()),
    };
    let open_to_all = path == "/healthz" || path.starts_with("/k/");
    let mut response = match who {
        _ if misdirected => pages::misdirected(),
        _ if from_elsewhere => pages::forbidden_cross_site(),
        Some(who) => {
            let counted = match &who {
                Who::Practice { key, .. } => Some(InFlight::start(&app, key)),
                _ => None,
            };
            match counted {
                Some(None) => pages::too_many(),
                _ => {
                    request.extensions_mut().insert(who);
                    next.run(request).await
                }
            }
        }
        None if open_to_all => next.run(request).await,
        None => pages::unauthorised(),
    };
    let headers = response.headers_mut();
    let csp = if path.contains("/files/") {
        // A built document: its own policy, in a sandbox of its own origin.
        format!(
            "{}; sandbox; frame-ancestors 'self'",
            crate::render::html::CSP
        )
    } else {
        app.pages.csp()
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&csp).expect("an ASCII policy"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Listens until Ctrl-C or SIGTERM, then lets requests in flight finish.
async fn serve(app: Arc<App>, addr: SocketAddr, dir: &Path) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    println!("policypack serving {} at http://{}/", dir.display(), local);
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    let service = router(app);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop_signal());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(accepted) => accepted,
                    // Out of file handles, or a connection reset before it
                    // was taken: wait a moment and go on serving.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let io = hyper_util::rt::TokioIo::new(stream);
                let hyper_service = hyper_util::service::TowerToHyperService::new(service.clone());
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(io, hyper_service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    eprintln!("policypack: stopping after the requests in progress (Ctrl-C again to stop now)");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = stop_signal() => {
            eprintln!("policypack: stopped; a build in progress leaves each file as it was or complete");
            std::process::exit(130);
        }
        () = tokio::time::sleep(STOP_GRACE) => {
            eprintln!("policypack: requests still running {} s after being asked to stop; stopping now", STOP_GRACE.as_secs());
            std::process::exit(143);
        }
    }
    Ok(())
}

async fn stop_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

/// An answer with a status and a page.
pub fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Runs blocking work (loading configs, building) off the async threads.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| pages::failed("the work stopped unexpectedly"))
}
