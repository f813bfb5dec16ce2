//! The therapist summary as a one-page PDF, drawn from the same blocks as
//! the Markdown file ([`export::summary_blocks`]), with `krilla`.
//!
//! * Real text: the Inter font (shipped in `assets/fonts`) is embedded and
//!   subset, so the words can be searched, copied and read aloud.
//! * One page that prints on A4 and on US Letter alike: everything is laid
//!   out inside the area the two papers share (595 x 792 pt, less the
//!   margins), whichever of the two the page is.
//! * The four agreement items over the period as a small line chart, the
//!   check-ins' numbers as a table under it.
//! * It fits: the layout is tried at smaller type (down to 7.2 pt body
//!   text); what still does not fit is left off at a block boundary and a
//!   last line says how much, and that the Markdown file holds all of it.
//!
//! Text is shaped one line at a time with `rustybuzz` (what krilla itself
//! uses), so the measured widths are the drawn ones.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, LineJoin, Stroke, StrokeDash};
use krilla::text::{Font, TextDirection};
use krilla::Document;

use crate::core::export::{score_text, Block, ExportError, ExportText, ScoreRow};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/Inter-SemiBold.otf");

/// A4 is 595 x 842 pt, Letter 612 x 792 pt: the layout stays inside what
/// both hold.
const SHARED_WIDTH: f32 = 595.0;
const SHARED_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 42.0;
/// The type sizes tried, largest first (a scale on 10 pt body text).
const SCALES: [f32; 5] = [1.0, 0.92, 0.85, 0.78, 0.72];
/// Rows of the numbers table at most; the chart shows every check-in.
const MAX_TABLE_ROWS: usize = 12;
/// Points per line in the chart at most; more are averaged in runs.
const CHART_POINTS: usize = 60;
/// Up to this many sessions, each point is marked too.
const MARKED_POINTS: usize = 24;

/// The paper the page is cut for. The content fits on either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    /// Letter where it is the usual paper (the United States, Canada,
    /// Mexico and a few more), A4 everywhere else.
    pub fn for_country(country: Option<&str>) -> Paper {
        match country {
            Some("US" | "CA" | "MX" | "PH" | "CL" | "CO" | "VE" | "GT" | "PR") => Paper::Letter,
            _ => Paper::A4,
        }
    }

    /// The paper of the system locale's country.
    pub fn from_system() -> Paper {
        use crate::core::locale::{first_country, system_locales};
        Paper::for_country(first_country(&system_locales()).as_deref())
    }

    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Clone, Copy)]
struct Colour(u8, u8, u8);

const INK: Colour = Colour(0x26, 0x2b, 0x2e);
const MUTED: Colour = Colour(0x5c, 0x63, 0x66);
const RULE: Colour = Colour(0xc9, 0xcf, 0xcc);
/// The four items' lines: distinct in hue and in dash, so they read in
/// grey print too.
const SERIES: [(Colour, &[f32]); 4] = [
    (Colour(0x2f, 0x6f, 0x6a), &[]),
    (Colour(0x9a, 0x5b, 0x2a), &[4.0, 2.0]),
    (Colour(0x4a, 0x5a, 0x9a), &[1.2, 1.8]),
    (Colour(0x6b, 0x6b, 0x6b), &[6.0, 2.0, 1.2, 2.0]),
];

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        colour: Colour,
        text: String,
    },
    Line {
        points: Vec<(f32, f32)>,
        colour: Colour,
        width: f32,
        dash: &'static [f32],
    },
    Dot {
        x: f32,
        y: f32,
        r: f32,
        colour: Colour,
    },
}

struct Fonts {
    regular: rustybuzz::Face<'static>,
    bold: rustybuzz::Face<'static>,
    /// Each word's width at 1 pt, shaped once.
    widths: std::cell::RefCell<std::collections::HashMap<(bool, String), f32>>,
}

impl Fonts {
    fn load() -> Result<Fonts, ExportError> {
        let face = |b: &'static [u8]| {
            rustybuzz::Face::from_slice(b, 0)
                .ok_or_else(|| ExportError::Encode("the PDF font could not be read".into()))
        };
        Ok(Fonts {
            regular: face(REGULAR)?,
            bold: face(BOLD)?,
            widths: Default::default(),
        })
    }

    /// The width of `text` on one line, in points: its words' widths
    /// (each shaped once) and the spaces between them.
    fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let bold = weight == Weight::Bold;
        let mut total = 0.0;
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                total += self.word_width(" ", bold);
            }
            total += self.word_width(word, bold);
        }
        total * size
    }

    fn word_width(&self, word: &str, bold: bool) -> f32 {
        if word.is_empty() {
            return 0.0;
        }
        let key = (bold, word.to_owned());
        if let Some(w) = self.widths.borrow().get(&key) {
            return *w;
        }
        let w = self.shaped_width(word, if bold { Weight::Bold } else { Weight::Regular });
        self.widths.borrow_mut().insert(key, w);
        w
    }

    /// The width of `text` at 1 pt, shaped.
    fn shaped_width(&self, text: &str, weight: Weight) -> f32 {
        let size = 1.0;
        let face = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / face.units_per_em() as f32
    }

    /// `text` broken into lines no wider than `width` (at spaces; a word
    /// longer than the line is broken inside). Line breaks are kept.
    fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size, weight) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line: break it by characters.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, weight) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }
}

/// Lays the blocks out from the top of the content box.
struct Layout<'a> {
    fonts: &'a Fonts,
    text: &'a ExportText,
    scale: f32,
    x: f32,
    width: f32,
    y: f32,
    ops: Vec<Op>,
}

impl Layout<'_> {
    fn body(&self) -> f32 {
        10.0 * self.scale
    }

    fn paragraph(&mut self, text: &str, size: f32, weight: Weight, colour: Colour, indent: f32) {
        let leading = size * 1.32;
        for line in self.fonts.wrap(text, size, weight, self.width - indent) {
            self.y += leading;
            self.ops.push(Op::Text {
                x: self.x + indent,
                y: self.y - leading * 0.26,
                size,
                weight,
                colour,
                text: line,
            });
        }
    }

    fn gap(&mut self, points: f32) {
        self.y += points * self.scale;
    }

    fn block(&mut self, block: &Block) {
        let body = self.body();
        match block {
            Block::Title(t) => {
                self.paragraph(t, body * 1.8, Weight::Bold, INK, 0.0);
                self.gap(4.0);
            }
            Block::Paragraph(p) => {
                self.paragraph(p, body, Weight::Regular, MUTED, 0.0);
                self.gap(3.0);
            }
            Block::Meta { label, value } => {
                self.paragraph(&format!("{label}: {value}"), body, Weight::Bold, INK, 0.0);
                self.gap(2.0);
            }
            Block::Section(s) => {
                self.gap(8.0);
                self.paragraph(s, body * 1.3, Weight::Bold, INK, 0.0);
                self.gap(2.0);
            }
            Block::Heading(h) => {
                self.gap(5.0);
                self.paragraph(h, body * 1.1, Weight::Bold, INK, 0.0);
            }
            Block::Field { label, value, .. } => {
                self.gap(2.5);
                self.paragraph(label, body * 0.85, Weight::Bold, MUTED, 0.0);
                self.paragraph(value, body, Weight::Regular, INK, 0.0);
            }
            Block::Scores(rows) => {
                self.chart(rows);
                self.table(rows);
            }
        }
    }

    /// The four agreement items over the period: one line each (0 to 10),
    /// a legend, and the first and last day.
    fn chart(&mut self, rows: &[ScoreRow]) {
        let small = self.body() * 0.8;
        self.gap(4.0);
        self.paragraph(
            &self.text.chart_title.clone(),
            small,
            Weight::Bold,
            MUTED,
            0.0,
        );
        self.gap(3.0);
        let axis = self.fonts.width("10", small, Weight::Regular) + 4.0;
        let (left, right) = (self.x + axis, self.x + self.width);
        let (top, height) = (self.y, 96.0 * self.scale);
        let bottom = top + height;
        for v in [0.0f32, 5.0, 10.0] {
            let y = bottom - height * v / 10.0;
            self.ops.push(Op::Line {
                points: vec![(left, y), (right, y)],
                colour: RULE,
                width: 0.5,
                dash: &[],
            });
            self.ops.push(Op::Text {
                x: self.x,
                y: y + small * 0.35,
                size: small,
                weight: Weight::Regular,
                colour: MUTED,
                text: format!("{}", v as u8),
            });
        }
        let first = rows.first().map(|r| r.when);
        let last = rows.last().map(|r| r.when);
        let span = match (first, last) {
            (Some(a), Some(b)) => (b - a).num_minutes().max(1) as f32,
            _ => 1.0,
        };
        let x_of = |r: &ScoreRow| match first {
            Some(a) if rows.len() > 1 => {
                left + (right - left) * (r.when - a).num_minutes() as f32 / span
            }
            _ => (left + right) / 2.0,
        };
        for (i, (colour, dash)) in SERIES.iter().enumerate() {
            let given: Vec<(f32, f32)> = rows
                .iter()
                .filter_map(|r| {
                    r.items[i].map(|v| (x_of(r), bottom - height * f32::from(v.min(10)) / 10.0))
                })
                .collect();
            // Many sessions: averaged in runs, so the line stays readable
            // (the table and the Markdown file keep every number).
            let run = given.len().div_ceil(CHART_POINTS).max(1);
            let points: Vec<(f32, f32)> = given
                .chunks(run)
                .map(|c| {
                    let n = c.len() as f32;
                    (
                        c.iter().map(|p| p.0).sum::<f32>() / n,
                        c.iter().map(|p| p.1).sum::<f32>() / n,
                    )
                })
                .collect();
            // A mark on each session while there are few (not averaged),
            // so the reader sees where the sessions were.
            if run == 1 && points.len() <= MARKED_POINTS {
                for &(x, y) in &points {
                    self.ops.push(Op::Dot {
                        x,
                        y,
                        r: 1.6,
                        colour: *colour,
                    });
                }
            }
            if points.len() > 1 {
                self.ops.push(Op::Line {
                    points,
                    colour: *colour,
                    width: 1.4,
                    dash,
                });
            }
        }
        self.y = bottom + small * 1.3;
        if let (Some(a), Some(b)) = (first, last) {
            let (a, b) = (
                a.format("%Y-%m-%d").to_string(),
                b.format("%Y-%m-%d").to_string(),
            );
            self.ops.push(Op::Text {
                x: left,
                y: self.y,
                size: small,
                weight: Weight::Regular,
                colour: MUTED,
                text: a,
            });
            let w = self.fonts.width(&b, small, Weight::Regular);
            self.ops.push(Op::Text {
                x: right - w,
                y: self.y,
                size: small,
                weight: Weight::Regular,
                colour: MUTED,
                text: b,
            });
        }
        // The legend, two by two.
        self.gap(4.0);
        let labels = [
            &self.text.heard,
            &self.text.goals,
            &self.text.approach,
            &self.text.overall,
        ];
        let column = self.width / 2.0;
        let sample = 18.0;
        for pair in [[0usize, 1], [2, 3]] {
            let start = self.y;
            let mut end = start;
            for (c, &i) in pair.iter().enumerate() {
                let x = self.x + column * c as f32;
                let lines =
                    self.fonts
                        .wrap(labels[i], small, Weight::Regular, column - sample - 10.0);
                let mut y = start;
                for (n, line) in lines.into_iter().enumerate() {
                    y += small * 1.3;
                    if n == 0 {
                        let (colour, dash) = SERIES[i];
                        self.ops.push(Op::Line {
                            points: vec![(x, y - small * 0.35), (x + sample, y - small * 0.35)],
                            colour,
                            width: 1.4,
                            dash,
                        });
                    }
                    self.ops.push(Op::Text {
                        x: x + sample + 5.0,
                        y,
                        size: small,
                        weight: Weight::Regular,
                        colour: INK,
                        text: line,
                    });
                }
                end = end.max(y);
            }
            self.y = end + small * 0.3;
        }
        self.gap(4.0);
    }

    /// The numbers, one row a session (the last ones, when there are many).
    fn table(&mut self, rows: &[ScoreRow]) {
        let small = self.body() * 0.8;
        let t = self.text;
        let headers = [
            &t.session,
            &t.mood,
            &t.heard,
            &t.goals,
            &t.approach,
            &t.overall,
        ];
        let shown = &rows[rows.len().saturating_sub(MAX_TABLE_ROWS)..];
        let day = |r: &ScoreRow| r.when.format("%Y-%m-%d %H:%M").to_string();
        // As wide as the widest day shown, so that none wraps.
        let first = shown
            .iter()
            .map(|r| self.fonts.width(&day(r), small, Weight::Regular))
            .fold(self.fonts.width(&t.session, small, Weight::Bold), f32::max)
            + 10.0;
        let rest = (self.width - first) / 5.0;
        let col_x = |i: usize| {
            if i == 0 {
                0.0
            } else {
                first + rest * (i - 1) as f32
            }
        };
        let col_w = |i: usize| if i == 0 { first - 6.0 } else { rest - 6.0 };
        if shown.len() < rows.len() {
            self.paragraph(
                &t.pdf_last_rows
                    .replace("{0}", &shown.len().to_string())
                    .replace("{1}", &rows.len().to_string()),
                small,
                Weight::Regular,
                MUTED,
                0.0,
            );
            self.gap(2.0);
        }
        let row = |layout: &mut Layout, cells: [String; 6], weight: Weight, colour: Colour| {
            let start = layout.y;
            let mut end = start;
            for (i, cell) in cells.iter().enumerate() {
                let mut y = start;
                for line in layout.fonts.wrap(cell, small, weight, col_w(i)) {
                    y += small * 1.3;
                    layout.ops.push(Op::Text {
                        x: layout.x + col_x(i),
                        y,
                        size: small,
                        weight,
                        colour,
                        text: line,
                    });
                }
                end = end.max(y);
            }
            layout.y = end + small * 0.35;
            layout.ops.push(Op::Line {
                points: vec![(layout.x, layout.y), (layout.x + layout.width, layout.y)],
                colour: RULE,
                width: 0.4,
                dash: &[],
            });
        };
        row(self, headers.map(|h| h.to_string()), Weight::Bold, MUTED);
        for r in shown {
            let cells = [
                day(r),
                score_text(Some(r.mood), t),
                score_text(r.items[0], t),
                score_text(r.items[1], t),
                score_text(r.items[2], t),
                score_text(r.items[3], t),
            ];
            row(self, cells, Weight::Regular, INK);
        }
    }
}

/// Lays out the blocks at `scale` until one ends below `limit`; the ops
/// and, after each block laid out, how many ops there were and how far
/// down the page it ended.
fn lay_out(
    fonts: &Fonts,
    blocks: &[&Block],
    text: &ExportText,
    scale: f32,
    limit: f32,
) -> (Vec<Op>, Vec<(usize, f32)>) {
    let mut layout = Layout {
        fonts,
        text,
        scale,
        x: MARGIN,
        width: SHARED_WIDTH - 2.0 * MARGIN,
        y: MARGIN,
        ops: Vec::new(),
    };
    let mut ends = Vec::with_capacity(blocks.len());
    for b in blocks {
        layout.block(b);
        ends.push((layout.ops.len(), layout.y));
        if layout.y > limit {
            break;
        }
    }
    (layout.ops, ends)
}

/// The blocks in the page's order: the heading blocks, then the
/// check-ins' chart and table (the picture of the period, which must not
/// be the part left off), then the concerns (what the user means to
/// raise), then the check-ins' notes and tags. What does not fit is left
/// off from the end. The same blocks as the Markdown file, so the same
/// words.
fn page_order<'a>(blocks: &'a [Block], fields_heading: &'a Block) -> Vec<&'a Block> {
    let Some(scores) = blocks.iter().position(|b| matches!(b, Block::Scores(_))) else {
        return blocks.iter().collect();
    };
    let first_section = blocks
        .iter()
        .position(|b| matches!(b, Block::Section(_)))
        .unwrap_or(scores);
    // The check-ins' own heading is the section just before the table.
    let own = if scores > 0 && matches!(blocks[scores - 1], Block::Section(_)) {
        scores - 1
    } else {
        scores
    };
    let fields = &blocks[scores + 1..];
    // Under the concerns, the sessions' notes and tags get a heading of
    // their own.
    let heading = (first_section < own && !fields.is_empty()).then_some(fields_heading);
    blocks[..first_section]
        .iter()
        .chain(&blocks[own..=scores])
        .chain(&blocks[first_section..own])
        .chain(heading)
        .chain(fields)
        .collect()
}

/// The summary's blocks as a one-page PDF on `paper`.
pub fn summary_pdf(
    blocks: &[Block],
    text: &ExportText,
    paper: Paper,
) -> Result<Vec<u8>, ExportError> {
    let fonts = Fonts::load()?;
    let bottom = SHARED_HEIGHT - MARGIN;
    let all = blocks;
    let fields_heading = Block::Section(text.pdf_session_details.clone());
    let blocks = page_order(all, &fields_heading);
    let mut chosen = None;
    for scale in SCALES {
        let (ops, ends) = lay_out(&fonts, &blocks, text, scale, bottom);
        if ends.len() == blocks.len() && ends.last().is_none_or(|&(_, y)| y <= bottom) {
            chosen = Some(ops);
            break;
        }
    }
    let ops = match chosen {
        Some(ops) => ops,
        None => {
            // Still too long at the smallest type: keep whole blocks while
            // they fit with room for the closing line.
            let scale = SCALES[SCALES.len() - 1];
            let (mut ops, ends) = lay_out(&fonts, &blocks, text, scale, bottom);
            let room = bottom - 10.0 * scale * 3.0;
            let kept = ends.iter().take_while(|&&(_, y)| y <= room).count();
            let (cut, y) = if kept == 0 {
                (0, MARGIN)
            } else {
                ends[kept - 1]
            };
            ops.truncate(cut);
            let mut closing = Layout {
                fonts: &fonts,
                text,
                scale,
                x: MARGIN,
                width: SHARED_WIDTH - 2.0 * MARGIN,
                y: y + 6.0 * scale,
                ops,
            };
            closing.paragraph(
                &text
                    .pdf_more
                    .replace("{}", &(blocks.len() - kept).to_string()),
                10.0 * scale,
                Weight::Bold,
                MUTED,
                0.0,
            );
            closing.ops
        }
    };
    draw(&ops, all, paper)
}

fn draw(ops: &[Op], blocks: &[Block], paper: Paper) -> Result<Vec<u8>, ExportError> {
    let font = |b: &'static [u8]| {
        Font::new(b.into(), 0)
            .ok_or_else(|| ExportError::Encode("the PDF font could not be read".into()))
    };
    let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
    let (w, h) = paper.size();
    // Centred across the page's width; from the top, as both papers share
    // the top edge when printed.
    let dx = (w - SHARED_WIDTH) / 2.0;
    let mut document = Document::new();
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default();
    document.set_metadata(
        Metadata::new()
            .title(title)
            .language("en".into())
            .creator("Common Ground".into()),
    );
    let settings =
        PageSettings::from_wh(w, h).ok_or_else(|| ExportError::Encode("bad page size".into()))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let paint = |c: Colour| rgb::Color::new(c.0, c.1, c.2);
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                weight,
                colour,
                text,
            } => {
                if text.trim().is_empty() {
                    continue;
                }
                surface.set_fill(Some(Fill {
                    paint: paint(*colour).into(),
                    ..Default::default()
                }));
                surface.set_stroke(None);
                let font = if *weight == Weight::Bold {
                    bold.clone()
                } else {
                    regular.clone()
                };
                surface.draw_text(
                    Point::from_xy(x + dx, *y),
                    font,
                    *size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
            Op::Line {
                points,
                colour,
                width,
                dash,
            } => {
                let mut pb = PathBuilder::new();
                for (i, (x, y)) in points.iter().enumerate() {
                    if i == 0 {
                        pb.move_to(x + dx, *y);
                    } else {
                        pb.line_to(x + dx, *y);
                    }
                }
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: paint(*colour).into(),
                        width: *width,
                        line_cap: LineCap::Round,
                        line_join: LineJoin::Round,
                        dash: (!dash.is_empty()).then(|| StrokeDash {
                            array: dash.to_vec(),
                            offset: 0.0,
                        }),
                        ..Default::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Op::Dot { x, y, r, colour } => {
                let mut pb = PathBuilder::new();
                if let Some(rect) = Rect::from_xywh(x + dx - r, y - r, 2.0 * r, 2.0 * r) {
                    pb.push_rect(rect);
                }
                if let Some(path) = pb.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: paint(*colour).into(),
                        ..Default::default()
                    }));
                    surface.draw_path(&path);
                }
            }
        }
    }
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| ExportError::Encode(format!("the PDF could not be made: {e:?}")))
}
