//! The real app on a platform of its own: no window system, no winit, no
//! GPU. A custom `slint::platform::Platform` hands Slint one
//! `MinimalSoftwareWindow`; the loop below does what a device's main loop
//! does: advance time, feed touch and key events, and let the software
//! renderer draw into a plain pixel buffer (the "framebuffer"). The data
//! lives in an in-memory file system (`MemFs`, the store's `Vfs`), standing
//! in for a device's flash.
//!
//!     cargo run --example framebuffer -- [--out DIR]
//!
//! Builds without winit too:
//! `cargo run --no-default-features --features ui --example framebuffer`.
//!
//! Taps the Learn tab, then opens "Need help now?" from the keyboard (Tab,
//! Enter) and closes it (Escape), printing one line per step and writing
//! each frame to `DIR/frame-N-<what>.png` (default: no files).
//! `tests/framebuffer.rs` runs it headless.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use common_ground::bridge::App;
use common_ground::core::store::{vfs::MemFs, Store};
use common_ground::ui::{Nav, Page};
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType, Rgb565Pixel};
use slint::platform::{Key, Platform, PointerEventButton, WindowAdapter, WindowEvent};
use slint::{ComponentHandle, LogicalPosition, PhysicalSize};

/// A phone-sized panel.
pub const WIDTH: u32 = 390;
pub const HEIGHT: u32 = 844;
/// The bottom bar's height and side padding, from `ui/theme.slint`
/// (`bottom-bar-height`, `space-xs`), and its six destinations in order.
const BOTTOM_BAR: f32 = 68.0;
const BAR_PADDING: f32 = 4.0;
const TABS: usize = 6;

/// The platform: one window, and a clock the loop advances (a device would
/// read a hardware timer here).
struct DevicePlatform {
    window: Rc<MinimalSoftwareWindow>,
    now: Rc<Cell<Duration>>,
}

impl Platform for DevicePlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.window.clone())
    }

    fn duration_since_start(&self) -> Duration {
        self.now.get()
    }
}

/// The device: its window, clock and framebuffer.
pub struct Device {
    window: Rc<MinimalSoftwareWindow>,
    now: Rc<Cell<Duration>>,
    /// What the display shows, one 16-bit pixel per dot, as many small
    /// panels take it.
    pub framebuffer: Vec<Rgb565Pixel>,
    pub frames: usize,
}

impl Device {
    /// Installs the platform for this thread. Call once, before the app.
    pub fn install() -> Device {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::ReusedBuffer);
        window.set_size(PhysicalSize::new(WIDTH, HEIGHT));
        let now = Rc::new(Cell::new(Duration::ZERO));
        slint::platform::set_platform(Box::new(DevicePlatform {
            window: window.clone(),
            now: now.clone(),
        }))
        .expect("the platform is installed once");
        Device {
            window,
            now,
            framebuffer: vec![Rgb565Pixel::default(); (WIDTH * HEIGHT) as usize],
            frames: 0,
        }
    }

    /// One turn of the main loop: time passes, timers and animations run,
    /// and the window is drawn if anything changed. Returns whether a
    /// frame was drawn.
    pub fn tick(&mut self, elapsed: Duration) -> bool {
        self.now.set(self.now.get() + elapsed);
        slint::platform::update_timers_and_animations();
        let fb = &mut self.framebuffer;
        let drawn = self.window.draw_if_needed(|renderer| {
            renderer.render(fb, WIDTH as usize);
        });
        if drawn {
            self.frames += 1;
        }
        drawn
    }

    /// Runs the loop until animations have finished (half a second).
    pub fn settle(&mut self) {
        for _ in 0..10 {
            self.tick(Duration::from_millis(50));
        }
    }

    /// A finger down and up at `(x, y)` (logical pixels).
    pub fn tap(&mut self, x: f32, y: f32) {
        let position = LogicalPosition::new(x, y);
        let button = PointerEventButton::Left;
        self.window
            .dispatch_event(WindowEvent::PointerMoved { position });
        self.window
            .dispatch_event(WindowEvent::PointerPressed { position, button });
        self.tick(Duration::from_millis(80));
        self.window
            .dispatch_event(WindowEvent::PointerReleased { position, button });
        self.window.dispatch_event(WindowEvent::PointerExited);
        self.settle();
    }

    /// A key pressed and released.
    pub fn key(&mut self, key: Key) {
        self.window
            .dispatch_event(WindowEvent::KeyPressed { text: key.into() });
        self.window
            .dispatch_event(WindowEvent::KeyReleased { text: key.into() });
        self.settle();
    }

    /// Where the bottom bar's tab number `index` (from 0) is.
    pub fn tab_position(index: usize) -> (f32, f32) {
        let slot = (WIDTH as f32 - 2.0 * BAR_PADDING) / TABS as f32;
        (
            BAR_PADDING + slot * (index as f32 + 0.5),
            HEIGHT as f32 - BOTTOM_BAR / 2.0,
        )
    }

    /// The framebuffer as 8-bit RGB (each 5- or 6-bit channel widened by
    /// repeating its top bits, as displays do).
    pub fn rgb(&self) -> Vec<u8> {
        self.framebuffer
            .iter()
            .flat_map(|p| {
                let v = p.0;
                let (r, g, b) = ((v >> 11) & 0x1f, (v >> 5) & 0x3f, v & 0x1f);
                [
                    ((r << 3) | (r >> 2)) as u8,
                    ((g << 2) | (g >> 4)) as u8,
                    ((b << 3) | (b >> 2)) as u8,
                ]
            })
            .collect()
    }

    /// Writes the framebuffer to a PNG file.
    pub fn write_png(&self, path: &Path) {
        let file = std::fs::File::create(path).expect("create png");
        let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("png header");
        writer.write_image_data(&self.rgb()).expect("png data");
    }
}

/// What one step did, for the caller (and the test) to check.
#[derive(Debug)]
pub struct Step {
    pub what: &'static str,
    pub page: Page,
    pub help_open: bool,
    /// Pixels that differ from the frame before.
    pub changed: usize,
}

/// Drives the app through a few steps; writes a PNG per step into `out`.
pub fn run(out: Option<&Path>) -> Vec<Step> {
    let mut device = Device::install();
    let store = Store::open_with(Path::new("/flash/common-ground"), Arc::new(MemFs::new()))
        .expect("store on the in-memory file system");
    let app = App::with_store(store).expect("app starts");
    app.window.show().expect("window shows");
    device.settle();

    let mut steps = Vec::new();
    // The panel starts black.
    let mut before = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    let mut record = |device: &Device, what: &'static str| {
        let now = device.rgb();
        let changed = now
            .chunks(3)
            .zip(before.chunks(3))
            .filter(|(a, b)| a != b)
            .count();
        before = now;
        let nav = app.window.global::<Nav>();
        let step = Step {
            what,
            page: nav.get_current(),
            help_open: nav.get_help_open(),
            changed,
        };
        println!(
            "frame {:>2}: {:<18} page {:?}, help {}, {} pixels changed",
            steps.len() + 1,
            step.what,
            step.page,
            if step.help_open { "open" } else { "closed" },
            step.changed
        );
        if let Some(dir) = out {
            device.write_png(&dir.join(format!("frame-{}-{what}.png", steps.len() + 1)));
        }
        steps.push(step);
    };

    record(&device, "start");
    let (x, y) = Device::tab_position(1);
    device.tap(x, y);
    record(&device, "tap-learn");
    // The first Tab reaches "Need help now?"; Enter opens it.
    device.key(Key::Tab);
    device.key(Key::Return);
    record(&device, "keys-open-help");
    device.key(Key::Escape);
    record(&device, "escape");
    app.pick_up_finished_work();
    steps
}

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => {
                out = Some(
                    args.next()
                        .map(PathBuf::from)
                        .expect("--out needs a folder"),
                )
            }
            "-h" | "--help" => {
                println!("usage: framebuffer [--out DIR]");
                return;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    if let Some(dir) = &out {
        std::fs::create_dir_all(dir).expect("create output folder");
    }
    let steps = run(out.as_deref());
    let tapped = steps.iter().any(|s| s.page == Page::Learn);
    println!(
        "{} steps; the tap on Learn {}",
        steps.len(),
        if tapped {
            "changed the page"
        } else {
            "did nothing"
        }
    );
    if !tapped {
        std::process::exit(1);
    }
}
