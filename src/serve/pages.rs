//! The web app's pages: Tera templates compiled into the binary (they are
//! the program's, not an LMC's to override), every value escaped.

use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use super::html;

/// The one style sheet of every page, inline, allowed by its hash.
pub const STYLE: &str = include_str!("../../assets/serve/style.css");

const TEMPLATES: [(&str, &str); 8] = [
    (
        "layout.html",
        include_str!("../../assets/serve/layout.html"),
    ),
    ("list.html", include_str!("../../assets/serve/list.html")),
    (
        "practice.html",
        include_str!("../../assets/serve/practice.html"),
    ),
    ("form.html", include_str!("../../assets/serve/form.html")),
    (
        "changes.html",
        include_str!("../../assets/serve/changes.html"),
    ),
    ("reply.html", include_str!("../../assets/serve/reply.html")),
    (
        "message.html",
        include_str!("../../assets/serve/message.html"),
    ),
    (
        "switch.html",
        include_str!("../../assets/serve/switch.html"),
    ),
];

pub struct Pages {
    tera: tera::Tera,
    csp: String,
}

impl Pages {
    pub fn new() -> anyhow::Result<Pages> {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(TEMPLATES)?;
        tera.autoescape_on(vec![".html"]);
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
        let csp = format!(
            "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
        );
        Ok(Pages { tera, csp })
    }

    /// The Content-Security-Policy of every page: no script, this one
    /// style sheet, forms posted only here.
    pub fn csp(&self) -> String {
        self.csp.clone()
    }

    /// A page, or a plain error page if a template fails (a fault of the
    /// program, not of the person asking).
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Response> {
        let mut context = context.clone();
        context.insert("style", STYLE);
        self.tera.render(name, &context).map_err(|error| {
            failed(&format!(
                "the page {name} could not be made: {}",
                crate::content::templates::chain(&error)
            ))
        })
    }

    /// A page with this status.
    pub fn page(&self, status: StatusCode, name: &str, context: &tera::Context) -> Response {
        match self.render(name, context) {
            Ok(body) => html(status, body),
            Err(response) => response,
        }
    }

    /// A short page saying what happened and what to do.
    pub fn message(&self, status: StatusCode, title: &str, text: &str) -> Response {
        let mut context = tera::Context::new();
        context.insert("title", title);
        context.insert("text", text);
        self.page(status, "message.html", &context)
    }
}

/// A page made without templates, for when they cannot be used.
fn bare(status: StatusCode, title: &str, text: &str) -> Response {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    html(
        status,
        format!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} – policypack</title><style>{STYLE}</style></head><body><main id=\"main\"><h1>{}</h1><p>{}</p><p><a href=\"/\">All practices</a></p></main></body></html>\n",
            escape(title),
            escape(title),
            escape(text)
        ),
    )
}

pub fn not_found() -> Response {
    bare(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no page at this address. Check the link, or start again from the list of practices.",
    )
}

pub fn forbidden() -> Response {
    bare(
        StatusCode::FORBIDDEN,
        "Not your practice's page",
        "Your link opens your own practice's pages and the reply checker only. Ask your LMC if you need another practice's.",
    )
}

pub fn misdirected() -> Response {
    bare(
        StatusCode::MISDIRECTED_REQUEST,
        "Open this web app by its own address",
        "Without secret links this web app answers only when it is opened as http://localhost or http://127.0.0.1 on this computer.",
    )
}

pub fn forbidden_cross_site() -> Response {
    bare(
        StatusCode::FORBIDDEN,
        "This form came from another website",
        "Forms are accepted only from this web app's own pages. Open the page here again and send it from there.",
    )
}

pub fn too_many() -> Response {
    bare(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many requests at once",
        "Your practice's link has several requests in progress already. Wait for them to finish, then try again.",
    )
}

pub fn unauthorised() -> Response {
    bare(
        StatusCode::UNAUTHORIZED,
        "Open your practice's link first",
        "This web app opens only from the secret link your LMC sent you. Open that link again; if you cannot find it, ask your LMC for a new one.",
    )
}

pub fn bad_form() -> Response {
    bare(
        StatusCode::FORBIDDEN,
        "This form has expired",
        "The form was not sent from this web app, or the web app has restarted since the page was opened. Go back, reload the page and send it again.",
    )
}

pub fn failed(text: &str) -> Response {
    bare(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        text,
    )
}
