//! A minimal Slint program that shows how a screen reader loses controls
//! that are removed from the accessibility tree and later come back.
//! Run it under Orca (`screen-reader target/debug/examples/a11y_repro_recreate
//! --keys ...`) with `A11Y_REPRO` set to one of:
//!
//! - `if` (default): two "pages" behind `if`, switched with the first button.
//!   Leaving page A destroys its elements; coming back creates new ones.
//! - `visible`: the same two pages, both always created, the hidden one
//!   with `visible: false`.
//! - `scroll`: a short scrolling list of buttons; Tab moves focus out of
//!   view and back.
//!
//! Keys for `if` and `visible`: Tab (Switch), Tab, Tab (page A), shift+Tab
//! twice, Return (page B), Tab, Tab, shift+Tab twice, Return (page A
//! again), Tab, Tab. Every control should be spoken every time.
//!
//!     cargo build --example a11y_repro_recreate

slint::slint! {
    component Btn inherits Rectangle {
        in property <string> label;
        callback clicked();
        min-height: 40px;
        background: fs.has-focus ? #cde : #eee;
        accessible-role: button;
        accessible-label: root.label;
        accessible-action-default => { root.clicked(); }
        fs := FocusScope {
            key-pressed(event) => {
                if event.text == Key.Return || event.text == " " {
                    root.clicked();
                    return accept;
                }
                return reject;
            }
        }
        Text { text: root.label; accessible-role: none; }
    }

    component Radio inherits Rectangle {
        in property <string> label;
        in property <bool> checked;
        min-height: 40px;
        background: fs.has-focus ? #cde : #eee;
        accessible-role: radio-button;
        accessible-label: root.label;
        accessible-checkable: true;
        accessible-checked: root.checked;
        fs := FocusScope { }
        Text { text: root.label; accessible-role: none; }
    }

    component PageA inherits Rectangle {
        accessible-role: region;
        accessible-label: "Page A";
        VerticalLayout {
            spacing: 4px;
            Btn { label: "Alpha one"; }
            Btn { label: "Alpha two"; }
        }
    }

    component PageB inherits Rectangle {
        accessible-role: main;
        accessible-label: "Page B";
        VerticalLayout {
            spacing: 4px;
            Radio { label: "Beta light"; checked: true; }
            Radio { label: "Beta dark"; }
        }
    }

    export component Repro inherits Window {
        in property <string> mode: "if";
        in-out property <bool> on-a: true;
        preferred-width: 390px;
        preferred-height: 400px;
        title: "Repro";
        VerticalLayout {
            padding: 8px;
            spacing: 8px;
            if root.mode != "scroll": Btn {
                label: "Switch";
                clicked => { root.on-a = !root.on-a; }
            }
            if root.mode == "if" && root.on-a: PageA { }
            if root.mode == "if" && !root.on-a: PageB { }
            if root.mode == "visible": Rectangle {
                min-height: 90px;
                PageA { visible: root.on-a; }
                PageB { visible: !root.on-a; }
            }
            if root.mode == "scroll": Flickable {
                height: 130px;
                content-height: list.preferred-height;
                list := VerticalLayout {
                    spacing: 4px;
                    for i in 8: Btn { label: "Row " + (i + 1); }
                }
            }
        }
    }
}

fn main() -> Result<(), slint::PlatformError> {
    let ui = Repro::new()?;
    let mode = std::env::var("A11Y_REPRO").unwrap_or_else(|_| "if".into());
    ui.set_mode(mode.into());
    ui.run()
}
