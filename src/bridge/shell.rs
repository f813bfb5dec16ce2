//! The shell: urgent-help content for the user's region, and the store's
//! notices as banners.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::changes::Slices;
use super::rows::{bound, sync_rows};
use super::shared::{act1, Page, Shared};
use crate::core::help::Region;
use crate::core::store::{Notice, Restored, Store};
use crate::ui::{AppWindow, Banner, BannerFile, BannerKind, HelpLine, Moment, Status, UrgentHelp};

pub(crate) struct Shell {
    shared: Rc<Shared>,
    /// Notices the user dismissed, by position in the store's list.
    dismissed: RefCell<Vec<usize>>,
    /// The region whose services `lines` shows.
    region: RefCell<Option<Region>>,
    lines: Rc<VecModel<HelpLine>>,
    banners: Rc<VecModel<Banner>>,
}

impl Shell {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<Shell> {
        let g = ui.global::<UrgentHelp>();
        let page = Rc::new(Shell {
            shared: shared.clone(),
            dismissed: RefCell::default(),
            region: RefCell::default(),
            lines: bound(|m| g.set_lines(m)),
            banners: bound(|m| ui.global::<Status>().set_banners(m)),
        });
        let help = &shared.help;
        g.set_title(help.title.as_str().into());
        g.set_not_crisis(help.not_crisis.as_str().into());
        g.set_lines_intro(help.lines_intro.as_str().into());
        g.set_closing(help.closing.as_str().into());
        ui.global::<Status>()
            .on_dismiss(act1(&page, |p, index| p.dismiss(index)));
        shared.subscribe(&page, Slices::SETTINGS | Slices::NOTICES | Slices::STORE);
        page
    }

    /// Hides the banner shown at `shown_index` until the store is swapped.
    fn dismiss(&self, shown_index: i32) {
        // Map the position in the shown list back to the store's.
        let visible = visible_banners(&self.shared.store.borrow(), &self.dismissed.borrow());
        if let Some((store_index, _)) = visible.get(shown_index.max(0) as usize) {
            self.dismissed.borrow_mut().push(*store_index);
        }
        self.shared.publish(Slices::NOTICES);
    }

    /// Shows the help services of the user's region (when it changed).
    fn show_region(&self, ui: &AppWindow) {
        let id = self.shared.region();
        if *self.region.borrow() == Some(id) {
            return;
        }
        *self.region.borrow_mut() = Some(id);
        let region = self.shared.help.region(id);
        let g = ui.global::<UrgentHelp>();
        g.set_region_name(region.name.as_str().into());
        g.set_emergency(region.emergency.as_str().into());
        sync_rows(&self.lines, region.lines.iter().map(HelpLine::from));
    }
}

impl Page for Shell {
    fn forget(&self) {
        self.dismissed.borrow_mut().clear();
    }

    fn refresh(&self, ui: &AppWindow, _: Slices) {
        self.show_region(ui);
        let banners = visible_banners(&self.shared.store.borrow(), &self.dismissed.borrow());
        sync_rows(&self.banners, banners.into_iter().map(|(_, b)| b));
    }
}

/// The store's notices that the user should see and has not dismissed, as
/// banners, with their index in the store's list.
fn visible_banners(store: &Store, dismissed: &[usize]) -> Vec<(usize, Banner)> {
    // A save failure is news only while saving still fails, and only the
    // latest one matters.
    let failing = store.last_save_error().is_some();
    let last_failure = store
        .notices()
        .iter()
        .rposition(|n| matches!(n, Notice::SaveFailed { .. }));
    store
        .notices()
        .iter()
        .enumerate()
        .filter(|(i, _)| !dismissed.contains(i))
        .filter(|(i, n)| {
            !matches!(n, Notice::SaveFailed { .. }) || (failing && Some(*i) == last_failure)
        })
        .filter_map(|(i, n)| banner(n).map(|b| (i, b)))
        .collect()
}

fn path(p: &Path) -> SharedString {
    p.display().to_string().into()
}

/// The facts of one notice, for its banner (which has the words).
fn banner(notice: &Notice) -> Option<Banner> {
    let files = |files: Vec<BannerFile>| ModelRc::new(VecModel::from(files));
    Some(match notice {
        Notice::Created { .. } => return None,
        Notice::Repaired {
            set_aside,
            restored,
        } => {
            let set_aside: Vec<BannerFile> = set_aside
                .iter()
                .map(|f| BannerFile {
                    path: path(&f.original),
                    kept_as: path(&f.moved_to),
                    reason: f.reason.to_string().into(),
                })
                .collect();
            let (kind, from, saved) = match restored {
                Restored::Unaffected => (BannerKind::BackupSetAside, "".into(), Moment::default()),
                Restored::FromBackup { from, saved, .. } => (
                    BannerKind::Restored,
                    path(from),
                    moment(&saved.with_timezone(&chrono::Local)),
                ),
                Restored::Empty => (BannerKind::StartedEmpty, "".into(), Moment::default()),
            };
            Banner {
                kind,
                files: files(set_aside),
                path: from,
                detail: "".into(),
                saved,
            }
        }
        Notice::Unreadable { files: unreadable } => Banner {
            kind: BannerKind::Unreadable,
            files: files(
                unreadable
                    .iter()
                    .map(|(p, reason)| BannerFile {
                        path: path(p),
                        kept_as: "".into(),
                        reason: reason.to_string().into(),
                    })
                    .collect(),
            ),
            path: "".into(),
            detail: "".into(),
            saved: Moment::default(),
        },
        Notice::ReadOnly { dir } => Banner {
            kind: BannerKind::ReadOnly,
            files: files(Vec::new()),
            path: path(dir),
            detail: "".into(),
            saved: Moment::default(),
        },
        Notice::SaveFailed { error } => Banner {
            kind: BannerKind::SaveFailed,
            files: files(Vec::new()),
            path: "".into(),
            detail: error.to_string().into(),
            saved: Moment::default(),
        },
    })
}

/// A moment as the UI's `Dates.moment` takes it (which writes it in the
/// locale's order).
fn moment(at: &chrono::DateTime<chrono::Local>) -> Moment {
    super::clock::moment(at.naive_local())
}
