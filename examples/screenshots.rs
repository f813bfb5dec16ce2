//! Renders every destination to PNG, headless, with the software renderer
//! and the bundled Inter font, so the images are the same on every machine.
//!
//!     cargo run --example screenshots -- --out DIR
//!
//! Writes `<size>-<theme>-<screen>.png` for phone (390x844) and desktop
//! (1280x800), light and dark, plus a store notice banner.

#[path = "../tests/ui/harness.rs"]
mod harness;

use std::path::PathBuf;

use common_ground::ui::{LearnAdapter, Nav, Page, SettingsAdapter, ThemeChoice};
use harness::{Harness, DESKTOP, PHONE};
use slint::ComponentHandle;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out = PathBuf::from("screenshots");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => {
                out = args
                    .next()
                    .map(PathBuf::from)
                    .expect("--out needs a folder")
            }
            "-h" | "--help" => {
                println!("usage: screenshots [--out DIR]");
                return;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    std::fs::create_dir_all(&out).expect("create output folder");

    let h = Harness::new();
    let ui = &h.app.window;
    let mut written = 0;
    for (size_name, size) in [("phone", PHONE), ("desktop", DESKTOP)] {
        h.resize(size);
        for (theme_name, choice) in [("light", ThemeChoice::Light), ("dark", ThemeChoice::Dark)] {
            ui.global::<SettingsAdapter>().invoke_set_theme(choice);
            let shots: [(&str, &dyn Fn()); 9] = [
                ("home", &|| ui.global::<Nav>().invoke_go(Page::Home)),
                ("learn", &|| {
                    ui.global::<Nav>().invoke_go(Page::Learn);
                    ui.global::<LearnAdapter>().invoke_show_decks();
                }),
                ("learn-card", &|| {
                    ui.global::<Nav>().invoke_go(Page::Learn);
                    ui.global::<LearnAdapter>()
                        .invoke_open_deck("ok-to-disagree".into());
                }),
                ("learn-saved", &|| {
                    ui.global::<Nav>().invoke_go(Page::Learn);
                    ui.global::<LearnAdapter>().invoke_show_saved();
                }),
                ("prepare", &|| ui.global::<Nav>().invoke_go(Page::Prepare)),
                ("check-in", &|| ui.global::<Nav>().invoke_go(Page::CheckIn)),
                ("insights", &|| ui.global::<Nav>().invoke_go(Page::Insights)),
                ("settings", &|| ui.global::<Nav>().invoke_go(Page::Settings)),
                ("help", &|| {
                    ui.global::<Nav>().invoke_go(Page::Home);
                    ui.global::<Nav>().set_help_open(true);
                }),
            ];
            for (screen, show) in shots {
                show();
                h.settle();
                let path = out.join(format!("{size_name}-{theme_name}-{screen}.png"));
                h.screenshot(&path);
                written += 1;
            }
        }
    }
    // A second window on the same data is read-only and says so in a
    // banner: the look of every store notice.
    ui.global::<Nav>().invoke_go(Page::Home);
    for (size_name, size) in [("phone", PHONE), ("desktop", DESKTOP)] {
        let second = Harness::open(&h.dir);
        second.resize(size);
        second.settle();
        second.screenshot(&out.join(format!("{size_name}-dark-notice.png")));
        written += 1;
    }
    // The window shown instead of the app when the data cannot be opened.
    let error = common_ground::core::store::StoreError::FutureVersion {
        path: h.dir.join(common_ground::core::store::PRIMARY),
        found: 2,
        supported: 1,
    };
    let problem = common_ground::bridge::cannot_open_window(&error).expect("window");
    problem.show().expect("show");
    for (size_name, size) in [("phone", PHONE), ("desktop", DESKTOP)] {
        problem
            .window()
            .set_size(slint::LogicalSize::new(size.0, size.1));
        h.settle();
        let shot = problem.window().take_snapshot().expect("snapshot");
        let path = out.join(format!("{size_name}-cannot-open.png"));
        harness::write_png(&path, shot.width(), shot.height(), shot.as_bytes());
        written += 1;
    }
    println!("wrote {written} screenshots to {}", out.display());
}
