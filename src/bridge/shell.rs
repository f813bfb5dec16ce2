//! The shell adapter: urgent-help content, store notices and their banners.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, VecModel};

use super::{Ctx, Dirty};
use crate::core::help::UrgentHelp as HelpContent;
use crate::core::store::{Notice as StoreNotice, PRIMARY};
use crate::ui::{AppWindow, HelpLine, Notice, NoticeKind, Status, UrgentHelp};

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
        let visible = visible_notices(&ctx);
        if let Some((store_index, _)) = visible.get(shown_index.max(0) as usize) {
            ctx.dismissed.borrow_mut().push(*store_index);
        }
        ctx.refresh(Dirty::SHELL);
    });
}

/// The store's notices that the user should see and has not dismissed,
/// with their index in the store's list.
fn visible_notices(ctx: &Ctx) -> Vec<(usize, Notice)> {
    let store = ctx.store.borrow();
    let dismissed = ctx.dismissed.borrow();
    // A save failure is news only while saving still fails, and only the
    // latest one matters.
    let failing = store.last_save_error().is_some();
    let last_failure = store
        .notices()
        .iter()
        .rposition(|n| matches!(n, StoreNotice::SaveFailed { .. }));
    store
        .notices()
        .iter()
        .enumerate()
        .filter(|(i, _)| !dismissed.contains(i))
        .filter(|(i, n)| {
            !matches!(n, StoreNotice::SaveFailed { .. }) || (failing && Some(*i) == last_failure)
        })
        .filter_map(|(i, n)| to_ui(n).map(|n| (i, n)))
        .collect()
}

fn to_ui(notice: &StoreNotice) -> Option<Notice> {
    let path = |p: &std::path::Path| p.display().to_string().into();
    Some(match notice {
        StoreNotice::Created { .. } => return None,
        StoreNotice::MovedAside {
            original,
            moved_to,
            restored_from,
            reason,
        } => Notice {
            kind: match restored_from {
                // Only a backup was damaged; the store itself is fine.
                Some(from) if from.file_name() == Some(PRIMARY.as_ref()) && original != from => {
                    NoticeKind::BackupSetAside
                }
                Some(_) => NoticeKind::RecoveredFromBackup,
                None => NoticeKind::StartedEmpty,
            },
            path: path(moved_to),
            detail: reason.to_string().into(),
        },
        StoreNotice::Recovered { from, .. } => Notice {
            kind: NoticeKind::Restored,
            path: path(from),
            detail: Default::default(),
        },
        StoreNotice::Unreadable { path: p, reason } => Notice {
            kind: NoticeKind::Unreadable,
            path: path(p),
            detail: reason.to_string().into(),
        },
        StoreNotice::ReadOnly { dir } => Notice {
            kind: NoticeKind::ReadOnly,
            path: path(dir),
            detail: Default::default(),
        },
        StoreNotice::SaveFailed { error } => Notice {
            kind: NoticeKind::SaveFailed,
            path: Default::default(),
            detail: error.to_string().into(),
        },
    })
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let shown: Vec<Notice> = visible_notices(ctx).into_iter().map(|(_, n)| n).collect();
    ui.global::<Status>()
        .set_notices(ModelRc::new(VecModel::from(shown)));
}
