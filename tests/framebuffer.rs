//! The no-OS path: `examples/framebuffer.rs` runs the real app on its own
//! `Platform` (a `MinimalSoftwareWindow`, the software renderer, a plain
//! pixel buffer, no winit), headless. A tap on a tab must change the page,
//! and keys must reach the UI.

#[path = "../examples/framebuffer.rs"]
#[allow(dead_code)]
mod framebuffer;

use common_ground::ui::Page;

#[test]
fn a_tap_on_a_tab_changes_the_page_and_keys_reach_the_ui() {
    let out = tempfile::tempdir().unwrap();
    let steps = framebuffer::run(Some(out.path()));
    let step = |what: &str| {
        steps
            .iter()
            .find(|s| s.what == what)
            .unwrap_or_else(|| panic!("no step {what}: {steps:?}"))
    };
    let start = step("start");
    assert_eq!(start.page, Page::Home);
    assert!(start.changed > 10_000, "a first frame was drawn: {start:?}");

    let tap = step("tap-learn");
    assert_eq!(tap.page, Page::Learn, "the tap reached the Learn tab");
    assert!(tap.changed > 1_000, "and the new page was drawn: {tap:?}");

    let help = step("keys-open-help");
    assert!(help.help_open, "Tab, Enter opened the help sheet");
    assert!(help.changed > 1_000);
    let closed = step("escape");
    assert!(!closed.help_open && closed.page == Page::Learn);

    for n in 1..=steps.len() {
        let any = std::fs::read_dir(out.path())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("frame-{n}-"))
            });
        assert!(any, "frame {n} written as PNG");
    }
}
