//! The parts → the `.docx` zip (an Open Packaging Conventions package):
//! content types, relationships, core properties, the document, styles,
//! numbering, the footer and the pictures.
//!
//! docx-rust's own `Docx::write` is not used: it lists footers and media
//! from hash maps (a different order each run), marks every member
//! executable, types the footer's relationship as a header, and gives core
//! properties a relationship type python-docx does not read (and no
//! xsi:type on their dates). Here every member is one of docx-rust's typed
//! parts written by hard-xml, in a fixed order, dated 1980-01-01, mode 0644.

use std::collections::BTreeMap;
use std::io::{Cursor, Write as _};

use anyhow::Context as _;
use chrono::NaiveDate;
use docx_rust::content_type::{ContentTypes, DefaultContentType, OverrideContentType};
use docx_rust::document::{
    BodyContent, Document, FooterReference, HeaderFooterReference, HeaderFooterReferenceType,
};
use docx_rust::formatting::{PageMargin, PageSize, SectionProperty};
use docx_rust::rels::{Relationship, Relationships, TargetMode};
use hard_xml::{XmlResult, XmlWrite, XmlWriter};
use zip::{DateTime, ZipWriter};

use super::Theme;
use super::body::Written;

const REL_DOCUMENT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const REL_CORE: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
const REL_STYLES: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const REL_NUMBERING: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering";
const REL_SETTINGS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings";
/// The document's settings: Word updates its fields when it opens the file
/// (after asking), so the contents list's page numbers (`PAGEREF`) are
/// Word's own. Written out whole: docx-rust 0.1 spells the setting's
/// attribute `w:value`, which Word does not read.
const SETTINGS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n",
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:updateFields w:val=\"true\"/>",
    "</w:settings>"
);
const REL_FOOTER: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer";
const REL_HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
pub const REL_IMAGE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";

const WORD_ML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// The footer's relationship: the third made, after styles and numbering.
const FOOTER_ID: &str = "rId3";

/// The document part's relationships, numbered in the order they are made.
pub struct Relations {
    list: Vec<Relationship<'static>>,
    /// Links already related, by address, so each address has one.
    links: BTreeMap<String, String>,
}

impl Relations {
    pub fn new() -> Relations {
        let mut relations = Relations {
            list: Vec::new(),
            links: BTreeMap::new(),
        };
        relations.add(REL_STYLES, "styles.xml", false);
        relations.add(REL_NUMBERING, "numbering.xml", false);
        let footer = relations.add(REL_FOOTER, "footer1.xml", false);
        debug_assert_eq!(footer, FOOTER_ID);
        relations.add(REL_SETTINGS, "settings.xml", false);
        relations
    }

    /// Relates `target`, returning the new relationship's id.
    pub fn add(&mut self, kind: &'static str, target: &str, external: bool) -> String {
        let id = format!("rId{}", self.list.len() + 1);
        self.list.push(Relationship {
            id: id.clone().into(),
            target: target.to_string().into(),
            ty: kind.into(),
            target_mode: external.then_some(TargetMode::External),
        });
        id
    }

    /// The relationship of an external link to `url`.
    pub fn link(&mut self, url: &str) -> String {
        if let Some(id) = self.links.get(url) {
            return id.clone();
        }
        let id = self.add(REL_HYPERLINK, url, true);
        self.links.insert(url.to_string(), id.clone());
        id
    }
}

/// A picture's bytes and its member name (`word/media/image1.png`).
pub struct Media {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the file says about itself (File > Properties in Word).
pub struct CoreProperties {
    pub title: String,
    pub subject: String,
    /// The author: the practice.
    pub creator: String,
    pub keywords: String,
    /// Created and last modified: the issue date, never the clock.
    pub date: NaiveDate,
}

impl XmlWrite for CoreProperties {
    fn to_writer<W: std::io::Write>(&self, writer: &mut XmlWriter<W>) -> XmlResult<()> {
        writer.inner.write_all(DECLARATION.as_bytes())?;
        writer.write_element_start("cp:coreProperties")?;
        for (name, namespace) in [
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ] {
            writer.write_attribute(name, namespace)?;
        }
        writer.write_element_end_open()?;
        writer.write_flatten_text("dc:title", &self.title, false)?;
        writer.write_flatten_text("dc:subject", &self.subject, false)?;
        writer.write_flatten_text("dc:creator", &self.creator, false)?;
        writer.write_flatten_text("cp:keywords", &self.keywords, false)?;
        writer.write_flatten_text("cp:lastModifiedBy", &self.creator, false)?;
        let date = format!("{}T00:00:00Z", self.date.format("%Y-%m-%d"));
        for tag in ["dcterms:created", "dcterms:modified"] {
            // The one place the package format wants an xsi:type.
            writer.write_element_start(tag)?;
            writer.write_attribute("xsi:type", "dcterms:W3CDTF")?;
            writer.write_element_end_open()?;
            writer.write_text(&date)?;
            writer.write_element_end_close(tag)?;
        }
        writer.write_flatten_text("dc:language", "en-GB", false)?;
        writer.write_element_end_close("cp:coreProperties")?;
        Ok(())
    }
}

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

/// Writes the package.
pub fn write(
    body: Written,
    styles: docx_rust::styles::Styles<'static>,
    footer: docx_rust::document::Footer<'static>,
    core: &CoreProperties,
    theme: &Theme,
) -> anyhow::Result<Vec<u8>> {
    let mut members = vec![
        ("[Content_Types].xml", xml(&content_types())?),
        ("_rels/.rels", xml(&package_relationships())?),
        ("docProps/core.xml", xml(core)?),
        (
            "word/document.xml",
            rows_never_split(xml(&document(body.content, theme))?),
        ),
        ("word/styles.xml", xml(&styles)?),
        (
            "word/numbering.xml",
            xml(&super::lists::numbering(theme, body.lists))?,
        ),
        ("word/footer1.xml", xml(&footer)?),
        ("word/settings.xml", SETTINGS.as_bytes().to_vec()),
        (
            "word/_rels/document.xml.rels",
            xml(&Relationships {
                relationships: body.relations.list,
            })?,
        ),
    ];
    for media in &body.media {
        members.push((media.name.as_str(), media.bytes.clone()));
    }
    zip(&members)
}

fn xml(part: &impl XmlWrite) -> anyhow::Result<Vec<u8>> {
    let mut writer = XmlWriter::new(Vec::new());
    part.to_writer(&mut writer)
        .map_err(|e| anyhow::anyhow!("cannot write a part of the Word file: {e}"))?;
    Ok(writer.into_inner())
}

/// The document with every table row marked "cannot split" (`w:cantSplit`),
/// so that Word and LibreOffice move a row that does not fit to the next
/// page whole, as the PDF does. docx-rust 0.1 has no such row property, so
/// it is added to the row properties it writes, `<w:trPr/>` or
/// `<w:trPr>…`, which open every row; no text can hold them, as every `<`
/// in text is written `&lt;`.
fn rows_never_split(xml: Vec<u8>) -> Vec<u8> {
    const EMPTY: &str = "<w:tr><w:trPr/>";
    const OPEN: &str = "<w:tr><w:trPr>";
    let Ok(text) = String::from_utf8(xml) else {
        unreachable!("hard-xml writes UTF-8")
    };
    // Open ones first: the empty ones, once marked, open like them.
    text.replace(OPEN, "<w:tr><w:trPr><w:cantSplit/>")
        .replace(EMPTY, "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        .into_bytes()
}

/// The members in the order given, each deflated, dated 1980-01-01 and
/// readable by all, so the bytes depend on nothing but the content.
fn zip(members: &[(&str, Vec<u8>)]) -> anyhow::Result<Vec<u8>> {
    let date = DateTime::from_date_and_time(1980, 1, 1, 0, 0, 0)
        .map_err(|e| anyhow::anyhow!("zip date: {e}"))?;
    let options = crate::utils::zip_member_options(date);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in members {
        zip.start_file(*name, options)
            .with_context(|| format!("zip member {name}"))?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

fn content_types() -> ContentTypes<'static> {
    let default = |ext: &'static str, ty: &'static str| DefaultContentType {
        ext: ext.into(),
        ty: ty.into(),
    };
    let part = |part: &'static str, ty: String| OverrideContentType {
        part: part.into(),
        ty: ty.into(),
    };
    ContentTypes {
        defaults: vec![
            default(
                "rels",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
            default("xml", "application/xml"),
            default("png", "image/png"),
            default("jpeg", "image/jpeg"),
        ],
        overrides: vec![
            part(
                "/docProps/core.xml",
                "application/vnd.openxmlformats-package.core-properties+xml".into(),
            ),
            part("/word/document.xml", format!("{WORD_ML}.document.main+xml")),
            part("/word/styles.xml", format!("{WORD_ML}.styles+xml")),
            part("/word/numbering.xml", format!("{WORD_ML}.numbering+xml")),
            part("/word/footer1.xml", format!("{WORD_ML}.footer+xml")),
            part("/word/settings.xml", format!("{WORD_ML}.settings+xml")),
        ],
    }
}

fn package_relationships() -> Relationships<'static> {
    let relationship = |id: &'static str, ty: &'static str, target: &'static str| Relationship {
        id: id.into(),
        target: target.into(),
        ty: ty.into(),
        target_mode: None,
    };
    Relationships {
        relationships: vec![
            relationship("rId1", REL_DOCUMENT, "word/document.xml"),
            relationship("rId2", REL_CORE, "docProps/core.xml"),
        ],
    }
}

/// The body, then the section: the edition's paper and margins, and the
/// footer on every page.
fn document(mut content: Vec<BodyContent<'static>>, theme: &Theme) -> Document<'static> {
    let mut paper = theme.paper;
    // A poster's sign-off is its foot, 22 pt from the paper's edge as in
    // the PDF; its footer is empty.
    if theme.poster {
        paper.bottom = 22.0;
    }
    let footer_distance = (paper.bottom - 18.0 - theme.footer_size() * 1.25).max(12.0);
    let section = SectionProperty {
        header_footer_references: vec![HeaderFooterReference::Footer(FooterReference {
            ty: Some(HeaderFooterReferenceType::Default),
            id: Some(FOOTER_ID.into()),
        })],
        page_size: Some(PageSize {
            weight: Theme::twips(paper.width),
            height: Theme::twips(paper.height),
        }),
        page_margin: Some(PageMargin {
            top: Some(Theme::twips(paper.margin)),
            right: Some(Theme::twips(paper.margin)),
            bottom: Some(Theme::twips(paper.bottom)),
            left: Some(Theme::twips(paper.margin)),
            header: Some(Theme::twips(paper.margin / 2.0)),
            footer: Some(Theme::twips(footer_distance)),
            gutter: Some(0),
        }),
        ..SectionProperty::default()
    };
    content.push(BodyContent::SectionProperty(section));
    let mut document = Document::default();
    document.body.content = content;
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_properties_escape_what_they_are_given() {
        let core = CoreProperties {
            title: "<w:p>&\"'{{x}} — Leaflet".into(),
            subject: "s".into(),
            creator: "<w:p>&\"'{{x}}".into(),
            keywords: "k".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        };
        let text = String::from_utf8(xml(&core).unwrap()).unwrap();
        assert!(
            text.contains("<dc:creator>&lt;w:p&gt;&amp;&quot;&apos;{{x}}</dc:creator>"),
            "{text}"
        );
        assert!(
            text.contains(
                "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-01T00:00:00Z</dcterms:created>"
            ),
            "{text}"
        );
    }

    #[test]
    fn every_row_is_marked_cannot_split() {
        let xml = b"<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc/></w:tr><w:tr><w:trPr/><w:tc><w:t>&lt;w:tr&gt;&lt;w:trPr/&gt;</w:t></w:tc></w:tr></w:tbl>";
        let out = String::from_utf8(rows_never_split(xml.to_vec())).unwrap();
        assert_eq!(
            out,
            "<w:tbl><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr><w:tc/></w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:t>&lt;w:tr&gt;&lt;w:trPr/&gt;</w:t></w:tc></w:tr></w:tbl>"
        );
    }

    #[test]
    fn each_link_address_is_related_once() {
        let mut relations = Relations::new();
        let a = relations.link("https://example.org/?a=1&b=2");
        let b = relations.link("mailto:x@example.org");
        assert_eq!(relations.link("https://example.org/?a=1&b=2"), a);
        // After styles, numbering, the footer and the settings.
        assert_eq!((a.as_str(), b.as_str()), ("rId5", "rId6"));
    }
}
