//! Building practices: load, render every requested document and format in
//! memory, then write them all. A practice that fails writes nothing and
//! never stops the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use base64::Engine as _;

use crate::cli::Format;
use crate::config::Practice;
use crate::content::{self, DocKind, Templates};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub out: PathBuf,
    pub docs: Vec<DocKind>,
    pub formats: Vec<Format>,
    /// `--templates`: wins over a config's own `templates`.
    pub templates: Option<PathBuf>,
}

/// One output file, rendered and ready to write.
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Templates by override folder, loaded once per run.
#[derive(Default)]
pub struct TemplateCache {
    loaded: HashMap<Option<PathBuf>, Templates>,
}

impl TemplateCache {
    pub fn get(&mut self, dir: Option<&Path>) -> anyhow::Result<&Templates> {
        let key = dir.map(Path::to_path_buf);
        if !self.loaded.contains_key(&key) {
            let templates = Templates::load(dir)?;
            self.loaded.insert(key.clone(), templates);
        }
        Ok(&self.loaded[&key])
    }
}

/// Renders every requested output of one practice, in memory.
pub fn render_practice(
    practice: &Practice,
    templates: &Templates,
    options: &BuildOptions,
) -> anyhow::Result<Vec<Output>> {
    let folder = options.out.join(&practice.slug);
    let logo = practice.logo.as_deref().map(Logo::read).transpose()?;
    let mut outputs = Vec::new();
    for &kind in &options.docs {
        let doc = content::render(practice, kind, templates)?;
        for &format in &options.formats {
            let bytes = match format {
                Format::Md => doc.markdown.clone().into_bytes(),
                Format::Html => crate::html::render(
                    &doc,
                    practice,
                    templates,
                    logo.as_ref().map(|l| l.data_uri.as_str()),
                )
                .with_context(|| format!("{kind}: cannot make the HTML"))?
                .into_bytes(),
                Format::Pdf => crate::pdf::render(&doc, practice, logo.as_ref().map(|l| &l.image))
                    .with_context(|| format!("{kind}: cannot make the PDF"))?,
            };
            outputs.push(Output {
                path: folder.join(format!("{}.{}", kind.stem(), format.extension())),
                bytes,
            });
        }
    }
    Ok(outputs)
}

/// Renders and writes one practice; nothing is written if any output fails to render.
pub fn build_practice(
    practice: &Practice,
    cache: &mut TemplateCache,
    options: &BuildOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let dir = options
        .templates
        .as_deref()
        .or(practice.templates.as_deref());
    let templates = cache.get(dir)?;
    let outputs = render_practice(practice, templates, options)?;
    let mut written = Vec::with_capacity(outputs.len());
    for output in outputs {
        super::write::atomic(&output.path, &output.bytes)?;
        written.push(output.path);
    }
    Ok(written)
}

/// A practice's logo, read once and prepared for every format.
struct Logo {
    data_uri: String,
    image: krilla::image::Image,
}

impl Logo {
    fn read(path: &Path) -> anyhow::Result<Logo> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the logo {}", path.display()))?;
        let png = bytes.starts_with(b"\x89PNG");
        let mime = if png { "image/png" } else { "image/jpeg" };
        let data_uri = format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        );
        let image = if png {
            krilla::image::Image::from_png(bytes.into(), true)
        } else {
            krilla::image::Image::from_jpeg(bytes.into(), true)
        }
        .map_err(|e| {
            anyhow::anyhow!(
                "the logo {} cannot be read as an image: {e}",
                path.display()
            )
        })?;
        Ok(Logo { data_uri, image })
    }
}
