//! Settings page adapter: theme choice and where the data lives.

use std::rc::Rc;

use slint::ComponentHandle;

use super::Ctx;
use crate::core::model::ThemeChoice;
use crate::ui::{AppWindow, SettingsAdapter, Theme, ThemeMode};

fn to_ui(choice: ThemeChoice) -> ThemeMode {
    match choice {
        ThemeChoice::System => ThemeMode::System,
        ThemeChoice::Light => ThemeMode::Light,
        ThemeChoice::Dark => ThemeMode::Dark,
    }
}

fn from_ui(mode: ThemeMode) -> ThemeChoice {
    match mode {
        ThemeMode::System => ThemeChoice::System,
        ThemeMode::Light => ThemeChoice::Light,
        ThemeMode::Dark => ThemeChoice::Dark,
    }
}

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let adapter = ui.global::<SettingsAdapter>();
    adapter.set_app_version(env!("CARGO_PKG_VERSION").into());
    let weak = Rc::downgrade(ctx);
    adapter.on_set_theme(move |mode| {
        if let Some(ctx) = weak.upgrade() {
            ctx.change_soon(|d| d.settings.theme = from_ui(mode));
        }
    });
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let store = ctx.store.borrow();
    let adapter = ui.global::<SettingsAdapter>();
    adapter.set_data_dir(store.dir().display().to_string().into());
    adapter.set_read_only(store.is_read_only());
    let theme = ui.global::<Theme>();
    let mode = to_ui(store.data().settings.theme);
    if theme.get_mode() != mode {
        theme.set_mode(mode);
        theme.invoke_apply();
    }
}
