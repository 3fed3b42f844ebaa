//! `policypack serve`, driven over HTTP as a browser would: the server is
//! the real binary on port 0, and every request a plain HTTP/1.1 request.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::harness::{Sandbox, repo};

/// A running `policypack serve`, stopped with SIGTERM when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
    /// The cookie a secret link gave, sent with every request.
    pub cookie: Option<String>,
}

impl Server {
    pub fn start(sandbox: &Sandbox, args: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("policypack"))
            .arg("serve")
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .current_dir(sandbox.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("policypack serve starts");
        let mut first = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut first)
            .unwrap();
        let addr = first
            .trim()
            .rsplit_once("http://")
            .map(|(_, a)| a.trim_end_matches('/').to_string())
            .unwrap_or_else(|| panic!("first line: {first:?}"));
        assert!(
            first.starts_with("policypack serving "),
            "first line: {first:?}"
        );
        Server {
            child,
            addr,
            cookie: None,
        }
    }

    pub fn get(&self, path: &str) -> Answer {
        self.request("GET", path, None)
    }

    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request("POST", path, Some(body.into_bytes()))
    }

    pub fn request(&self, method: &str, path: &str, body: Option<Vec<u8>>) -> Answer {
        self.request_with(method, path, &[], body)
    }

    /// A request with these headers too; a `Host` given replaces the
    /// server's own address.
    pub fn request_with(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Answer {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let host = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("host"))
            .map_or(self.addr.as_str(), |(_, v)| v);
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        for (name, value) in headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
        {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(cookie) = &self.cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(body) = &body {
            head.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        if let Some(body) = &body {
            // The server may answer (413) before reading all of a big body.
            let _ = stream.write_all(body);
        }
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Answer::parse(&raw)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub struct Answer {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Answer {
    fn parse(raw: &[u8]) -> Answer {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("an HTTP answer");
        let head = String::from_utf8_lossy(&raw[..end]);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: BTreeMap<String, String> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[end + 4..].to_vec();
        if headers.get("transfer-encoding").map(String::as_str) == Some("chunked") {
            let mut plain = Vec::new();
            let mut rest = &body[..];
            loop {
                let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
                let size = usize::from_str_radix(
                    std::str::from_utf8(&rest[..line_end]).unwrap().trim(),
                    16,
                )
                .unwrap();
                if size == 0 {
                    break;
                }
                plain.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
                rest = &rest[line_end + 2 + size + 2..];
            }
            body = plain;
        }
        Answer {
            status,
            headers,
            body,
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The hidden CSRF token of the page's first form.
    pub fn csrf(&self) -> String {
        let text = self.text();
        let at = text
            .find("name=\"csrf\" value=\"")
            .expect("a form with a csrf field");
        let rest = &text[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

/// The example configs, copied so the server may write to them.
fn examples(sandbox: &Sandbox) -> PathBuf {
    let dir = sandbox.path().join("configs");
    let status = Command::new("cp")
        .arg("-r")
        .arg(repo().join("practice-configs"))
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A new practice's fields, with this phone number.
fn new_practice(phone: &str) -> Vec<(&'static str, String)> {
    vec![
        ("practice.name", "Brook Lane Surgery".into()),
        ("practice.nation", "england".into()),
        ("practice.address", "1 Brook Lane\r\nSheffield".into()),
        ("practice.postcode", "s6 1aa".into()),
        ("practice.phone", phone.into()),
        ("complaints.lead_role", "Practice Manager".into()),
        ("commissioner.name", "NHS South Yorkshire ICB".into()),
        ("commissioner.phone", "0114 305 1000".into()),
        ("social_media.monitored_by", "Practice Manager".into()),
        ("policy.issued", "2026-12-01".into()),
    ]
}

fn with<'a>(
    fields: &'a [(&'static str, String)],
    extra: &[(&'static str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .chain(extra.iter().copied())
        .collect()
}

#[test]
fn a_practice_manager_adds_a_practice_prints_its_poster_and_edits_its_phone() {
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let out = sandbox.path().join("out");
    let server = Server::start(&sandbox, &[path(&configs), "-o", path(&out)]);

    assert_eq!(server.get("/healthz").text(), "ok");
    let list = server.get("/");
    assert_eq!(list.status, 200);
    assert!(list.text().contains("Ashfield Medical Centre"));
    let csp = &list.headers["content-security-policy"];
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(list.headers["x-content-type-options"], "nosniff");
    let found = server.get("/?q=ormeau");
    assert!(found.text().contains("Ormeau Road Surgery"));
    assert!(!found.text().contains("Ashfield Medical Centre"));

    // A wrong phone: the error beside its field, and no file.
    let form = server.get("/practices/new?nation=england");
    assert_eq!(form.status, 200);
    for name in [
        "practice.name",
        "practice.phone",
        "complaints.lead_role",
        "policy.issued",
        "advocacy.name",
    ] {
        assert!(form.text().contains(&format!("name=\"{name}\"")), "{name}");
    }
    let csrf = form.csrf();
    let wrong = new_practice("0114 12");
    let answer = server.post(
        "/practices",
        &with(&wrong, &[("csrf", &csrf), ("step", "review")]),
    );
    assert_eq!(answer.status, 422);
    let text = answer.text();
    let field = text.find("id=\"practice-phone\"").expect("the phone field");
    let error = text
        .find("is not a UK phone number")
        .expect("check's message");
    let label = text.find("for=\"practice-phone\"").unwrap();
    assert!(
        label < error && error < field,
        "the error is beside its field"
    );
    assert!(!configs.join("brook-lane-surgery.toml").exists());
    // Saving straight away with the error still there writes nothing.
    let answer = server.post(
        "/practices",
        &with(&wrong, &[("csrf", &csrf), ("step", "save")]),
    );
    assert_eq!(answer.status, 422);
    assert!(!configs.join("brook-lane-surgery.toml").exists());

    // Corrected: what it will print, then saved.
    let right = new_practice("0114 496 0000");
    let review = server.post(
        "/practices",
        &with(&right, &[("csrf", &csrf), ("step", "review")]),
    );
    assert_eq!(review.status, 200);
    assert!(
        review.text().contains("Documents to print"),
        "{}",
        review.text()
    );
    assert!(
        !configs.join("brook-lane-surgery.toml").exists(),
        "nothing before Save"
    );
    let saved = server.post(
        "/practices",
        &with(&right, &[("csrf", &csrf), ("step", "save")]),
    );
    assert_eq!(saved.status, 303);
    assert_eq!(
        saved.headers["location"],
        "/practices/brook-lane-surgery?saved=1"
    );
    let written = std::fs::read_to_string(configs.join("brook-lane-surgery.toml")).unwrap();
    assert!(written.contains("postcode = \"s6 1aa\""), "{written}");
    // `check` agrees with the form.
    sandbox
        .run(&["check", path(&configs.join("brook-lane-surgery.toml"))])
        .expect_code(0);

    // Its page: previews and downloads, built into OUT.
    let page = server.get("/practices/brook-lane-surgery");
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("/practices/brook-lane-surgery/files/zero-tolerance-notice.pdf"));
    assert!(text.contains("<iframe title=\"Preview of the Social media zero-tolerance notice\""));
    let pdf = server.get("/practices/brook-lane-surgery/files/zero-tolerance-notice.pdf");
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    let pdf_path = sandbox.path().join("poster.pdf");
    std::fs::write(&pdf_path, &pdf.body).unwrap();
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&pdf_path)
        .output()
        .expect("qpdf runs");
    assert!(
        qpdf.status.success(),
        "{}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    assert_eq!(
        pdf.body,
        std::fs::read(out.join("brook-lane-surgery/zero-tolerance-notice.pdf")).unwrap()
    );
    let docx =
        server.get("/practices/brook-lane-surgery/files/complaints-leaflet.large-print.docx");
    assert_eq!(docx.status, 200);
    assert!(docx.body.starts_with(b"PK"), "a Word file is a zip");
    let preview = server.get("/practices/brook-lane-surgery/files/complaints-leaflet.html");
    assert!(preview.headers["content-security-policy"].contains("sandbox"));
    assert_eq!(
        server
            .get("/practices/brook-lane-surgery/files/brook-lane-surgery.zip")
            .status,
        200
    );
    // The command line sees the same build: nothing to do.
    let status = sandbox.run(&[
        "status",
        path(&configs.join("brook-lane-surgery.toml")),
        "-o",
        path(&out),
    ]);
    assert!(status.stdout().contains("current"), "{}", status.stdout());

    // Edit the phone: what changes, and what to reprint and sign again.
    let edit = server.get("/practices/ashfield-medical-centre/edit");
    assert_eq!(edit.status, 200);
    let fields = form_fields(&edit.text());
    let mut changed: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| {
            let v = if k == "practice.phone" {
                "01302 999888".to_string()
            } else {
                v.clone()
            };
            (k.clone(), v)
        })
        .collect();
    changed.push(("step".into(), "review".into()));
    let borrowed: Vec<(&str, &str)> = changed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let before = std::fs::read_to_string(configs.join("ashfield-medical-centre.toml")).unwrap();
    let review = server.post("/practices/ashfield-medical-centre", &borrowed);
    assert_eq!(review.status, 200, "{}", review.text());
    let text = review.text();
    assert!(text.contains("practice.phone"), "{text}");
    assert!(text.contains("01302 999888"));
    assert!(
        text.contains("Complaints leaflet</strong>: print new copies"),
        "{text}"
    );
    assert!(text.contains("staff read and sign the new version"));
    assert_eq!(
        before,
        std::fs::read_to_string(configs.join("ashfield-medical-centre.toml")).unwrap()
    );
    changed.pop();
    changed.push(("step".into(), "save".into()));
    let borrowed: Vec<(&str, &str)> = changed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = server.post("/practices/ashfield-medical-centre", &borrowed);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let after = std::fs::read_to_string(configs.join("ashfield-medical-centre.toml")).unwrap();
    // Only the phone changed: comments, key order and the rest kept.
    let differing: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        differing,
        vec![("phone = \"0114 496 0456\"", "phone = \"01302 999888\"")]
    );
    assert_eq!(before.lines().count(), after.lines().count());

    // A second save from the same (now stale) form loses nothing: refused,
    // with the form back.
    let stale = server.post("/practices/ashfield-medical-centre", &borrowed);
    assert_eq!(stale.status, 409);
    assert!(stale.text().contains("Someone else saved"));
    assert_eq!(
        after,
        std::fs::read_to_string(configs.join("ashfield-medical-centre.toml")).unwrap()
    );
}

/// Every field of a page's form, with its value, as a browser sends it.
fn form_fields(page: &str) -> Vec<(String, String)> {
    let post = page.find("<form method=\"post\"").expect("a post form");
    let page = &page[post..page[post..].find("</form>").unwrap() + post];
    let mut fields = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let tag_end = rest.find('>').unwrap();
        let tag = &rest[..tag_end];
        let attr = |name: &str| -> Option<String> {
            let at = tag.find(&format!(" {name}=\""))?;
            let value = &tag[at + name.len() + 3..];
            Some(unescape(&value[..value.find('"')?]))
        };
        if tag.starts_with("input") {
            if let Some(name) = attr("name") {
                fields.push((name, attr("value").unwrap_or_default()));
            }
        } else if tag.starts_with("textarea") {
            let name = attr("name").unwrap();
            let body = &rest[tag_end + 1..];
            fields.push((name, unescape(&body[..body.find("</textarea>").unwrap()])));
        } else if tag.starts_with("select") {
            let name = attr("name").unwrap();
            let body = &rest[tag_end + 1..rest.find("</select>").unwrap()];
            let value = body
                .split("<option")
                .find(|o| o.contains(" selected"))
                .and_then(|o| o.split('"').nth(1))
                .unwrap_or("")
                .to_string();
            fields.push((name, value));
        }
    }
    fields
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn reception_checks_an_unsafe_and_a_safe_reply() {
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let server = Server::start(
        &sandbox,
        &[path(&configs), "-o", path(&sandbox.path().join("out"))],
    );
    let page = server.get("/reply");
    assert_eq!(page.status, 200);
    let csrf = page.csrf();
    let unsafe_draft =
        "Dear Mrs Jones, thank you. We checked your records and your blood test on 3 May was fine.";
    let checked = server.post(
        "/reply",
        &[
            ("csrf", &csrf),
            ("practice", "ashfield-medical-centre"),
            ("review", "Waited ages for my results."),
            ("draft", unsafe_draft),
            ("action", "check"),
        ],
    );
    assert_eq!(checked.status, 200);
    let text = checked.text();
    assert!(
        text.contains("Change this draft before it is posted"),
        "{text}"
    );
    assert!(text.contains("<mark>Mrs Jones</mark>"), "{text}");
    assert!(text.contains("this names a person"));
    let safe = "Thank you for your feedback. We are sorry to hear you are unhappy. Please contact our practice manager on 0114 496 0456 so that we can look into this. The Practice Team, Ashfield Medical Centre";
    let checked = server.post(
        "/reply",
        &[
            ("csrf", &csrf),
            ("practice", "ashfield-medical-centre"),
            ("review", "Waited ages on the phone."),
            ("draft", safe),
            ("action", "check"),
        ],
    );
    assert!(!checked.text().contains("<mark"), "{}", checked.text());
    assert!(!checked.text().contains("Change this draft"));
    // A review that needs a person gets no draft.
    let held = server.post(
        "/reply",
        &[
            ("csrf", &csrf),
            ("practice", "ashfield-medical-centre"),
            (
                "review",
                "I will be waiting for the receptionist in the car park tonight.",
            ),
            ("draft", ""),
            ("action", "draft"),
        ],
    );
    assert!(held.text().contains("Do not reply"), "{}", held.text());
    let drafted = server.post(
        "/reply",
        &[
            ("csrf", &csrf),
            ("practice", "ashfield-medical-centre"),
            ("review", "Lovely staff, thank you so much for your help."),
            ("draft", ""),
            ("action", "draft"),
        ],
    );
    assert!(
        drafted.text().contains("Suggested reply"),
        "{}",
        drafted.text()
    );
}

#[test]
fn forms_limits_and_addresses_are_guarded() {
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let server = Server::start(
        &sandbox,
        &[path(&configs), "-o", path(&sandbox.path().join("out"))],
    );
    // No CSRF token, or another: 403, and nothing written.
    let fields = new_practice("0114 496 0000");
    assert_eq!(
        server
            .post("/practices", &with(&fields, &[("step", "save")]))
            .status,
        403
    );
    assert_eq!(
        server
            .post(
                "/practices",
                &with(&fields, &[("step", "save"), ("csrf", "0000")])
            )
            .status,
        403
    );
    assert!(!configs.join("brook-lane-surgery.toml").exists());
    assert_eq!(
        server
            .post("/reply", &[("draft", "hello"), ("action", "check")])
            .status,
        403
    );
    // A 2 MB body: 413, with the headers every answer has.
    let big = vec![b'a'; 2 * 1024 * 1024];
    let too_big = server.request("POST", "/reply", Some(big));
    assert_eq!(too_big.status, 413);
    assert!(too_big.headers.contains_key("content-security-policy"));
    assert_eq!(too_big.headers["x-content-type-options"], "nosniff");
    // Without keys, only a browser that asked for this computer by name:
    // another website's name made to point here (DNS rebinding) gets 421.
    let csrf = server.get("/reply").csrf();
    let form = format!("csrf={csrf}&practice=ashfield-medical-centre&draft=hello&action=check");
    for host in ["evil.example", "evil.example:80", "127.0.0.1.evil.example"] {
        let misdirected = server.request_with("GET", "/", &[("Host", host)], None);
        assert_eq!(misdirected.status, 421, "{host}");
        assert!(misdirected.headers.contains_key("content-security-policy"));
        assert_eq!(
            server
                .request_with(
                    "POST",
                    "/reply",
                    &[("Host", host)],
                    Some(form.clone().into_bytes())
                )
                .status,
            421
        );
    }
    assert_eq!(
        server
            .request_with("GET", "/healthz", &[("Host", "localhost:1")], None)
            .status,
        200
    );
    // A form posted from another site's page: 403, whatever its token.
    for headers in [
        [("Origin", "http://evil.example")],
        [("Origin", "null")],
        [("Sec-Fetch-Site", "cross-site")],
    ] {
        let answer =
            server.request_with("POST", "/reply", &headers, Some(form.clone().into_bytes()));
        assert_eq!(answer.status, 403, "{headers:?}");
        assert_eq!(answer.headers["x-content-type-options"], "nosniff");
    }
    let own_origin = format!("http://{}", server.addr);
    let answer = server.request_with(
        "POST",
        "/reply",
        &[
            ("Origin", own_origin.as_str()),
            ("Sec-Fetch-Site", "same-origin"),
        ],
        Some(form.into_bytes()),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    // No part of a URL becomes a path.
    for url in [
        "/practices/../../etc/passwd",
        "/practices/ashfield-medical-centre/files/..%2f..%2fmanifest.json",
        "/practices/ashfield-medical-centre/files/../../ashfield-medical-centre.toml",
        "/practices/..%2f..%2fetc/edit",
        "/practices/ashfield-medical-centre/files/manifest.json",
        "/practices/nobody/files/staff-handbook.pdf",
    ] {
        assert_eq!(server.get(url).status, 404, "{url}");
    }
}

#[test]
fn without_keys_only_loopback_and_with_keys_each_practice_sees_its_own() {
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let run = sandbox.run(&["serve", path(&configs), "--addr", "0.0.0.0:0"]);
    run.expect_code(2);
    assert!(run.stderr().contains("--new-auth"), "{}", run.stderr());

    let keys = sandbox.path().join("keys.json");
    let made = sandbox.run(&[
        "serve",
        "--new-auth",
        path(&keys),
        path(&configs),
        "--public-url",
        "https://policy.example.org",
    ]);
    made.expect_code(0);
    let links = made.stdout();
    let stored = std::fs::read_to_string(&keys).unwrap();
    let link_of = |who: &str| -> String {
        links
            .lines()
            .find(|l| l.starts_with(who))
            .and_then(|l| l.rsplit(',').next())
            .unwrap_or_else(|| panic!("{who} in {links}"))
            .to_string()
    };
    let ashfield = link_of("ashfield-medical-centre");
    let lmc = link_of("LMC");
    let secret = ashfield.rsplit('/').next().unwrap();
    assert!(ashfield.starts_with("https://policy.example.org/k/"));
    assert!(!stored.contains(secret), "the key file keeps hashes only");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&keys).unwrap().permissions());
    assert_eq!(mode & 0o077, 0, "the key file is private");
    // Never written over: the links are in people's mail.
    sandbox
        .run(&["serve", "--new-auth", path(&keys), path(&configs)])
        .expect_code(2);

    let mut server = Server::start(
        &sandbox,
        &[
            path(&configs),
            "-o",
            path(&sandbox.path().join("out")),
            "--auth",
            path(&keys),
        ],
    );
    assert_eq!(server.get("/").status, 401);
    assert_eq!(server.get("/practices/ashfield-medical-centre").status, 401);
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/k/forged-secret").status, 401);
    let signed_in = server.get(&format!("/k/{secret}"));
    assert_eq!(signed_in.status, 303);
    let cookie = signed_in.headers["set-cookie"].clone();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    server.cookie = Some(cookie.split(';').next().unwrap().to_string());
    assert_eq!(
        server.get("/").status,
        303,
        "a practice's list is its own page"
    );
    assert_eq!(server.get("/practices/ashfield-medical-centre").status, 200);
    assert_eq!(
        server.get("/practices/ashfield-medical-centre/edit").status,
        200
    );
    assert_eq!(server.get("/reply").status, 200);
    assert!(!server.get("/reply").text().contains("Ormeau Road Surgery"));
    assert_eq!(server.get("/practices/ormeau-road-surgery").status, 403);
    assert_eq!(
        server.get("/practices/ormeau-road-surgery/edit").status,
        403
    );
    assert_eq!(
        server
            .get("/practices/ormeau-road-surgery/files/complaints-leaflet.pdf")
            .status,
        403
    );
    assert_eq!(server.get("/practices/new").status, 403);
    // A practice may not name another file as its logo.
    let edit = server.get("/practices/ashfield-medical-centre/edit");
    let mut fields: Vec<(String, String)> = form_fields(&edit.text())
        .into_iter()
        .map(|(k, v)| {
            let v = if k == "branding.logo" {
                "_lmc.toml".to_string()
            } else {
                v
            };
            (k, v)
        })
        .collect();
    fields.push(("step".into(), "save".into()));
    let before = std::fs::read(configs.join("ashfield-medical-centre.toml")).unwrap();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = server.post("/practices/ashfield-medical-centre", &borrowed);
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text()
            .contains("a logo can be changed only by your LMC")
    );
    assert_eq!(
        before,
        std::fs::read(configs.join("ashfield-medical-centre.toml")).unwrap()
    );
    // A forged cookie is nobody.
    server.cookie = Some("policypack_key=forged".into());
    assert_eq!(server.get("/practices/ashfield-medical-centre").status, 401);
    // The LMC's link opens everything.
    server.cookie = Some(format!(
        "policypack_key={}",
        lmc.rsplit('/').next().unwrap()
    ));
    assert_eq!(server.get("/").status, 200);
    assert_eq!(server.get("/practices/ormeau-road-surgery").status, 200);
    assert_eq!(server.get("/practices/new").status, 200);
    // A practice's link followed from another website does not switch the
    // LMC's browser to it unseen: the page asks, and only the button on it
    // (a form from this web app) signs in with the practice's link.
    let from_elsewhere = server.request_with(
        "GET",
        &format!("/k/{secret}"),
        &[
            ("Sec-Fetch-Site", "cross-site"),
            ("Sec-Fetch-Mode", "navigate"),
        ],
        None,
    );
    assert_eq!(from_elsewhere.status, 200, "{}", from_elsewhere.text());
    assert!(from_elsewhere.text().contains("Sign in with this link?"));
    assert!(!from_elsewhere.headers.contains_key("set-cookie"));
    // A browser that says nothing of where the link came from (on plain
    // http to another computer, or an old one) is asked too; a link typed
    // into the address bar switches at once.
    let unsaid = server.request_with("GET", &format!("/k/{secret}"), &[], None);
    assert_eq!(unsaid.status, 200, "{}", unsaid.text());
    assert!(unsaid.text().contains("Sign in with this link?"));
    assert!(!unsaid.headers.contains_key("set-cookie"));
    let typed = server.request_with(
        "GET",
        &format!("/k/{secret}"),
        &[("Sec-Fetch-Site", "none")],
        None,
    );
    assert_eq!(typed.status, 303);
    assert!(typed.headers["set-cookie"].contains(secret));
    let forged = server.request_with(
        "POST",
        &format!("/k/{secret}"),
        &[("Sec-Fetch-Site", "cross-site")],
        Some(Vec::new()),
    );
    assert_eq!(forged.status, 403);
    let confirmed = server.request_with(
        "POST",
        &format!("/k/{secret}"),
        &[("Sec-Fetch-Site", "same-origin")],
        Some(Vec::new()),
    );
    assert_eq!(confirmed.status, 303);
    assert!(confirmed.headers["set-cookie"].contains(secret));
    assert_eq!(
        server.get("/practices/_mine/edit").status,
        404,
        "only a practice's link has its own"
    );

    // A practice whose config no longer passes `check` (edited by hand)
    // still reaches its form from its link, and corrects it there.
    let config = configs.join("ashfield-medical-centre.toml");
    let good = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        good.replace("phone = \"0114 496 0456\"", "phone = \"0114 49\""),
    )
    .unwrap();
    server.cookie = Some(format!("policypack_key={secret}"));
    let home = server.get("/");
    assert_eq!(home.status, 303);
    assert_eq!(home.headers["location"], "/practices/_mine/edit");
    let form = server.get("/practices/_mine/edit");
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(
        form.text().contains("is not a UK phone number"),
        "{}",
        form.text()
    );
    let mut fields = form_fields(&form.text());
    for (key, value) in fields.iter_mut() {
        if key == "practice.phone" {
            *value = "0114 496 0456".into();
        }
    }
    fields.push(("step".into(), "save".into()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = server.post("/practices/_mine", &borrowed);
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(std::fs::read_to_string(&config).unwrap(), good);

    // The practice leaves, and a new practice is saved under its file
    // name: the old link does not open it.
    std::fs::write(&config, good.replace("C86099", "C86098")).unwrap();
    assert_eq!(server.get("/practices/ashfield-medical-centre").status, 403);
    assert_eq!(server.get("/practices/_mine/edit").status, 404);
    std::fs::write(&config, &good).unwrap();
    assert_eq!(server.get("/practices/ashfield-medical-centre").status, 200);
    // One practice's link may have 8 requests in progress at once: more
    // (here slow forms that never finish) get 429, and the LMC is served.
    let cookie = server.cookie.clone().unwrap();
    let slow: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            let head = format!(
                "POST /reply HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ncsrf=",
                server.addr
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(server.get("/reply").status, 429);
    let practice_cookie = server.cookie.replace(format!(
        "policypack_key={}",
        lmc.rsplit('/').next().unwrap()
    ));
    assert_eq!(
        server.get("/reply").status,
        200,
        "the LMC is served meanwhile"
    );
    server.cookie = practice_cookie;
    drop(slow);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(server.get("/reply").status, 200);

    // Without an ODS code, the practice's name tells it from a new one.
    let leith = configs.join("leith-walk-medical-practice.toml");
    let leith_text = std::fs::read_to_string(&leith).unwrap();
    assert!(!leith_text.contains("ods_code"));
    let leith_secret = link_of("leith-walk-medical-practice");
    let leith_secret = leith_secret.rsplit('/').next().unwrap();
    server.cookie = Some(format!("policypack_key={leith_secret}"));
    assert_eq!(
        server.get("/practices/leith-walk-medical-practice").status,
        200
    );
    std::fs::write(
        &leith,
        leith_text.replace(
            "name = \"Leith Walk Medical Practice\"",
            "name = \"New Harbour Practice\"\nslug = \"leith-walk-medical-practice\"",
        ),
    )
    .unwrap();
    assert_eq!(
        server.get("/practices/leith-walk-medical-practice").status,
        403
    );
    std::fs::write(&leith, &leith_text).unwrap();
    server.cookie = Some(format!("policypack_key={secret}"));
    // The key file removed: every old link stops at once, no restart.
    std::fs::remove_file(&keys).unwrap();
    assert_eq!(server.get("/practices/ashfield-medical-centre").status, 401);
    assert_eq!(server.get(&format!("/k/{secret}")).status, 401);
}

#[test]
fn two_saves_racing_on_one_practice_lose_nothing() {
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let server = Server::start(
        &sandbox,
        &[path(&configs), "-o", path(&sandbox.path().join("out"))],
    );
    let edit = server.get("/practices/ashfield-medical-centre/edit");
    let fields = form_fields(&edit.text());
    let save = |key: &str, value: &str| {
        let mut mine: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    if k == key {
                        value.to_string()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        mine.push(("step".into(), "save".into()));
        mine
    };
    let a = save("practice.phone", "01302 111111");
    let b = save("complaints.lead_name", "Ann Other");
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let runs: Vec<_> = [a, b]
            .into_iter()
            .map(|form| {
                let server = &server;
                scope.spawn(move || {
                    let borrowed: Vec<(&str, &str)> =
                        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    server
                        .post("/practices/ashfield-medical-centre", &borrowed)
                        .status
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let mut sorted = statuses.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![303, 409],
        "one saved, the other told: {statuses:?}"
    );
    let text = std::fs::read_to_string(configs.join("ashfield-medical-centre.toml")).unwrap();
    let phone = text.contains("01302 111111");
    let lead = text.contains("Ann Other");
    assert!(phone != lead, "exactly one save landed, whole");
}

/// Every kind of page the web app shows, saved as the browser gets it and
/// checked as the documents are: axe-core in headless Chromium at 1280
/// and 390 px wide, reflow at 320, and the W3C Nu HTML checker.
#[test]
fn the_web_apps_pages_pass_axe_and_the_nu_checker() {
    let a11y = repo().join("tests/a11y");
    assert!(
        a11y.join("node_modules/axe-core").is_dir(),
        "tests/a11y/node_modules is missing: run `npm ci --prefix tests/a11y` (see .ci/run)"
    );
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let server = Server::start(
        &sandbox,
        &[path(&configs), "-o", path(&sandbox.path().join("out"))],
    );
    let pages = sandbox.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let save = |name: &str, answer: Answer, status: u16| {
        assert_eq!(answer.status, status, "{name}: {}", answer.text());
        std::fs::write(pages.join(format!("{name}.html")), answer.body).unwrap();
    };
    save("list", server.get("/"), 200);
    save("list-none", server.get("/?q=nowhere"), 200);
    let form = server.get("/practices/new?nation=wales");
    let csrf = form.csrf();
    save("new-wales", form, 200);
    let wrong = new_practice("0114 12");
    save(
        "new-with-errors",
        server.post(
            "/practices",
            &with(&wrong, &[("csrf", &csrf), ("step", "review")]),
        ),
        422,
    );
    let right = new_practice("0114 496 0000");
    save(
        "new-review",
        server.post(
            "/practices",
            &with(&right, &[("csrf", &csrf), ("step", "review")]),
        ),
        200,
    );
    save(
        "practice",
        server.get("/practices/ashfield-medical-centre"),
        200,
    );
    let edit = server.get("/practices/meddygfa-ty-gwyn/edit");
    let mut stale = form_fields(&edit.text());
    save("edit-wales", edit, 200);
    for (key, value) in stale.iter_mut() {
        if key == "base" {
            *value = "0".repeat(64);
        }
    }
    stale.push(("step".into(), "save".into()));
    let borrowed: Vec<(&str, &str)> = stale
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    save(
        "edit-conflict",
        server.post("/practices/meddygfa-ty-gwyn", &borrowed),
        409,
    );
    save("reply", server.get("/reply"), 200);
    let reply = |review: &str, draft: &str, action: &str| {
        server.post(
            "/reply",
            &[
                ("csrf", &csrf),
                ("practice", "ashfield-medical-centre"),
                ("review", review),
                ("draft", draft),
                ("action", action),
            ],
        )
    };
    save(
        "reply-checked",
        reply(
            "Dr Khan kept me waiting.",
            "Dear Mrs Jones, we checked your records and Dr Khan says your blood test was fine. Call 07700 900123.",
            "check",
        ),
        200,
    );
    save(
        "reply-held",
        reply(
            "I know when the receptionist finishes. Watch your back.",
            "",
            "draft",
        ),
        200,
    );
    save(
        "reply-drafted",
        reply("Lovely staff, thank you.", "", "draft"),
        200,
    );
    save("reply-problem", reply("", "", "check"), 422);
    save("not-found", server.get("/practices/nowhere"), 404);
    drop(server);

    let output = Command::new("node")
        .arg(a11y.join("check.mjs"))
        .arg("--app")
        .arg(&pages)
        .current_dir(sandbox.path())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}); install Node.js (see .ci/run)"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "the web app's pages:\n{report}"
    );
    eprintln!("{report}");
}

/// With `--ods`, an ODS code on "Add a practice" fills in what the NHS
/// list says, and the commissioner as another practice of the same
/// commissioner (`02X`) has it: the list names a commissioner only by code.
#[test]
fn an_ods_code_fills_in_the_form() {
    let sandbox = Sandbox::new();
    sandbox.write("epraccur.csv", &crate::import::clean_fixture());
    // A practice of commissioner 02X whose config inherits its ICB from
    // a shared file the LMC keeps, in a folder of its own (a shared file
    // at the top would be offered to the new practice instead).
    let example =
        crate::harness::example("ashfield-medical-centre.toml").replace("C86099", "C99005");
    let start = example.find("[commissioner]").unwrap();
    let end = example.find("[advocacy]").unwrap();
    sandbox.write("configs/south-yorkshire/_icb.toml", &example[start..end]);
    let own = format!(
        "extends = \"_icb.toml\"\n{}{}",
        &example[..start],
        &example[end..]
    );
    sandbox.write("configs/south-yorkshire/ashfield.toml", &own);
    let server = Server::start(&sandbox, &["configs", "-o", "out", "--ods", "epraccur.csv"]);
    let form = server.get("/practices/new?ods=c99001");
    assert_eq!(form.status, 200);
    let text = form.text();
    assert!(
        text.contains("Filled in from the NHS ODS list for C99001"),
        "{text}"
    );
    assert!(text.contains("St John"), "{text}");
    assert!(text.contains("value=\"01302 123456\""), "{text}");
    assert!(text.contains("value=\"DN5 0AA\""), "{text}");
    assert!(
        text.contains(
            "The commissioner (02X in the ODS list) is filled in as Ashfield Medical Centre has it"
        ),
        "{text}"
    );
    assert!(
        text.contains("value=\"NHS South Yorkshire Integrated Care Board\""),
        "{text}"
    );
    // A practice's own values are not copied into another's form: not
    // from its own file, even one the web app's user owns (as a file the
    // practice edits through its link is)...
    sandbox.write(
        "configs/south-yorkshire/ashfield.toml",
        &own.replace(
            "[advocacy]",
            "[commissioner]\nname = \"Premium Line ICB\"\nphone = \"0114 496 0101\"\n\n[advocacy]",
        ),
    );
    let form = server.get("/practices/new?ods=c99001").text();
    assert!(form.contains("St John"));
    assert!(!form.contains("Premium Line ICB"), "{form}");
    sandbox.write("configs/south-yorkshire/ashfield.toml", &own);
    // ...nor from a config another user owns.
    std::os::unix::fs::chown(
        sandbox.path().join("configs/south-yorkshire/ashfield.toml"),
        Some(65534),
        Some(65534),
    )
    .unwrap();
    let form = server.get("/practices/new?ods=c99001").text();
    assert!(text.contains("St John") && form.contains("St John"));
    assert!(
        !form.contains("NHS South Yorkshire Integrated Care Board"),
        "{form}"
    );
    let missing = server.get("/practices/new?ods=C00000");
    assert!(
        missing
            .text()
            .contains("has no open GP practice with the code C00000")
    );
}

/// The form follows the nation, shows what the LMC's shared file gives as
/// inherited, and an edit keeps `extends` and the file's comments.
#[test]
fn the_form_follows_the_nation_and_keeps_what_the_lmc_shares() {
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let server = Server::start(
        &sandbox,
        &[path(&configs), "-o", path(&sandbox.path().join("out"))],
    );
    let england = server.get("/practices/new?nation=england").text();
    let wales = server.get("/practices/new?nation=wales").text();
    let scotland = server.get("/practices/new?nation=scotland").text();
    // Advocacy where the nation has no service of its own; Welsh words in Wales.
    assert!(england.contains("name=\"advocacy.name\""));
    assert!(!scotland.contains("name=\"advocacy.name\""));
    assert!(wales.contains("name=\"complaints.lead_role_cy\""));
    assert!(wales.contains("name=\"policy.approved_by_cy\""));
    assert!(!england.contains("name=\"complaints.lead_role_cy\""));
    // The nation's bodies, as they will be printed.
    assert!(
        scotland.contains("Scottish Public Services Ombudsman"),
        "{scotland}"
    );

    let edit = server.get("/practices/conisbrough-group-practice/edit");
    assert_eq!(edit.status, 200);
    let text = edit.text();
    // Inherited from _lmc.toml: shown, and an empty field keeps it.
    assert!(text.contains("Empty fields use the shared details in _lmc.toml"));
    assert!(
        text.contains(
            "Leave empty to use the shared value: NHS South Yorkshire Integrated Care Board"
        ),
        "{text}"
    );
    let before =
        std::fs::read_to_string(configs.join("doncaster-lmc/conisbrough-group-practice.toml"))
            .unwrap();
    let mut fields = form_fields(&text);
    for (key, value) in fields.iter_mut() {
        if key == "commissioner.phone" {
            // Overridden here, for this practice only.
            *value = "0114 496 0999".into();
        }
    }
    // The page before saving names what will print differently: an
    // inherited value's old value is the shared one, and a list of the
    // practice's own replaces the LMC's whole list.
    let mut adding = fields.clone();
    for (key, value) in adding.iter_mut() {
        match key.as_str() {
            "defence_organisations[1].name" => *value = "Xy Defence".into(),
            "defence_organisations[1].phone" => *value = "0114 496 0998".into(),
            _ => {}
        }
    }
    adding.push(("step".into(), "review".into()));
    let borrowed: Vec<(&str, &str)> = adding
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let review = server.post("/practices/conisbrough-group-practice", &borrowed);
    assert_eq!(review.status, 200, "{}", review.text());
    let rows = review.text().replace(['\n', ' '], "");
    for row in [
        "<td>commissioner.phone</td><td>0114 496 0100</td><td>0114 496 0999</td>",
        "<td>defence_organisations[1].name</td><td>The MDU</td><td>Xy Defence</td>",
        "<td>defence_organisations[2].name</td><td>Medical Protection</td><td>(not set)</td>",
    ] {
        assert!(
            rows.contains(&row.replace(' ', "")),
            "{row} in {}",
            review.text()
        );
    }
    fields.push(("step".into(), "save".into()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = server.post("/practices/conisbrough-group-practice", &borrowed);
    assert_eq!(saved.status, 303, "{}", saved.text());
    let after =
        std::fs::read_to_string(configs.join("doncaster-lmc/conisbrough-group-practice.toml"))
            .unwrap();
    assert!(
        after.starts_with(&before[..before.find("[practice]").unwrap()]),
        "comments and extends kept:\n{after}"
    );
    assert!(
        after.contains("[commissioner]\nphone = \"0114 496 0999\""),
        "{after}"
    );
    assert!(
        !after.contains("NHS South Yorkshire Integrated Care Board"),
        "the inherited name is not copied in:\n{after}"
    );
    // The nation the shared file gives stays the shared file's.
    assert!(
        text.contains("<option value=\"\" selected>The shared value (england)</option>"),
        "{text}"
    );
    assert!(!after.contains("nation ="), "{after}");

    // A practice that claims another's slug (whose folder it built) takes
    // nothing: the web app keeps the folder's owner, as `build` does.
    sandbox
        .run(&[
            "build",
            path(&configs),
            "-o",
            path(&sandbox.path().join("out")),
            "--formats",
            "md",
        ])
        .expect_code(0);
    let thorne = configs.join("doncaster-lmc/thorne-moor-surgery.toml");
    let text = std::fs::read_to_string(&thorne).unwrap();
    std::fs::write(
        &thorne,
        text.replace(
            "[practice]\n",
            "[practice]\nslug = \"conisbrough-group-practice\"\n",
        ),
    )
    .unwrap();
    let page = server.get("/practices/conisbrough-group-practice");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Conisbrough Group Practice"));
    assert_eq!(server.get("/practices/thorne-moor-surgery").status, 404);
    // The reply page lists the slug once, under its owner's name: the
    // claimant is not offered with the owner's settings.
    let reply = server.get("/reply").text();
    assert_eq!(
        reply
            .matches("value=\"conisbrough-group-practice\"")
            .count(),
        1,
        "{reply}"
    );
    assert!(!reply.contains("Thorne Moor Surgery"), "{reply}");
    sandbox
        .run(&[
            "check",
            path(&configs.join("doncaster-lmc/conisbrough-group-practice.toml")),
        ])
        .expect_code(0);
}

/// SIGTERM lets the request in flight finish (here the first build of a
/// practice, every format and edition), then the server stops with 0.
#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let mut server = Server::start(
        &sandbox,
        &[path(&configs), "-o", path(&sandbox.path().join("out"))],
    );
    let addr = server.addr.clone();
    let in_flight = std::thread::spawn(move || {
        let probe = Server {
            child: Command::new("true").spawn().unwrap(),
            addr,
            cookie: None,
        };
        probe.get("/practices/ashfield-medical-centre")
    });
    std::thread::sleep(std::time::Duration::from_millis(40));
    assert!(
        !in_flight.is_finished(),
        "the build is still running when SIGTERM comes"
    );
    // SAFETY: kill has no memory-safety preconditions.
    unsafe {
        libc::kill(server.child.id() as i32, libc::SIGTERM);
    }
    let answer = in_flight.join().unwrap();
    assert_eq!(answer.status, 200, "the request in flight finished");
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(
        sandbox
            .path()
            .join("out/ashfield-medical-centre/staff-handbook.pdf")
            .exists()
    );
}

/// A client that starts a request and never finishes its headers is
/// dropped after 10 s, and others are served meanwhile.
#[test]
fn a_client_that_never_finishes_its_headers_is_dropped() {
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let server = Server::start(
        &sandbox,
        &[path(&configs), "-o", path(&sandbox.path().join("out"))],
    );
    let started = std::time::Instant::now();
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    slow.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    assert_eq!(server.get("/healthz").text(), "ok");
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_secs(9) && waited < std::time::Duration::from_secs(20),
        "dropped after {waited:?}"
    );
    assert_eq!(server.get("/healthz").text(), "ok");
}

/// A multipart body with a CSRF token and a file, as a browser sends it.
fn multipart(csrf: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----policypack-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Server {
    fn upload(&self, path: &str, content_type: &str, body: Vec<u8>) -> Answer {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        let _ = stream.write_all(&body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Answer::parse(&raw)
    }
}

/// A logo uploaded on the form is checked as `check` checks a logo, saved
/// beside the config, named in it, and printed; a file that is not an
/// image, or one larger than a logo may be, is refused and nothing changes.
#[test]
fn a_logo_is_uploaded_checked_and_printed() {
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let out = sandbox.path().join("out");
    let server = Server::start(&sandbox, &[path(&configs), "-o", path(&out)]);
    let csrf = server.get("/practices/ashfield-medical-centre/edit").csrf();
    let config = configs.join("ashfield-medical-centre.toml");
    let before = std::fs::read_to_string(&config).unwrap();

    let (kind, body) = multipart(&csrf, b"GIF89a not a logo");
    let refused = server.upload("/practices/ashfield-medical-centre/logo", &kind, body);
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("PNG or JPEG"), "{}", refused.text());
    let (kind, body) = multipart(&csrf, &vec![0u8; 3 * 1024 * 1024]);
    assert_eq!(
        server
            .upload("/practices/ashfield-medical-centre/logo", &kind, body)
            .status,
        413
    );
    let (kind, body) = multipart("forged", crate::a11y::LOGO_PNG);
    assert_eq!(
        server
            .upload("/practices/ashfield-medical-centre/logo", &kind, body)
            .status,
        403
    );
    assert_eq!(before, std::fs::read_to_string(&config).unwrap());
    assert!(!configs.join("ashfield-medical-centre-logo.png").exists());
    // A file already where the logo would go, which the config does not
    // name as its own logo, is never replaced.
    let planted = configs.join("ashfield-medical-centre-logo.png");
    std::fs::write(&planted, b"another practice's logo").unwrap();
    let (kind, body) = multipart(&csrf, crate::a11y::LOGO_PNG);
    let refused = server.upload("/practices/ashfield-medical-centre/logo", &kind, body);
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(
        refused.text().contains("not this practice"),
        "{}",
        refused.text()
    );
    assert_eq!(std::fs::read(&planted).unwrap(), b"another practice's logo");
    std::fs::remove_file(&planted).unwrap();

    let (kind, body) = multipart(&csrf, crate::a11y::LOGO_PNG);
    let saved = server.upload("/practices/ashfield-medical-centre/logo", &kind, body);
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(
        std::fs::read(configs.join("ashfield-medical-centre-logo.png")).unwrap(),
        crate::a11y::LOGO_PNG
    );
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(
        after.contains("accent_colour = \"#005EB8\"\nlogo = \"ashfield-medical-centre-logo.png\""),
        "{after}"
    );
    sandbox.run(&["check", path(&config)]).expect_code(0);
    // The name comes from the config's file, not from the slug a practice
    // may choose: a slug of "lmc" does not land its logo on the LMC's.
    let shared_logo = configs.join("lmc-logo.png");
    std::fs::write(&shared_logo, b"the LMC's logo").unwrap();
    std::fs::write(
        &config,
        after.replace(
            "name = \"Ashfield Medical Centre\"",
            "name = \"Ashfield Medical Centre\"\nslug = \"lmc\"",
        ),
    )
    .unwrap();
    let csrf = server.get("/practices/lmc/edit").csrf();
    let (kind, body) = multipart(&csrf, crate::a11y::LOGO_PNG);
    let saved = server.upload("/practices/lmc/logo", &kind, body);
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(std::fs::read(&shared_logo).unwrap(), b"the LMC's logo");
    std::fs::write(&config, &after).unwrap();
    std::fs::remove_file(&shared_logo).unwrap();
    assert_eq!(server.get("/practices/ashfield-medical-centre").status, 200);
    let html =
        std::fs::read_to_string(out.join("ashfield-medical-centre/zero-tolerance-notice.html"))
            .unwrap();
    assert!(
        html.contains("data:image/png;base64,"),
        "the logo is on the poster"
    );
}

/// A practice's config that extends a file its owner may not read does
/// not pass `check`, and the form its link opens to put it right shows
/// nothing from that file either.
#[test]
fn the_form_shows_nothing_a_practice_could_not_read_itself() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root, to give the config to another user");
        return;
    }
    let sandbox = Sandbox::new();
    let configs = examples(&sandbox);
    let keys = sandbox.path().join("keys.json");
    let made = sandbox.run(&["serve", "--new-auth", path(&keys), path(&configs)]);
    made.expect_code(0);
    let link = made
        .stdout()
        .lines()
        .find(|l| l.starts_with("ashfield-medical-centre"))
        .and_then(|l| l.rsplit(',').next())
        .unwrap()
        .to_string();
    // The officer's own draft, readable by the officer alone.
    let private = configs.join("_draft.toml");
    std::fs::write(&private, "[lmc]\nphone = \"0114 496 0777\"\n").unwrap();
    std::fs::set_permissions(
        &private,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let config = configs.join("ashfield-medical-centre.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("extends = \"_draft.toml\"\n{text}")).unwrap();
    std::os::unix::fs::chown(&config, Some(65534), Some(65534)).unwrap();
    let check = sandbox.run(&["check", path(&config)]);
    check.expect_code(1);
    assert!(
        check.stderr().contains("not readable by everyone"),
        "{}",
        check.stderr()
    );

    let mut server = Server::start(&sandbox, &[path(&configs), "--auth", path(&keys)]);
    let secret = link.rsplit('/').next().unwrap();
    let signed_in = server.get(&format!("/k/{secret}"));
    server.cookie = Some(
        signed_in.headers["set-cookie"]
            .split(';')
            .next()
            .unwrap()
            .to_string(),
    );
    let form = server.get("/practices/_mine/edit");
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(!form.text().contains("496 0777"), "{}", form.text());
}
