//! What a screen reader gets: decorative images hidden, each text read
//! once, landmarks named, progress as numbers.

use crate::harness::Harness;
use common_ground::core::cards::Library;
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};

/// Every element a screen reader sees (any role but none), valid and shown.
fn exposed(h: &Harness) -> Vec<ElementHandle> {
    h.app
        .window
        .root_element()
        .query_descendants()
        .match_predicate(|e| {
            e.is_valid()
                && e.size().width > 0.0
                && e.accessible_role()
                    .is_some_and(|r| r != AccessibleRole::None)
        })
        .find_all()
}

fn assert_no_unnamed_images(h: &Harness, screen: &str) {
    let images: Vec<_> = exposed(h)
        .into_iter()
        .filter(|e| e.accessible_role() == Some(AccessibleRole::Image))
        .filter(|e| e.accessible_label().is_none_or(|l| l.is_empty()))
        .collect();
    assert!(
        images.is_empty(),
        "{screen}: {} decorative image(s) exposed",
        images.len()
    );
}

/// How many exposed elements have `text` in their label or value.
fn times_read(h: &Harness, text: &str) -> usize {
    exposed(h)
        .iter()
        .filter(|e| {
            e.accessible_label().is_some_and(|l| l.contains(text))
                || e.accessible_value().is_some_and(|v| v.contains(text))
        })
        .count()
}

#[test]
fn decorative_images_are_hidden_everywhere() {
    let h = Harness::new();
    for tab in [
        "Home", "Learn", "Prepare", "Check in", "Insights", "Settings",
    ] {
        h.click(tab);
        assert_no_unnamed_images(&h, tab);
    }
    h.click("Learn");
    h.click("Saved cards");
    assert_no_unnamed_images(&h, "saved cards");
    h.click("All decks");
    h.click(&Library::builtin().decks[0].title);
    assert_no_unnamed_images(&h, "card reader");
    h.click("Need help now?");
    assert_no_unnamed_images(&h, "help sheet");
}

#[test]
fn the_help_sheet_reads_each_text_once() {
    let h = Harness::new();
    h.click("Need help now?");
    let help = common_ground::core::help::HelpContent::builtin();
    // Once as the sheet's name (the top bar's button is another thing, and
    // so is the text that takes focus when the sheet opens, to say it).
    let title_read = exposed(&h)
        .iter()
        .filter(|e| {
            !matches!(
                e.accessible_role(),
                Some(AccessibleRole::Button | AccessibleRole::Text)
            )
        })
        .filter(|e| {
            e.accessible_label()
                .is_some_and(|l| l == help.title.as_str())
        })
        .count();
    assert_eq!(title_read, 1, "the sheet's title");
    let region = help.region(common_ground::core::help::Region::Uk);
    for line in &region.lines {
        assert_eq!(times_read(&h, &line.contact), 1, "{}", line.name);
        assert_eq!(times_read(&h, &line.detail), 1, "{}", line.name);
    }
}

#[test]
fn the_card_reader_names_its_landmark_and_gives_progress_as_numbers() {
    let lib = Library::builtin();
    let deck = &lib.decks[0];
    let h = Harness::new();
    h.click("Learn");
    h.click(&deck.title);
    h.click("Next");
    let landmarks: Vec<_> = exposed(&h)
        .into_iter()
        .filter(|e| e.accessible_role() == Some(AccessibleRole::Main))
        .collect();
    assert!(!landmarks.is_empty());
    for l in &landmarks {
        let name = l.accessible_label().unwrap_or_default();
        assert!(!name.is_empty(), "every main landmark has a name");
    }
    let progress: Vec<_> = exposed(&h)
        .into_iter()
        .filter(|e| e.accessible_role() == Some(AccessibleRole::ProgressIndicator))
        .collect();
    assert_eq!(progress.len(), 1, "one progress indicator");
    let p = &progress[0];
    assert_eq!(
        p.accessible_label().as_deref(),
        Some(format!("Card 2 of {}", deck.cards.len()).as_str())
    );
    assert_eq!(p.accessible_value().as_deref(), Some("2"));
    assert_eq!(p.accessible_value_minimum(), Some(0.0));
    assert_eq!(p.accessible_value_maximum(), Some(deck.cards.len() as f32));
    // The visible "2 of 5" does not say it a second time.
    assert_eq!(times_read(&h, &format!("2 of {}", deck.cards.len())), 1);
}

#[test]
fn a_notice_banner_reads_its_message_once() {
    let h = Harness::new();
    let (dir, _keep) = h.close();
    std::fs::write(
        dir.join(common_ground::core::store::PRIMARY),
        b"not a store",
    )
    .unwrap();
    let h = Harness::open(&dir);
    assert_eq!(times_read(&h, "could not be read"), 1, "{:?}", h.labels());
}

/// WCAG relative luminance of an sRGB colour.
fn luminance(c: slint::Color) -> f64 {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue())
}

fn contrast(a: slint::Color, b: slint::Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn the_focus_ring_is_thick_and_contrasting_in_both_themes() {
    use common_ground::ui::{Theme, ThemeChoice};
    use slint::ComponentHandle;
    for mode in [ThemeChoice::Light, ThemeChoice::Dark] {
        let h = Harness::new();
        let theme = h.app.window.global::<Theme>();
        theme.set_choice(mode);
        theme.invoke_apply();
        h.settle();
        // The first Tab lands on "Need help now?", a filled button.
        h.press(slint::platform::Key::Tab);
        let ring = theme.get_focus_ring();
        let page = theme.get_background();
        assert!(
            contrast(ring, page) >= 3.0,
            "{mode:?}: ring contrast {:.1}",
            contrast(ring, page)
        );
        let button = h.find("Need help now?");
        let shot = h.app.window.window().take_snapshot().expect("snapshot");
        let scale = h.app.window.window().scale_factor();
        let pixel = |x: f32, y: f32| {
            let (x, y) = ((x * scale) as usize, (y * scale) as usize);
            let p = shot.as_slice()[y * shot.width() as usize + x];
            slint::Color::from_rgb_u8(p.r, p.g, p.b)
        };
        let p = button.absolute_position();
        let mid = p.y + button.size().height / 2.0;
        // At least 2 px of ring just outside the button's left edge, where
        // it stands against the page, not the button's own fill.
        for dx in [2.0, 3.0] {
            let seen = pixel(p.x - dx, mid);
            assert!(
                contrast(seen, page) >= 3.0,
                "{mode:?}: ring pixel {dx} px outside is {seen:?}, page {page:?}"
            );
        }
    }
}
