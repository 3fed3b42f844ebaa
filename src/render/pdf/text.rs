//! Text shaping and line breaking with parley, on the fonts compiled into
//! the binary, turned straight into positioned krilla glyphs.
//!
//! The glyphs krilla draws are exactly the ones parley measured, so a
//! line's drawn width is its measured width. Fonts are parsed once per
//! process (krilla) and registered once per thread (parley), never per
//! document.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use krilla::text::{Font, GlyphId, KrillaGlyph};
use parley::fontique::{Blob, Collection, CollectionOptions, SourceCache};
use parley::{
    Alignment, AlignmentOptions, FontContext, FontFamily, FontStyle, FontWeight, LayoutContext,
    LineHeight, PositionedLayoutItem, StyleProperty,
};

use crate::document::Span;

use crate::fonts::{FACES, FAMILY};

/// Hash of the bundled fonts: a new font means new PDFs. Computed when
/// the binary is built (`build.rs`), not at every start.
pub fn fonts_fingerprint() -> &'static str {
    env!("POLICYPACK_FONTS_SHA256")
}

/// The krilla fonts, parsed once per process.
fn krilla_fonts() -> &'static [Font; 4] {
    static FONTS: OnceLock<[Font; 4]> = OnceLock::new();
    FONTS
        .get_or_init(|| FACES.map(|bytes| Font::new(bytes.into(), 0).expect("bundled font parses")))
}

/// What parley carries through layout for each character: colour and link.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ink {
    pub rgb: [u8; 3],
    /// Index of the link target, if the text is a link.
    pub link: Option<u32>,
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    pub size: f32,
    pub bold: bool,
    pub rgb: [u8; 3],
    pub link_rgb: [u8; 3],
    /// Line height as a multiple of the size.
    pub leading: f32,
    /// Links are underlined (besides their colour).
    pub underline_links: bool,
}

/// One glyph run, positioned relative to its line's left edge and baseline.
#[derive(Clone)]
pub struct Run {
    pub x: f32,
    pub width: f32,
    pub font: Font,
    pub size: f32,
    pub ink: Ink,
    pub glyphs: Arc<[KrillaGlyph]>,
    /// (offset below the baseline, thickness) when underlined.
    pub underline: Option<(f32, f32)>,
}

/// One line of a paragraph.
#[derive(Clone)]
pub struct Line {
    pub height: f32,
    /// From the top of the line to the baseline.
    pub baseline: f32,
    /// The width of the ink, without trailing spaces.
    pub width: f32,
    pub runs: Vec<Run>,
    /// The paragraph's text; glyph ranges index into it.
    pub text: Arc<str>,
}

/// A paragraph broken into lines.
pub struct Lines {
    pub lines: Vec<Line>,
    pub text: Arc<str>,
}

impl Lines {
    pub fn height(&self) -> f32 {
        self.lines.iter().map(|l| l.height).sum()
    }

    /// The widest line: the paragraph's natural width when unconstrained.
    pub fn width(&self) -> f32 {
        self.lines.iter().map(|l| l.width).fold(0.0, f32::max)
    }
}

/// parley's font and layout caches, one set per thread, and the
/// paragraphs this thread has already broken into lines.
pub struct TextContext {
    fonts: FontContext,
    layout: LayoutContext<Ink>,
    by_blob: HashMap<u64, Font>,
    shaped: Memo,
    /// Paragraphs shaped to measure their natural width (table cells),
    /// kept shaped for their breaking at the widths their columns get.
    measured: foldhash::HashMap<Vec<u8>, (Arc<str>, parley::Layout<Ink>)>,
    /// While [`TextContext::recording`] runs: every paragraph asked for,
    /// to hand to another thread.
    recorded: Option<Shaped>,
}

/// Paragraphs broken into lines on one thread, for another thread's
/// [`TextContext::adopt`].
#[derive(Default)]
pub struct Shaped(Vec<(Vec<u8>, Arc<Lines>)>);

/// Paragraphs already broken into lines, by everything that decides the
/// result (the spans' text and styles, the text style, the width). Most
/// paragraphs of a document are the same in every practice's copy, so a
/// batch build on one thread finds most of them here. Two generations
/// bound the memory: when the newer fills up, the older is dropped, so
/// only entries that are used again survive. The keys are whole
/// paragraphs, which foldhash hashes several times faster than std's
/// SipHash.
struct Memo {
    newer: foldhash::HashMap<Vec<u8>, Arc<Lines>>,
    older: foldhash::HashMap<Vec<u8>, Arc<Lines>>,
}

/// Measured paragraphs kept shaped: more than a table has cells. When
/// full, all are let go.
const MEASURED: usize = 512;

/// Entries in one generation: a few documents' worth of paragraphs.
const MEMO_GENERATION: usize = 2048;

impl Memo {
    fn get(&mut self, key: &[u8]) -> Option<Arc<Lines>> {
        if let Some(lines) = self.newer.get(key) {
            return Some(lines.clone());
        }
        let (key, lines) = self.older.remove_entry(key)?;
        self.insert(key, lines.clone());
        Some(lines)
    }

    fn insert(&mut self, key: Vec<u8>, lines: Arc<Lines>) {
        if self.newer.len() >= MEMO_GENERATION {
            self.older = std::mem::take(&mut self.newer);
        }
        self.newer.insert(key, lines);
    }
}

/// Everything that decides how `spans` break into lines, as bytes.
fn memo_key(spans: &[Span], style: &TextStyle, width: Option<f32>) -> Vec<u8> {
    let mut key = Vec::with_capacity(64 + spans.iter().map(|s| s.text.len() + 9).sum::<usize>());
    key.extend(style.size.to_bits().to_le_bytes());
    key.extend(style.leading.to_bits().to_le_bytes());
    key.extend(style.rgb);
    key.extend(style.link_rgb);
    key.push(u8::from(style.bold) | u8::from(style.underline_links) << 1);
    for span in spans {
        key.push(u8::from(span.bold) | u8::from(span.italic) << 1);
        key.extend(span.link.map_or(u32::MAX, |l| l as u32).to_le_bytes());
        key.extend((span.text.len() as u32).to_le_bytes());
        key.extend(span.text.as_bytes());
    }
    // Last, so that the key without it names the shaped text.
    key.extend(width.map_or(u32::MAX, f32::to_bits).to_le_bytes());
    key
}

thread_local! {
    static CONTEXT: RefCell<TextContext> = RefCell::new(TextContext::new());
}

/// Runs `f` with this thread's text context.
pub fn with_context<R>(f: impl FnOnce(&mut TextContext) -> R) -> R {
    CONTEXT.with(|c| f(&mut c.borrow_mut()))
}

impl TextContext {
    fn new() -> TextContext {
        let mut fonts = FontContext {
            collection: Collection::new(CollectionOptions {
                shared: false,
                system_fonts: false,
            }),
            source_cache: SourceCache::default(),
        };
        let mut by_blob = HashMap::new();
        for (bytes, font) in FACES.iter().zip(krilla_fonts()) {
            let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(*bytes);
            let blob = Blob::new(data);
            fonts.collection.register_fonts(blob.clone(), None);
            by_blob.insert(blob.id(), font.clone());
        }
        TextContext {
            fonts,
            layout: LayoutContext::new(),
            by_blob,
            shaped: Memo {
                newer: foldhash::HashMap::default(),
                older: foldhash::HashMap::default(),
            },
            measured: foldhash::HashMap::default(),
            recorded: None,
        }
    }

    /// Runs `f`, and returns with its result every paragraph it broke
    /// into lines (or found already broken).
    pub fn recording<R>(&mut self, f: impl FnOnce(&mut TextContext) -> R) -> (R, Shaped) {
        let outer = self.recorded.replace(Shaped::default());
        let result = f(self);
        let shaped = std::mem::replace(&mut self.recorded, outer).unwrap_or_default();
        (result, shaped)
    }

    /// Takes paragraphs another thread broke into lines, so that asking
    /// for them here finds them done.
    pub fn adopt(&mut self, shaped: Shaped) {
        for (key, lines) in shaped.0 {
            if !self.shaped.newer.contains_key(&key) {
                self.shaped.insert(key, lines);
            }
        }
    }

    /// `spans` broken into lines no wider than `width` (`None`: one line
    /// per hard break, for measuring natural widths), shaped once per
    /// thread for each distinct paragraph, style and width.
    pub fn lines(&mut self, spans: &[Span], style: &TextStyle, width: Option<f32>) -> Arc<Lines> {
        let key = memo_key(spans, style, width);
        let lines = match self.shaped.get(&key) {
            Some(lines) => lines,
            None => {
                // Shaping costs far more than the key's copy.
                let lines = Arc::new(self.shape(spans, style, width, &key));
                self.shaped.insert(key.clone(), lines.clone());
                lines
            }
        };
        if let Some(recorded) = &mut self.recorded {
            recorded.0.push((key, lines.clone()));
        }
        lines
    }

    /// Shapes `spans` (or takes them shaped to be measured) and breaks
    /// them into lines no wider than `width`. `key` is their memo key.
    fn shape(
        &mut self,
        spans: &[Span],
        style: &TextStyle,
        width: Option<f32>,
        key: &[u8],
    ) -> Lines {
        // The key without the width, which comes last.
        let shaping = &key[..key.len() - 4];
        let kept = self.measured.remove(shaping);
        let measuring = width.is_none() || kept.is_some();
        let (text, mut layout) = kept.unwrap_or_else(|| self.build(spans, style));
        layout.break_all_lines(width);
        layout.align(Alignment::Start, AlignmentOptions::default());
        let lines = self.broken(&layout, &text);
        if measuring {
            if self.measured.len() >= MEASURED {
                self.measured.clear();
            }
            self.measured.insert(shaping.to_vec(), (text, layout));
        }
        lines
    }

    /// `spans` shaped in `style`, with their text.
    fn build(&mut self, spans: &[Span], style: &TextStyle) -> (Arc<str>, parley::Layout<Ink>) {
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        let mut builder = self
            .layout
            .ranged_builder(&mut self.fonts, &text, 1.0, false);
        builder.push_default(StyleProperty::FontFamily(FontFamily::named(FAMILY)));
        builder.push_default(StyleProperty::FontSize(style.size));
        // A word wider than the line (a long web address, a 58-letter
        // place name) breaks where it must rather than run off the page.
        builder.push_default(StyleProperty::OverflowWrap(parley::OverflowWrap::Anywhere));
        builder.push_default(StyleProperty::LineHeight(LineHeight::FontSizeRelative(
            style.leading,
        )));
        builder.push_default(StyleProperty::Brush(Ink {
            rgb: style.rgb,
            link: None,
        }));
        if style.bold {
            builder.push_default(StyleProperty::FontWeight(FontWeight::BOLD));
        }
        let mut start = 0;
        for span in spans {
            let range = start..start + span.text.len();
            start = range.end;
            if span.bold {
                builder.push(StyleProperty::FontWeight(FontWeight::BOLD), range.clone());
            }
            if span.italic {
                builder.push(StyleProperty::FontStyle(FontStyle::Italic), range.clone());
            }
            if let Some(link) = span.link {
                let ink = Ink {
                    rgb: style.link_rgb,
                    link: Some(link as u32),
                };
                builder.push(StyleProperty::Brush(ink), range.clone());
                if style.underline_links {
                    builder.push(StyleProperty::Underline(true), range.clone());
                } else {
                    builder.push(StyleProperty::FontWeight(FontWeight::BOLD), range.clone());
                }
            }
        }
        let layout = builder.build(&text);
        (Arc::from(text), layout)
    }

    /// `layout`'s lines for krilla.
    fn broken(&self, layout: &parley::Layout<Ink>, text: &Arc<str>) -> Lines {
        let mut lines = Vec::with_capacity(layout.len());
        for line in layout.lines() {
            let metrics = line.metrics();
            let mut runs = Vec::new();
            // Each shaped run's clusters, in the order its glyphs come:
            // a run split by style into several glyph runs goes on where
            // the last one stopped.
            let mut sources = Vec::new();
            for item in line.items() {
                let PositionedLayoutItem::GlyphRun(glyph_run) = item else {
                    continue;
                };
                let run = glyph_run.run();
                let size = run.font_size();
                let font = self.by_blob[&run.font().data.id()].clone();
                let at = match sources.iter().position(|(index, _)| *index == run.index()) {
                    Some(at) => at,
                    None => {
                        sources.push((run.index(), run.visual_clusters().peekable()));
                        sources.len() - 1
                    }
                };
                let glyphs = krilla_glyphs(&glyph_run, &mut sources[at].1, size);
                let style = glyph_run.style();
                let underline = style.underline.as_ref().map(|u| {
                    let m = run.font_metrics();
                    (
                        -u.offset.unwrap_or(m.underline_offset),
                        u.size.unwrap_or(m.underline_size),
                    )
                });
                runs.push(Run {
                    x: glyph_run.offset(),
                    width: glyph_run.advance(),
                    font,
                    size,
                    ink: style.brush,
                    glyphs,
                    underline,
                });
            }
            // The last run's advance includes a trailing space; keep it out
            // of underlines, link areas and measured widths.
            let end =
                runs.iter().map(|r| r.x + r.width).fold(0.0, f32::max) - metrics.hanging_advance;
            for run in &mut runs {
                run.width = run.width.min((end - run.x).max(0.0));
            }
            lines.push(Line {
                height: metrics.line_height,
                baseline: metrics.baseline - metrics.block_min_coord,
                width: end.max(0.0),
                runs,
                text: text.clone(),
            });
        }
        Lines {
            lines,
            text: text.clone(),
        }
    }
}

/// The glyphs of `glyph_run` for krilla, each with the text range of
/// its cluster, so that krilla can map glyphs back to text and
/// `pdftotext` extracts it. `clusters` are its run's clusters in visual
/// order, from the first of this glyph run's: a glyph run is whole
/// clusters, and a ligature's glyphs take in the text of the clusters it
/// joined (which have no glyphs of their own).
fn krilla_glyphs<'a>(
    glyph_run: &parley::GlyphRun<'a, Ink>,
    clusters: &mut std::iter::Peekable<impl Iterator<Item = parley::Cluster<'a, Ink>>>,
    size: f32,
) -> Arc<[KrillaGlyph]> {
    let mut glyphs: Vec<KrillaGlyph> = Vec::new();
    // The cluster whose glyphs come next: its range, where its glyphs
    // start, and how many are still to come.
    let (mut range, mut atom_start, mut left) = (0..0, 0, 0);
    for g in glyph_run.glyphs() {
        while left == 0 {
            let Some(cluster) = clusters.next() else {
                debug_assert!(false, "a glyph run has more glyphs than its clusters");
                break;
            };
            if cluster.is_ligature_continuation() {
                widen(&mut glyphs[atom_start..], cluster.text_range());
                continue;
            }
            (range, atom_start, left) =
                (cluster.text_range(), glyphs.len(), cluster.glyphs().count());
        }
        // krilla takes em-relative values, and its y offset points up.
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(g.id),
            g.advance / size,
            g.x / size,
            -g.y / size,
            0.0,
            range.clone(),
            None,
        ));
        left = left.saturating_sub(1);
        if left == 0 {
            while let Some(joined) = clusters.next_if(|c| c.is_ligature_continuation()) {
                widen(&mut glyphs[atom_start..], joined.text_range());
            }
        }
    }
    glyphs.into()
}

fn widen(glyphs: &mut [KrillaGlyph], range: Range<usize>) {
    for glyph in glyphs {
        glyph.text_range.start = glyph.text_range.start.min(range.start);
        glyph.text_range.end = glyph.text_range.end.max(range.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str) -> Span {
        Span::plain(text)
    }

    const STYLE: TextStyle = TextStyle {
        size: 10.0,
        bold: false,
        rgb: [0; 3],
        link_rgb: [0; 3],
        leading: 1.3,
        underline_links: true,
    };

    #[test]
    fn the_compiled_in_font_hash_is_the_fonts_hash() {
        assert_eq!(fonts_fingerprint(), crate::utils::hash(FACES));
    }

    #[test]
    fn breaks_lines_within_width_and_keeps_every_glyph() {
        let text =
            "Prices £3.50 or €4.20 — Welsh ŵ ŷ Ŵ Ŷ, Zoë Núñez Łukasz, ‘quoted’ “twice”. ".repeat(6);
        let lines = with_context(|c| c.lines(&[span(&text)], &STYLE, Some(200.0)));
        assert!(lines.lines.len() > 3);
        for line in &lines.lines {
            assert!(line.width <= 200.5, "{}", line.width);
            for run in &line.runs {
                assert!(
                    run.glyphs.iter().all(|g| g.glyph_id.to_u32() != 0),
                    "a character has no glyph"
                );
            }
        }
    }

    #[test]
    fn unconstrained_layout_measures_natural_width() {
        let short = with_context(|c| c.lines(&[span("Date")], &STYLE, None)).width();
        let long =
            with_context(|c| c.lines(&[span("Date and time of the post")], &STYLE, None)).width();
        assert!(short > 10.0 && long > 4.0 * short, "{short} {long}");
    }
}
