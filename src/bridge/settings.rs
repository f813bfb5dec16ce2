//! Settings page adapter: theme choice, text size, the help region and
//! where the data lives.

use std::rc::Rc;

use slint::ComponentHandle;

use super::{Ctx, Dirty};
use crate::core::help::Region;
use crate::core::model;
use crate::ui::{self, AppWindow, Choice, SettingsAdapter, Theme};

// The user's theme choice is one idea with one name, `ThemeChoice`, in the
// store (`model`) and in the UI (`ui`); these convert between the two.
impl From<model::ThemeChoice> for ui::ThemeChoice {
    fn from(choice: model::ThemeChoice) -> Self {
        match choice {
            model::ThemeChoice::System => ui::ThemeChoice::System,
            model::ThemeChoice::Light => ui::ThemeChoice::Light,
            model::ThemeChoice::Dark => ui::ThemeChoice::Dark,
        }
    }
}

impl From<ui::ThemeChoice> for model::ThemeChoice {
    fn from(choice: ui::ThemeChoice) -> Self {
        match choice {
            ui::ThemeChoice::System => model::ThemeChoice::System,
            ui::ThemeChoice::Light => model::ThemeChoice::Light,
            ui::ThemeChoice::Dark => model::ThemeChoice::Dark,
        }
    }
}

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let adapter = ui.global::<SettingsAdapter>();
    adapter.set_app_version(env!("CARGO_PKG_VERSION").into());
    let weak = Rc::downgrade(ctx);
    adapter.on_set_theme(move |choice| {
        if let Some(ctx) = weak.upgrade() {
            ctx.change_soon(Dirty::SETTINGS, |d| d.settings.theme = choice.into());
        }
    });
    let weak = Rc::downgrade(ctx);
    adapter.on_set_region(move |id| {
        let Some(ctx) = weak.upgrade() else { return };
        let region = ctx.help.regions.iter().find(|r| r.id.code() == id.as_str());
        if let Some(region) = region.map(|r| r.id) {
            ctx.change_soon(Dirty::SETTINGS | Dirty::SHELL, |d| {
                d.settings.region = Some(region)
            });
        }
    });
    let weak = Rc::downgrade(ctx);
    adapter.on_set_text_scale(move |percent| {
        if let Some(ctx) = weak.upgrade() {
            let percent = percent.max(0) as u32;
            if model::TEXT_SCALES.contains(&percent) {
                ctx.change_soon(Dirty::SETTINGS, |d| d.settings.text_scale = percent);
            }
        }
    });
    let weak = Rc::downgrade(ctx);
    adapter.on_set_lock_after(move |minutes| {
        if let Some(ctx) = weak.upgrade() {
            let minutes = minutes.max(1) as u32;
            ctx.change_soon(Dirty::SETTINGS, |d| d.settings.lock_after_minutes = minutes);
        }
    });
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let store = ctx.store.borrow();
    let adapter = ui.global::<SettingsAdapter>();
    adapter.set_data_dir(store.dir().display().to_string().into());
    adapter.set_read_only(store.is_read_only() && !store.is_locked_placeholder());
    adapter.set_passcode_on(store.is_encrypted());
    super::lock::show_plain_files(ui, &store);
    adapter.set_lock_after(
        store
            .data()
            .settings
            .lock_after_minutes
            .min(i32::MAX as u32) as i32,
    );
    let current: Region = store.data().settings.region.unwrap_or(ctx.suggested_region);
    let regions: Vec<Choice> = ctx
        .help
        .regions
        .iter()
        .map(|r| Choice {
            id: r.id.code().into(),
            label: r.name.as_str().into(),
            detail: Default::default(),
            selected: r.id == current,
        })
        .collect();
    super::prepare::sync(
        || adapter.get_regions(),
        |m| adapter.set_regions(m),
        regions,
    );
    let theme = ui.global::<Theme>();
    let settings = &store.data().settings;
    adapter.set_text_scale(settings.text_scale as i32);
    // While locked the data (and so the setting) is not in memory: the
    // lock screen keeps the size the user was reading at.
    if !store.is_locked_placeholder() && theme.get_text_scale() != settings.text_factor() {
        theme.set_text_scale(settings.text_factor());
    }
    let choice = store.data().settings.theme.into();
    if theme.get_choice() != choice {
        theme.set_choice(choice);
        theme.invoke_apply();
    }
}
