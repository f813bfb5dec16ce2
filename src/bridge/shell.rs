//! The shell adapter: urgent-help content, store notices and their banners.

use std::rc::Rc;

use std::path::Path;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::{Ctx, Dirty};
use crate::core::help::HelpContent;
use crate::core::store::{Notice, Restored};
use crate::ui::{AppWindow, Banner, BannerFile, BannerKind, HelpLine, Status, UrgentHelp};

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow, help: HelpContent) {
    let g = ui.global::<UrgentHelp>();
    g.set_title(help.title.into());
    g.set_not_crisis(help.not_crisis.into());
    g.set_emergency(help.emergency.into());
    g.set_lines_intro(help.lines_intro.into());
    g.set_closing(help.closing.into());
    let lines: Vec<HelpLine> = help
        .lines
        .into_iter()
        .map(|l| HelpLine {
            name: l.name.into(),
            contact: l.contact.into(),
            detail: l.detail.into(),
        })
        .collect();
    g.set_lines(ModelRc::new(VecModel::from(lines)));

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
            let (kind, from, detail) = match restored {
                Restored::Unaffected => (BannerKind::BackupSetAside, "".into(), "".into()),
                Restored::FromBackup { from, saved, .. } => (
                    BannerKind::Restored,
                    path(from),
                    saved
                        .with_timezone(&chrono::Local)
                        .format("%-d %B %Y, %H:%M")
                        .to_string()
                        .into(),
                ),
                Restored::Empty => (BannerKind::StartedEmpty, "".into(), "".into()),
            };
            Banner {
                kind,
                files: files(set_aside),
                path: from,
                detail,
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
        },
        Notice::ReadOnly { dir } => Banner {
            kind: BannerKind::ReadOnly,
            files: files(Vec::new()),
            path: path(dir),
            detail: "".into(),
        },
        Notice::SaveFailed { error } => Banner {
            kind: BannerKind::SaveFailed,
            files: files(Vec::new()),
            path: "".into(),
            detail: error.to_string().into(),
        },
    })
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let shown: Vec<Banner> = visible_banners(ctx).into_iter().map(|(_, b)| b).collect();
    ui.global::<Status>()
        .set_banners(ModelRc::new(VecModel::from(shown)));
}
