//! The shell adapter: urgent-help content, store notices and their banners.

use std::rc::Rc;

use std::path::Path;

use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel};

use super::{Ctx, Dirty};
use crate::core::store::{Notice, Restored};
use crate::ui::{AppWindow, Banner, BannerFile, BannerKind, HelpLine, Moment, Status, UrgentHelp};

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let g = ui.global::<UrgentHelp>();
    g.set_title(ctx.help.title.as_str().into());
    g.set_not_crisis(ctx.help.not_crisis.as_str().into());
    g.set_lines_intro(ctx.help.lines_intro.as_str().into());
    g.set_closing(ctx.help.closing.as_str().into());
    let weak = Rc::downgrade(ctx);
    ui.global::<Status>().on_dismiss(move |shown_index| {
        let Some(ctx) = weak.upgrade() else { return };
        // Map the position in the shown list back to the store's list.
        let visible = visible_banners(&ctx);
        if let Some((store_index, _)) = visible.get(shown_index.max(0) as usize) {
            ctx.dismissed.borrow_mut().push(*store_index);
        }
        ctx.refresh(Dirty::SHELL);
    });
}

/// The store's notices that the user should see and has not dismissed, as
/// banners, with their index in the store's list.
fn visible_banners(ctx: &Ctx) -> Vec<(usize, Banner)> {
    let store = ctx.store.borrow();
    let dismissed = ctx.dismissed.borrow();
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

/// Shows the help services of the user's region (when it changed).
fn show_region(ctx: &Ctx, ui: &AppWindow) {
    let region = ctx.help.region(ctx.region());
    let g = ui.global::<UrgentHelp>();
    if g.get_region_name() == region.name.as_str() && g.get_lines().row_count() > 0 {
        return;
    }
    g.set_region_name(region.name.as_str().into());
    g.set_emergency(region.emergency.as_str().into());
    let lines: Vec<HelpLine> = region
        .lines
        .iter()
        .map(|l| HelpLine {
            name: l.name.as_str().into(),
            contact: l.contact.as_str().into(),
            detail: l.detail.as_str().into(),
        })
        .collect();
    g.set_lines(ModelRc::new(VecModel::from(lines)));
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    show_region(ctx, ui);
    let shown: Vec<Banner> = visible_banners(ctx).into_iter().map(|(_, b)| b).collect();
    ui.global::<Status>()
        .set_banners(ModelRc::new(VecModel::from(shown)));
}
