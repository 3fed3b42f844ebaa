//! What a renderer may know of the practice besides the document's text:
//! one value, read once per practice. Its hash is part of every document's
//! fingerprint, so whatever a renderer shows from here is covered without
//! being listed a second time.

use std::hash::{Hash, Hasher};

use base64::Engine as _;
use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::config::Practice;
use crate::content::context::long_date;

/// The practice as renderers see it. It serialises to the values the page
/// layout (`page.html`) is given.
#[derive(Serialize, Hash)]
pub struct Presentation {
    /// The accent colour, `#rrggbb`.
    pub accent: String,
    pub logo: Option<Logo>,
    pub practice: PracticeFacts,
    pub policy: PolicyFacts,
    /// The issue date itself: the PDF's and Word file's creation date.
    #[serde(skip)]
    pub issued: NaiveDate,
}

#[derive(Serialize, Hash)]
pub struct PracticeFacts {
    pub name: String,
    pub phone: String,
    pub phone_href: Option<String>,
    pub website: Option<String>,
    /// The page the QR code on the printed notice and leaflet opens.
    pub complaints_page: Option<String>,
}

#[derive(Serialize, Hash)]
pub struct PolicyFacts {
    /// "1 November 2026".
    pub issued: String,
    /// "2026-11-01".
    pub issued_iso: String,
    pub review_due: String,
    pub version: Option<String>,
}

impl Presentation {
    pub fn of(practice: &Practice) -> anyhow::Result<Presentation> {
        let c = &practice.config;
        Ok(Presentation {
            accent: practice.accent_colour.clone(),
            logo: practice.read_logo()?.map(|file| Logo {
                bytes: file.bytes,
                png: file.png,
                size: file.size,
            }),
            practice: PracticeFacts {
                name: c.practice.name.clone(),
                phone: c.practice.phone.clone(),
                phone_href: crate::config::rules::tel_uri(&c.practice.phone),
                website: c.practice.website.clone(),
                complaints_page: c.practice.complaints_page.clone(),
            },
            policy: PolicyFacts {
                issued: long_date(practice.issued),
                issued_iso: practice.issued.to_string(),
                review_due: long_date(practice.review_due),
                version: c.policy.version.clone(),
            },
            issued: practice.issued,
        })
    }

    /// The hash of everything here, as hex: part of each document's fingerprint.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256Hasher::default();
        self.hash(&mut hasher);
        crate::utils::hex(&sha2::Digest::finalize(hasher.0))
    }

    /// The hash of what renderers show from here, as hex: part of each
    /// document's reference ([`crate::content::reference`]). It is taken
    /// from the values the page layout is given (the logo's bytes among
    /// them), written out as JSON, rather than from `Hash`, so that it
    /// stays the same from one version of Rust or policypack to the next
    /// while what is shown stays the same.
    pub fn shown(&self) -> String {
        let values = serde_json::to_vec(self).expect("a Presentation is plain values");
        crate::utils::hash([values.as_slice()])
    }

    /// The colours the PDF and the Word file print in. The accent colour
    /// was checked with the config; a value it could not read gives NHS
    /// blue, the default.
    pub fn palette(&self) -> Palette {
        use crate::config::rules::parse_hex_colour;
        let accent = parse_hex_colour(&self.accent)
            .or_else(|| parse_hex_colour(crate::config::DEFAULT_ACCENT))
            .unwrap_or_default();
        Palette {
            accent,
            ..Palette::NHS
        }
    }

    /// "Practice — Document", for footers.
    pub fn footer(&self, title: &str) -> String {
        format!("{} — {title}", self.practice.name)
    }
}

/// The colours of the printed formats, as red, green and blue. The web
/// page's are in its stylesheet (`page.html`, which an LMC may replace):
/// the same text colours, and the accent from the config.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    /// Body text: NHS dark grey.
    pub text: [u8; 3],
    /// Quieter text and rules: NHS mid grey.
    pub muted: [u8; 3],
    /// The practice's accent colour: headings, rules, links.
    pub accent: [u8; 3],
}

impl Palette {
    /// NHS dark and mid grey, and NHS blue.
    pub const NHS: Palette = Palette {
        text: [0x21, 0x2b, 0x32],
        muted: [0x4c, 0x62, 0x72],
        accent: [0x00, 0x5e, 0xb8],
    };

    /// The accent mixed with white, nine parts to one: a tint for table
    /// headers.
    pub fn tint(&self) -> [u8; 3] {
        self.accent
            .map(|c| (u16::from(c) + 9 * 255).div_ceil(10) as u8)
    }
}

/// A [`Hasher`] that feeds SHA-256, so a derived `Hash` gives a stable digest.
#[derive(Default)]
struct Sha256Hasher(sha2::Sha256);

impl Hasher for Sha256Hasher {
    fn write(&mut self, bytes: &[u8]) {
        sha2::Digest::update(&mut self.0, bytes);
    }

    fn finish(&self) -> u64 {
        unreachable!("read with Presentation::fingerprint")
    }
}

/// A practice's logo, as the config stage read and checked it: the PDF
/// decodes it ([`crate::render::pdf`]), the web page and Word file take
/// its bytes.
pub struct Logo {
    pub bytes: Vec<u8>,
    pub png: bool,
    /// Width and height in pixels.
    pub size: (u32, u32),
}

impl Logo {
    pub fn mime(&self) -> &'static str {
        if self.png { "image/png" } else { "image/jpeg" }
    }

    /// The logo as a `data:` address, for the self-contained web page.
    pub fn data_uri(&self) -> String {
        format!(
            "data:{};base64,{}",
            self.mime(),
            base64::engine::general_purpose::STANDARD.encode(&self.bytes)
        )
    }
}

impl Hash for Logo {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl Serialize for Logo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.data_uri())
    }
}
