//! Settings: theme, text size, the help region, the lock delay, where the
//! data lives, and the files in it that a passcode does not protect. (The
//! passcode actions are the lock's; export and import are `data`'s.)

use std::rc::Rc;

use slint::{ComponentHandle, SharedString, VecModel};

use super::changes::Slices;
use super::rows::{bound, sync_rows};
use super::shared::{act, act1, Page, Shared};
use crate::core::model;
use crate::ui::{AppWindow, Choice, PasscodeMessage, SettingsAdapter, Theme, ThemeChoice};

pub(crate) struct SettingsPage {
    shared: Rc<Shared>,
    regions: Rc<VecModel<Choice>>,
    /// With the passcode on: the names of files in the data folder that
    /// are not encrypted (set aside before it was turned on, or put there).
    plain_files: Rc<VecModel<SharedString>>,
}

impl SettingsPage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<SettingsPage> {
        let a = ui.global::<SettingsAdapter>();
        let page = Rc::new(SettingsPage {
            shared: shared.clone(),
            regions: bound(|m| a.set_regions(m)),
            plain_files: bound(|m| a.set_plain_files(m)),
        });
        a.set_app_version(env!("CARGO_PKG_VERSION").into());
        a.on_set_theme(act1(&page, |p, choice: ThemeChoice| {
            p.shared
                .change_soon(Slices::SETTINGS, |d| d.settings.theme = choice.into())
        }));
        a.on_set_region(act1(&page, |p, id| p.set_region(id)));
        a.on_set_text_scale(act1(&page, |p, percent: i32| {
            let percent = percent.max(0) as u32;
            if model::TEXT_SCALES.contains(&percent) {
                p.shared
                    .change_soon(Slices::SETTINGS, |d| d.settings.text_scale = percent);
            }
        }));
        a.on_set_lock_after(act1(&page, |p, minutes: i32| {
            let minutes = minutes.max(1) as u32;
            p.shared.change_soon(Slices::SETTINGS, |d| {
                d.settings.lock_after_minutes = minutes
            });
        }));
        a.on_delete_plain_files(act(&page, |p| {
            let deleted = p.shared.store.borrow_mut().delete_plain_files();
            p.say(match deleted {
                Ok(_) => PasscodeMessage::PlainDeleted,
                Err(_) => PasscodeMessage::Failed,
            });
            p.shared.publish(Slices::PROTECTION);
        }));
        a.on_keep_plain_files(act(&page, |p| {
            if p.shared.store.borrow_mut().keep_plain_files().is_err() {
                p.say(PasscodeMessage::Failed);
            }
            p.shared.publish(Slices::PROTECTION);
        }));
        shared.subscribe(&page, Slices::SETTINGS | Slices::PROTECTION | Slices::STORE);
        page
    }

    /// Keeps the help region `id` (one the bundled help knows).
    fn set_region(&self, id: SharedString) {
        let region = self
            .shared
            .help
            .regions
            .iter()
            .find(|r| r.id.code() == id.as_str());
        if let Some(region) = region.map(|r| r.id) {
            self.shared
                .change_soon(Slices::SETTINGS, |d| d.settings.region = Some(region));
        }
    }

    fn say(&self, message: PasscodeMessage) {
        self.shared
            .in_window(|ui| ui.global::<SettingsAdapter>().set_passcode_message(message));
    }
}

impl Page for SettingsPage {
    fn refresh(&self, ui: &AppWindow, _: Slices) {
        let store = self.shared.store.borrow();
        let a = ui.global::<SettingsAdapter>();
        a.set_data_dir(store.dir().display().to_string().into());
        a.set_read_only(store.is_read_only() && !store.is_locked_placeholder());
        a.set_passcode_on(store.is_encrypted());
        let plain = store.plain_files();
        sync_rows(
            &self.plain_files,
            plain.iter().map(|f| {
                f.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
                    .into()
            }),
        );
        a.set_plain_files_kept(!plain.is_empty() && plain.iter().all(|f| f.kept));
        let settings = &store.data().settings;
        a.set_lock_after(settings.lock_after_minutes.min(i32::MAX as u32) as i32);
        let current = settings.region.unwrap_or(self.shared.suggested_region);
        sync_rows(
            &self.regions,
            self.shared.help.regions.iter().map(|r| Choice {
                id: r.id.code().into(),
                label: r.name.as_str().into(),
                detail: Default::default(),
                selected: r.id == current,
            }),
        );
        let theme = ui.global::<Theme>();
        a.set_text_scale(settings.text_scale as i32);
        // While locked the data (and so the setting) is not in memory: the
        // lock screen keeps the size the user was reading at.
        if !store.is_locked_placeholder() && theme.get_text_scale() != settings.text_factor() {
            theme.set_text_scale(settings.text_factor());
        }
        let choice = settings.theme.into();
        if theme.get_choice() != choice {
            theme.set_choice(choice);
            theme.invoke_apply();
        }
    }
}
