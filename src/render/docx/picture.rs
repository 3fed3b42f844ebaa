//! Pictures: an inline DrawingML picture with its description (the logo
//! and the QR code), and the QR code itself as a PNG.

use docx_rust::document::{
    AvList, Blip, BlipFill, CNvPicPr, CNvPr, DocPr, Drawing, Ext, Extent, FillRect, Graphic,
    GraphicData, Inline, NvPicPr, Offset, Picture, PrstGeom, SpPr, Stretch, Xfrm,
};
use qrcode::Color;

const DRAWINGML: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const PICTURE: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";

/// Modules of white around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;
/// Pixels per module: sharp when printed at 30 mm.
const PIXELS_PER_MODULE: usize = 8;

/// A picture in the line of text: `relation` is the image part's
/// relationship, `number` the picture's identifier in the document, `alt`
/// what a screen reader says, and the size is in EMUs.
pub fn inline(relation: &str, number: usize, alt: &str, (cx, cy): (u64, u64)) -> Drawing<'static> {
    let id = number as isize;
    let name = format!("Picture {number}");
    let picture = Picture {
        a: PICTURE.into(),
        nv_pic_pr: NvPicPr {
            c_nv_pr: Some(CNvPr {
                id: Some(id),
                name: Some(name.clone().into()),
                descr: Some(alt.to_string().into()),
            }),
            c_nv_pic_pr: Some(CNvPicPr {}),
        },
        fill: BlipFill {
            blip: Blip {
                embed: relation.to_string().into(),
                cstate: None,
            },
            stretch: Some(Stretch {
                fill_rect: Some(FillRect {}),
            }),
        },
        sp_pr: SpPr {
            xfrm: Some(Xfrm {
                offset: Some(Offset {
                    x: Some(0),
                    y: Some(0),
                }),
                ext: Some(Ext {
                    cx: Some(cx as isize),
                    cy: Some(cy as isize),
                }),
            }),
            prst_geom: Some(PrstGeom {
                prst: Some("rect".into()),
                av_lst: Some(AvList {}),
            }),
        },
    };
    Drawing {
        anchor: None,
        inline: Some(Inline {
            dist_t: Some(0),
            dist_b: Some(0),
            dist_l: Some(0),
            dist_r: Some(0),
            extent: Some(Extent { cx, cy }),
            doc_property: DocPr {
                id: Some(id),
                name: Some(name.into()),
                descr: Some(alt.to_string().into()),
            },
            graphic: Some(Graphic {
                a: DRAWINGML.into(),
                data: GraphicData {
                    uri: PICTURE.into(),
                    children: vec![picture],
                },
            }),
            ..Inline::default()
        }),
    }
}

/// The QR code to `url` as a greyscale PNG: black modules on white with a
/// quiet zone. `None` when the address is too long to encode.
pub fn qr_png(url: &str) -> Option<Vec<u8>> {
    let (modules, colors) = crate::render::pdf::figure::qr_modules(url)?;
    let side = (modules + 2 * QUIET_ZONE) * PIXELS_PER_MODULE;
    let mut pixels = vec![255u8; side * side];
    for (i, _) in colors
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == Color::Dark)
    {
        let (row, col) = (i / modules + QUIET_ZONE, i % modules + QUIET_ZONE);
        for y in row * PIXELS_PER_MODULE..(row + 1) * PIXELS_PER_MODULE {
            let start = y * side + col * PIXELS_PER_MODULE;
            pixels[start..start + PIXELS_PER_MODULE].fill(0);
        }
    }
    Some(encode_png(&pixels, side as u32))
}

/// Encodes square greyscale pixels. Writing a whole image of the size
/// given, into memory, cannot fail.
fn encode_png(pixels: &[u8], side: u32) -> Vec<u8> {
    const SOUND: &str = "a greyscale image of the size given encodes into memory";
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect(SOUND);
    writer.write_image_data(pixels).expect(SOUND);
    writer.finish().expect(SOUND);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_png_has_a_white_quiet_zone_and_black_modules() {
        let png = qr_png("https://example.org/complaints").unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        let side = info.width as usize;
        let quiet = QUIET_ZONE * PIXELS_PER_MODULE;
        assert!(pixels[..quiet * side].iter().all(|&p| p == 255));
        // The finder pattern's corner is the first module inside the zone.
        assert_eq!(pixels[quiet * side + quiet], 0);
    }
}
