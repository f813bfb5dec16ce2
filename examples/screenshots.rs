//! Renders every destination to PNG, headless, with the software renderer
//! and the bundled Inter font, so the images are the same on every machine.
//!
//!     cargo run --example screenshots -- --out DIR [--text-scale PERCENT]
//!         [--size phone|small|desktop] [--theme light|dark]
//!
//! Writes `<size>-<theme>-<screen>.png` for phone (390x844), small phone
//! (320x568) and desktop (1280x800), light and dark, plus a store notice
//! banner. `--text-scale 200` sets the text size (as Settings does; 100,
//! 130, 160 or 200) and adds `-text200` to each name; `--size` and
//! `--theme` (each may be repeated) render only those.

#[path = "../tests/ui/harness.rs"]
mod harness;

use std::path::PathBuf;

use common_ground::ui::{
    ConcernField, LearnAdapter, Nav, Page, PrepareAdapter, PrepareView, RaiseWay, Response,
    SettingsAdapter, ThemeChoice, Topic,
};
use harness::{Harness, DESKTOP, PHONE, SMALL};
use slint::ComponentHandle;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out = PathBuf::from("screenshots");
    let mut text_scale = 100;
    let mut only_sizes: Vec<String> = Vec::new();
    let mut only_themes: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--text-scale" => {
                text_scale = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--text-scale needs a percentage: 100, 130, 160 or 200")
            }
            "--size" => only_sizes.push(args.next().expect("--size needs phone, small or desktop")),
            "--theme" => only_themes.push(args.next().expect("--theme needs light or dark")),
            "--out" => {
                out = args
                    .next()
                    .map(PathBuf::from)
                    .expect("--out needs a folder")
            }
            "-h" | "--help" => {
                println!(
                    "usage: screenshots [--out DIR] [--text-scale 100|130|160|200] \
                     [--size phone|small|desktop]... [--theme light|dark]..."
                );
                return;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    std::fs::create_dir_all(&out).expect("create output folder");

    let wanted = |list: &[String], name: &str| list.is_empty() || list.iter().any(|n| n == name);
    let suffix = if text_scale == 100 {
        String::new()
    } else {
        format!("-text{text_scale}")
    };

    let h = Harness::new();
    let ui = &h.app.window;
    h.set_text_scale(text_scale);
    assert_eq!(
        h.app.with_data(|d| d.settings.text_scale),
        text_scale as u32,
        "the text scale is one Settings offers"
    );
    let ids = prepare_samples(&h);
    let mut written = 0;
    for (size_name, size) in SIZES.into_iter().filter(|(n, _)| wanted(&only_sizes, n)) {
        h.resize(size);
        for (theme_name, choice) in THEMES.into_iter().filter(|(n, _)| wanted(&only_themes, n)) {
            ui.global::<SettingsAdapter>().invoke_set_theme(choice);
            let p = ui.global::<PrepareAdapter>();
            let go_prepare = |view: PrepareView| {
                ui.global::<Nav>().invoke_go(Page::Prepare);
                p.set_view(view);
            };
            let step = |n: i32| {
                ui.global::<Nav>().invoke_go(Page::Prepare);
                p.invoke_continue_draft(ids.draft.as_str().into());
                p.invoke_go_to(n);
            };
            let mut shots: Vec<(String, Box<dyn Fn() + '_>)> = Vec::new();
            for n in 1..=7 {
                shots.push((format!("prepare-step{n}"), Box::new(move || step(n))));
            }
            shots.push((
                "prepare-ethics".into(),
                Box::new(|| {
                    step(1);
                    go_prepare(PrepareView::Ethics);
                }),
            ));
            shots.push((
                "prepare-session".into(),
                Box::new(|| {
                    ui.global::<Nav>().invoke_go(Page::Prepare);
                    p.invoke_open_session(ids.ready.as_str().into());
                }),
            ));
            shots.push((
                "prepare-outcome".into(),
                Box::new(|| {
                    ui.global::<Nav>().invoke_go(Page::Prepare);
                    p.invoke_open_concern(ids.settled.as_str().into());
                    p.invoke_record_outcome();
                }),
            ));
            shots.push((
                "prepare-history".into(),
                Box::new(|| {
                    ui.global::<Nav>().invoke_go(Page::Prepare);
                    p.invoke_show_history();
                }),
            ));
            shots.push((
                "prepare-detail".into(),
                Box::new(|| {
                    ui.global::<Nav>().invoke_go(Page::Prepare);
                    p.invoke_open_concern(ids.settled.as_str().into());
                }),
            ));
            shots.push((
                "settings-region".into(),
                Box::new(|| {
                    ui.global::<Nav>().invoke_go(Page::Settings);
                    h.settle();
                    // Scrolls, as a user would, until the choice is in view.
                    h.find("Australia");
                }),
            ));
            let fixed: [(&str, &dyn Fn()); 9] = [
                ("home", &|| ui.global::<Nav>().invoke_go(Page::Home)),
                ("learn", &|| {
                    ui.global::<Nav>().invoke_go(Page::Learn);
                    ui.global::<LearnAdapter>().invoke_show_decks();
                }),
                ("learn-card", &|| {
                    ui.global::<Nav>().invoke_go(Page::Learn);
                    ui.global::<LearnAdapter>()
                        .invoke_open_deck("ok-to-disagree".into());
                }),
                ("learn-saved", &|| {
                    ui.global::<Nav>().invoke_go(Page::Learn);
                    ui.global::<LearnAdapter>().invoke_show_saved();
                }),
                ("prepare", &|| {
                    ui.global::<Nav>().invoke_go(Page::Prepare);
                    p.invoke_show_overview();
                }),
                ("check-in", &|| ui.global::<Nav>().invoke_go(Page::CheckIn)),
                ("insights", &|| ui.global::<Nav>().invoke_go(Page::Insights)),
                ("settings", &|| ui.global::<Nav>().invoke_go(Page::Settings)),
                ("help", &|| {
                    ui.global::<Nav>().invoke_go(Page::Home);
                    ui.global::<Nav>().set_help_open(true);
                }),
            ];
            let all = fixed.iter().map(|(name, f)| (name.to_string(), *f)).chain(
                shots
                    .iter()
                    .map(|(name, f)| (name.clone(), &**f as &dyn Fn())),
            );
            for (screen, show) in all {
                show();
                h.settle();
                let path = out.join(format!("{size_name}-{theme_name}-{screen}{suffix}.png"));
                h.screenshot(&path);
                written += 1;
            }
        }
    }
    let run = Run {
        out: &out,
        text_scale,
        suffix: &suffix,
        sizes: &only_sizes,
        themes: &only_themes,
    };
    written += sample_screens(&run);
    written += all_top_screens(&run);
    written += rhythm_screens(&run);
    // The lock screen (as after a restart with a passcode on, or "Lock
    // now"): nothing personal behind it.
    for (size_name, size) in SIZES.into_iter().filter(|(n, _)| wanted(&only_sizes, n)) {
        h.resize(size);
        for (theme_name, choice) in THEMES.into_iter().filter(|(n, _)| wanted(&only_themes, n)) {
            ui.global::<SettingsAdapter>().invoke_set_theme(choice);
            ui.global::<common_ground::ui::LockAdapter>()
                .set_locked(true);
            h.settle();
            h.screenshot(&out.join(format!("{size_name}-{theme_name}-locked{suffix}.png")));
            ui.global::<common_ground::ui::LockAdapter>()
                .set_locked(false);
            written += 1;
        }
    }
    // A second window on the same data is read-only and says so in a
    // banner: the look of every store notice.
    ui.global::<Nav>().invoke_go(Page::Home);
    h.wait_for("the settings are saved", |h| h.app.is_saved());
    for (size_name, size) in SIZES.into_iter().filter(|(n, _)| wanted(&only_sizes, n)) {
        let second = Harness::open(&h.dir);
        second.resize(size);
        second.settle();
        second.screenshot(&out.join(format!("{size_name}-dark-notice{suffix}.png")));
        written += 1;
    }
    // The window shown instead of the app when the data cannot be opened.
    let error = common_ground::core::store::StoreError::FutureVersion {
        path: h.dir.join(common_ground::core::store::PRIMARY),
        found: 2,
        supported: 1,
    };
    let problem = common_ground::bridge::cannot_open_window(&error).expect("window");
    problem.show().expect("show");
    for (size_name, size) in SIZES.into_iter().filter(|(n, _)| wanted(&only_sizes, n)) {
        problem
            .window()
            .set_size(slint::LogicalSize::new(size.0, size.1));
        h.settle();
        let shot = problem.window().take_snapshot().expect("snapshot");
        let path = out.join(format!("{size_name}-cannot-open{suffix}.png"));
        harness::write_png(&path, shot.width(), shot.height(), shot.as_bytes());
        written += 1;
    }
    // The passcode panel once the passcode is on (last: a second window
    // would now open locked): its state with one action per row, and the
    // fields that "Change passcode" opens under its button.
    let settings = ui.global::<SettingsAdapter>();
    settings.invoke_turn_on_passcode("blue kettle 42".into(), "blue kettle 42".into());
    h.wait_for("the passcode to be on", |_| settings.get_passcode_on());
    for (size_name, size) in SIZES.into_iter().filter(|(n, _)| wanted(&only_sizes, n)) {
        h.resize(size);
        for (theme_name, choice) in THEMES.into_iter().filter(|(n, _)| wanted(&only_themes, n)) {
            settings.invoke_set_theme(choice);
            ui.global::<Nav>().invoke_go(Page::Settings);
            h.settle();
            h.find("Lock now");
            h.settle();
            h.screenshot(&out.join(format!(
                "{size_name}-{theme_name}-settings-passcode{suffix}.png"
            )));
            h.click("Change passcode");
            h.find("Save new passcode");
            h.settle();
            h.screenshot(&out.join(format!(
                "{size_name}-{theme_name}-settings-passcode-change{suffix}.png"
            )));
            h.click("Change passcode");
            written += 2;
        }
    }
    println!("wrote {written} screenshots to {}", out.display());
}

/// Check in and Insights on two years of sample data (`sample-data`),
/// whose dip in "feeling heard" at the end shows the nudge.
fn sample_screens(run: &Run) -> usize {
    use common_ground::ui::{CheckInAdapter, CheckInView};
    let h = run.harness(sample(2));
    // The evening of the last check-in, so that Home's Next session card
    // is the same whenever this runs.
    h.app.set_now(Some(november(20, 21, 0)));
    let ui = &h.app.window;
    let newest = h
        .app
        .with_data(|d| d.check_ins.last().map(|r| r.id.clone()).unwrap_or_default());
    run.each_look(&h, |set| {
        let c = ui.global::<CheckInAdapter>();
        let choose_mood = || {
            c.set_mood(7.0);
            c.set_has_mood(true);
        };
        let shots: [(&str, &dyn Fn()); 9] = [
            ("sample-home", &|| ui.global::<Nav>().invoke_go(Page::Home)),
            ("check-in-form", &|| {
                c.invoke_new_check_in();
                ui.global::<Nav>().invoke_go(Page::CheckIn);
            }),
            ("check-in-more", &|| {
                c.invoke_new_check_in();
                ui.global::<Nav>().invoke_go(Page::CheckIn);
                choose_mood();
                c.set_more(true);
            }),
            ("check-in-future", &|| {
                c.invoke_new_check_in();
                ui.global::<Nav>().invoke_go(Page::CheckIn);
                choose_mood();
                c.set_more(true);
                c.set_change_when(true);
                c.set_date_text("2099-01-01".into());
                // Saved once the form is on screen, as a user does,
                // so that the message takes focus and is in view.
                h.settle();
                c.invoke_save();
            }),
            ("check-in-history", &|| {
                ui.global::<Nav>().invoke_go(Page::CheckIn);
                c.invoke_show_history();
            }),
            ("check-in-entry", &|| {
                ui.global::<Nav>().invoke_go(Page::CheckIn);
                c.invoke_open(newest.as_str().into());
                assert_eq!(c.get_view(), CheckInView::Entry);
            }),
            ("insights", &|| ui.global::<Nav>().invoke_go(Page::Insights)),
            ("insights-full", &|| {
                ui.global::<Nav>().invoke_go(Page::Insights);
                h.resize((set.size.0, 3200.0));
            }),
            // Last: it adds a check-in to the sample.
            ("check-in-saved", &|| {
                c.invoke_new_check_in();
                ui.global::<Nav>().invoke_go(Page::CheckIn);
                choose_mood();
                h.settle();
                c.invoke_save();
            }),
        ];
        set.take(&shots, &|| {}) + unsaid_screens(set) + data_screens(set) + backup_screens(set)
    })
}

/// The instant of a local wall-clock time in November 2026 on this machine.
fn november(day: u32, hour: u32, minute: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let t = chrono::NaiveDate::from_ymd_opt(2026, 11, day)
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .expect("a time");
    chrono::Local
        .from_local_datetime(&t)
        .earliest()
        .expect("a local time")
        .with_timezone(&chrono::Utc)
}

/// The session rhythm on a year of sample data (every Tuesday at 17:00,
/// the last check-in on 20 November 2026) at fixed times: Home before, on
/// the day of, during, after and a day after a session; Session times, as
/// set, while choosing reminders and moving the next session, choosing a
/// one-off date, setting up a break until a day and paused until then.
fn rhythm_screens(run: &Run) -> usize {
    use common_ground::ui::{BreakEnd, ReminderChoice, RhythmAdapter, SessionRepeat};
    let h = run.harness(sample(1));
    let ui = &h.app.window;
    let r = ui.global::<RhythmAdapter>();
    let home = |day, hour, minute| {
        h.app.set_now(Some(november(day, hour, minute)));
        ui.global::<Nav>().invoke_go(Page::Home);
    };
    let reset = || {
        r.invoke_close();
        r.invoke_set_reminder(ReminderChoice::Before, false);
        // Ends a break a shot started (one from today is dropped).
        r.invoke_resume();
        h.app.set_now(Some(november(22, 12, 0)));
    };
    let shots: [(&str, &dyn Fn()); 11] = [
        // Sunday 22 November; the sessions are on Tuesdays.
        ("rhythm-before", &|| home(22, 12, 0)),
        ("rhythm-on-the-day", &|| home(24, 9, 0)),
        ("rhythm-in-session", &|| home(24, 17, 20)),
        ("rhythm-after", &|| home(24, 19, 0)),
        ("rhythm-day-later", &|| home(25, 18, 0)),
        ("settings-sessions", &|| {
            ui.global::<Nav>().invoke_go(Page::Settings);
            h.settle();
            h.find("Session times and reminders");
        }),
        ("session-times", &|| r.invoke_open_page(false)),
        ("session-times-reminders", &|| {
            r.invoke_open_page(false);
            r.invoke_set_reminder(ReminderChoice::Before, true);
            r.invoke_toggle_move();
            h.settle();
            h.find("Before a session");
        }),
        ("session-times-date", &|| {
            r.invoke_open_page(false);
            r.set_edit_repeat(SessionRepeat::OneOff);
            h.settle();
            h.find("Next day");
        }),
        ("session-times-break", &|| {
            r.invoke_open_page(false);
            r.invoke_toggle_pause();
            r.set_break_end(BreakEnd::OnADay);
            h.settle();
            h.find("In two weeks");
        }),
        ("session-times-paused", &|| {
            r.invoke_open_page(false);
            r.invoke_toggle_pause();
            r.set_break_end(BreakEnd::OnADay);
            r.invoke_pause();
            h.settle();
            // The top of the page: "Paused until …" and the next session.
            h.find("Every week");
        }),
    ];
    run.each_look(&h, |set| set.take(&shots, &reset))
}

/// What goes unsaid and the other path, on the sample data (held-back
/// answers, an Unsaid list, "go quiet"): the check-in's held-back item, the
/// Unsaid list, the way of reacting, the concern in session as a note and
/// in full, the Insights count, the new Learn deck and Prepare topic, and
/// how to raise a complaint.
fn unsaid_screens(set: &Shots) -> usize {
    use common_ground::ui::{CheckInAdapter, HeldBack, LearnView};
    let h = set.h;
    let ui = &h.app.window;
    let nav = ui.global::<Nav>();
    let p = ui.global::<PrepareAdapter>();
    let c = ui.global::<CheckInAdapter>();
    let learn = ui.global::<LearnAdapter>();
    let agenda = h
        .app
        .with_data(|d| d.prepare.agenda.first().cloned().unwrap_or_default());
    let reset = || {
        p.set_note_open(false);
        p.set_changing_reaction(false);
        if p.get_view() == PrepareView::Builder {
            p.invoke_leave();
        }
        p.invoke_show_overview();
        learn.set_view(LearnView::Decks);
        nav.invoke_go(Page::Home);
    };
    let shots: [(&str, &dyn Fn()); 9] = [
        ("unsaid-check-in", &|| {
            c.invoke_new_check_in();
            nav.invoke_go(Page::CheckIn);
            c.set_mood(5.0);
            c.set_has_mood(true);
            c.set_more(true);
            c.set_held_back(HeldBack::ALittle);
            c.set_held_back_words("I nodded along, but the homework felt pointless.".into());
            h.settle();
            h.find("A few words about it (private)");
        }),
        ("unsaid-list", &|| {
            nav.invoke_go(Page::Prepare);
            h.settle();
            h.find("Make it a concern");
        }),
        ("unsaid-reaction", &|| {
            nav.invoke_go(Page::Prepare);
            p.set_changing_reaction(true);
            h.settle();
            h.find("It depends");
        }),
        ("unsaid-note", &|| {
            nav.invoke_go(Page::Prepare);
            p.invoke_open_session(agenda.as_str().into());
        }),
        ("unsaid-session", &|| {
            nav.invoke_go(Page::Prepare);
            p.invoke_open_session(agenda.as_str().into());
            p.set_note_open(false);
        }),
        ("unsaid-insights", &|| {
            nav.invoke_go(Page::Insights);
            h.settle();
            h.reveal_text("WHAT WENT UNSAID");
        }),
        ("other-path-deck", &|| {
            nav.invoke_go(Page::Learn);
            learn.invoke_open_deck("other-path".into());
        }),
        ("other-path-topic", &|| {
            nav.invoke_go(Page::Learn);
            learn.invoke_open_card("path-3".into());
            h.settle();
            h.click("Plan an ending");
        }),
        ("complaints", &|| learn.invoke_show_complaints()),
    ];
    let written = set.take(&shots, &reset);
    reset();
    written
}

/// Insights when the last six check-ins rate everything at 10: the soft
/// line, on the sample data with its end made all tens.
fn all_top_screens(run: &Run) -> usize {
    let mut data = sample(2);
    let n = data.check_ins.len();
    for r in &mut data.check_ins[n - 6..] {
        let b = &mut r.body;
        (b.heard, b.goals, b.approach, b.overall) = (Some(10), Some(10), Some(10), Some(10));
    }
    let h = run.harness(data);
    let ui = &h.app.window;
    run.each_look(&h, |set| {
        let shots: [(&str, &dyn Fn()); 1] = [("unsaid-all-top", &|| {
            ui.global::<Nav>().invoke_go(Page::Insights)
        })];
        set.take(&shots, &|| {})
    })
}

/// Settings > Back up and export on the sample data: the panel, each
/// export screen, "Replace it?", the therapist choice and preview, and an
/// import ready to apply and one refused.
fn data_screens(set: &Shots) -> usize {
    let h = set.h;
    use common_ground::ui::{
        DataAdapter, DataView, ExportKind, ExportSealing, ImportMessage, PeriodChoice, SaveMessage,
    };
    let ui = &h.app.window;
    let a = ui.global::<DataAdapter>();
    let reset = || {
        a.invoke_close();
        a.set_kind(ExportKind::Backup);
        a.set_path("/home/you/Documents/common-ground-2026-11-20.json".into());
        a.set_save_message(SaveMessage::None);
        a.set_import_message(ImportMessage::None);
        ui.global::<Nav>().invoke_go(Page::Settings);
    };
    let shots: [(&str, &dyn Fn()); 12] = [
        ("settings-data", &|| {
            h.settle();
            h.find("Import a backup");
        }),
        ("export", &|| a.invoke_open_export()),
        // No passphrase yet: set one here, or export without encryption.
        ("export-passphrase", &|| {
            a.invoke_open_export();
            h.settle();
            h.find("Set backup passphrase");
        }),
        ("export-plain", &|| {
            a.invoke_open_export();
            h.settle();
            h.find("Export without encryption");
        }),
        // As with a backup passphrase set (the sample store has none).
        ("export-sealed", &|| {
            a.invoke_open_export();
            a.set_sealing(ExportSealing::Passphrase);
        }),
        ("export-csv", &|| {
            a.invoke_open_export();
            a.invoke_set_kind(ExportKind::CheckIns);
            h.settle();
            h.find("Save");
        }),
        ("export-replace", &|| {
            a.invoke_open_export();
            a.invoke_set_kind(ExportKind::CheckIns);
            a.set_saved_path(a.get_path());
            a.set_save_message(SaveMessage::Exists);
            h.settle();
            h.find("Replace it");
        }),
        ("export-therapist", &|| {
            a.invoke_open_export();
            a.invoke_set_kind(ExportKind::Therapist);
        }),
        ("export-choose", &|| {
            a.invoke_open_export();
            a.invoke_set_kind(ExportKind::Therapist);
            a.invoke_choose_what_goes_in();
            a.invoke_set_period(PeriodChoice::ThreeMonths);
        }),
        ("export-preview", &|| {
            a.invoke_open_export();
            a.invoke_set_kind(ExportKind::Therapist);
            a.invoke_choose_what_goes_in();
            a.invoke_set_period(PeriodChoice::ThreeMonths);
            a.invoke_show_preview();
            a.set_saved_path(a.get_path());
            a.set_save_message(SaveMessage::Saved);
        }),
        ("import-ready", &|| {
            a.invoke_open_import();
            a.set_import_path("/home/you/Documents/common-ground-2026-11-20.json".into());
            a.set_add_check_ins(12);
            a.set_add_concerns(3);
            a.set_already_here(40);
            a.set_import_message(ImportMessage::Ready);
        }),
        ("import-bad", &|| {
            a.invoke_open_import();
            a.set_import_path("/home/you/Documents/notes.json".into());
            a.set_import_message(ImportMessage::BadFile);
        }),
    ];
    let written = set.take(&shots, &reset);
    reset();
    a.set_view(DataView::None);
    written
}

/// Settings > Backups: set up with a last backup today, the calm note for
/// a missing folder, no passphrase yet, and restore (the list, no folder
/// set, what a backup holds); the notice after nothing could be read, which
/// offers a restore; and restoring in place of a store a newer version
/// wrote. States are set on the adapters directly (no folder on this
/// machine is touched).
fn backup_screens(set: &Shots) -> usize {
    let h = set.h;
    use common_ground::ui::{
        BackupNote, BackupRow, BackupSealing, BackupsAdapter, Banner, BannerKind, Moment,
        OpenProblem, ProblemKind, RestoreStep, Status,
    };
    let ui = &h.app.window;
    let a = ui.global::<BackupsAdapter>();
    let problem = ui.global::<OpenProblem>();
    let status = ui.global::<Status>();
    let banners = status.get_banners();
    let now = common_ground::ui::Moment {
        day: common_ground::ui::CalendarDay {
            weekday: 6,
            day: 29,
            month: 11,
        },
        year: 2026,
        hour: 14,
        minute: 2,
    };
    let at = |day: i32, weekday: i32, hour: i32| Moment {
        day: common_ground::ui::CalendarDay {
            weekday,
            day,
            month: 11,
        },
        hour,
        ..now.clone()
    };
    let reset = || {
        a.set_folder("/home/you/Sync/Common Ground".into());
        a.set_device("sams-phone".into());
        a.set_sealing(BackupSealing::Passphrase);
        a.set_has_last(true);
        a.set_last_today(true);
        a.set_last(now.clone());
        a.set_kept(10);
        a.set_note(BackupNote::None);
        a.set_restore_step(RestoreStep::None);
        a.set_no_folder(false);
        a.set_in_place(false);
        problem.set_shown(false);
        status.set_banners(banners.clone());
        ui.global::<Nav>().invoke_go(Page::Settings);
    };
    let newer = || {
        problem.set_kind(ProblemKind::NewerVersion);
        problem.set_path("/home/you/.local/share/commonground/store.json".into());
        problem.set_detail("".into());
        problem.set_restorable(true);
        problem.set_shown(true);
        a.set_in_place(true);
    };
    let rows = vec![
        BackupRow {
            id: "a".into(),
            when: now.clone(),
            device: "sams-phone".into(),
            sealed: false,
            damaged: false,
            check_ins: 212,
            concerns: 31,
        },
        BackupRow {
            id: "b".into(),
            when: at(28, 5, 21),
            device: "laptop-3fa2".into(),
            sealed: true,
            damaged: false,
            check_ins: 0,
            concerns: 0,
        },
    ];
    let shots: [(&str, &dyn Fn()); 9] = [
        ("backups", &|| {
            h.settle();
            h.find("Back up now");
        }),
        ("backups-missing", &|| {
            a.set_note(BackupNote::FolderMissing);
            h.settle();
            h.find("Back up now");
        }),
        ("backups-passphrase", &|| {
            a.set_sealing(BackupSealing::NotSet);
            a.set_has_last(false);
            a.set_note(BackupNote::NeedsPassphrase);
            h.settle();
            h.find("Set backup passphrase");
        }),
        ("backups-restore", &|| {
            a.set_backups(std::rc::Rc::new(slint::VecModel::from(rows.clone())).into());
            a.set_restore_step(RestoreStep::Listing);
            h.settle();
            h.find("Close restore");
        }),
        ("backups-ready", &|| {
            a.set_holds_check_ins(212);
            a.set_holds_concerns(31);
            a.set_add_check_ins(4);
            a.set_add_concerns(1);
            a.set_restore_step(RestoreStep::Ready);
            h.settle();
            h.find("Replace my data with it");
        }),
        ("backups-restore-file", &|| {
            a.set_folder("".into());
            a.set_no_folder(true);
            a.set_backups(std::rc::Rc::new(slint::VecModel::<BackupRow>::default()).into());
            a.set_restore_step(RestoreStep::Listing);
            h.settle();
            h.find("Open this file");
        }),
        ("notice-started-empty", &|| {
            ui.global::<Nav>().invoke_go(Page::Home);
            let empty = Banner {
                kind: BannerKind::StartedEmpty,
                ..Banner::default()
            };
            status.set_banners(std::rc::Rc::new(slint::VecModel::from(vec![empty])).into());
            h.settle();
        }),
        ("cannot-open-restore", &|| {
            newer();
            h.settle();
            h.find("Open this file");
        }),
        ("cannot-open-ready", &|| {
            newer();
            a.set_holds_check_ins(212);
            a.set_holds_concerns(31);
            a.set_restore_step(RestoreStep::Ready);
            h.settle();
            h.find("Restore this backup");
        }),
    ];
    let written = set.take(&shots, &reset);
    a.set_restore_step(RestoreStep::None);
    a.set_in_place(false);
    problem.set_shown(false);
    status.set_banners(banners);
    written
}

/// Every size a screenshot is taken at, by the name its file starts with.
const SIZES: [(&str, (f32, f32)); 3] = [("phone", PHONE), ("small", SMALL), ("desktop", DESKTOP)];
/// Both themes, by the name their files carry.
const THEMES: [(&str, ThemeChoice); 2] =
    [("light", ThemeChoice::Light), ("dark", ThemeChoice::Dark)];

/// What the command line asked for: where the files go, the text size
/// (and the suffix it adds to each name), and which sizes and themes (all
/// where it named none).
struct Run<'a> {
    out: &'a std::path::Path,
    text_scale: i32,
    suffix: &'a str,
    sizes: &'a [String],
    themes: &'a [String],
}

impl Run<'_> {
    /// The app on `data`, at the text size asked for.
    fn harness(&self, data: common_ground::core::model::Data) -> Harness {
        let h = Harness::with_data(data);
        h.set_text_scale(self.text_scale);
        h
    }

    /// Runs `take` in each wanted size and theme (the window resized and
    /// in that theme) with the [`Shots`] that write there; returns how
    /// many screenshots it wrote in all.
    fn each_look(&self, h: &Harness, take: impl Fn(&Shots) -> usize) -> usize {
        let wanted =
            |list: &[String], name: &str| list.is_empty() || list.iter().any(|n| n == name);
        let mut written = 0;
        for (size_name, size) in SIZES.into_iter().filter(|(n, _)| wanted(self.sizes, n)) {
            for (theme_name, choice) in THEMES.into_iter().filter(|(n, _)| wanted(self.themes, n)) {
                h.resize(size);
                h.app
                    .window
                    .global::<SettingsAdapter>()
                    .invoke_set_theme(choice);
                written += take(&Shots {
                    h,
                    out: self.out,
                    size,
                    size_name,
                    theme_name,
                    suffix: self.suffix,
                });
            }
        }
        written
    }
}

/// `years` of sample data, as `sample-data` makes it, up to 20 November
/// 2026.
fn sample(years: u32) -> common_ground::core::model::Data {
    use common_ground::core::sample::{generate, Spec};
    let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    generate(Spec::weekly(years, end))
}

/// One size and theme of a set of screenshots, and where they go.
struct Shots<'a> {
    h: &'a Harness,
    out: &'a std::path::Path,
    size: (f32, f32),
    size_name: &'a str,
    theme_name: &'a str,
    suffix: &'a str,
}

impl Shots<'_> {
    /// Takes each screen of `shots` (after `reset`, at this size) and
    /// writes it as `SIZE-THEME-SCREEN.png`; returns how many.
    fn take(&self, shots: &[(&str, &dyn Fn())], reset: &dyn Fn()) -> usize {
        let (h, size_name, theme_name, suffix) =
            (self.h, self.size_name, self.theme_name, self.suffix);
        for (screen, show) in shots {
            h.resize(self.size);
            reset();
            show();
            h.settle();
            h.screenshot(
                &self
                    .out
                    .join(format!("{size_name}-{theme_name}-{screen}{suffix}.png")),
            );
        }
        shots.len()
    }
}

struct SampleIds {
    ready: String,
    settled: String,
    draft: String,
}

/// Three concerns made through the Prepare adapter as a user would: one
/// raised and settled, one waiting for the next session, one draft.
fn prepare_samples(h: &Harness) -> SampleIds {
    let p = h.app.window.global::<PrepareAdapter>();
    let newest = || h.app.with_data(|d| d.concerns.last().unwrap().id.clone());
    let fill = |topic: Topic, happened: &str, matters: &str, would_like: &str, way: RaiseWay| {
        p.invoke_start();
        p.invoke_toggle_topic(topic);
        p.invoke_next();
        p.set_what_happened(happened.into());
        p.invoke_set_text(ConcernField::WhatHappened, happened.into());
        p.invoke_next();
        p.invoke_toggle_feeling("frustrated".into());
        p.invoke_toggle_feeling("unheard".into());
        p.set_intensity(3.0);
        p.invoke_set_intensity(3.0);
        p.invoke_next();
        p.set_what_matters(matters.into());
        p.invoke_set_text(ConcernField::WhatMatters, matters.into());
        p.set_would_like(would_like.into());
        p.invoke_set_text(ConcernField::WouldLike, would_like.into());
        p.invoke_next();
        p.invoke_set_way(way);
        p.invoke_next();
        p.invoke_next();
    };
    fill(
        Topic::Homework,
        "When I said the worksheet felt pointless, she moved straight on.",
        "That my doubts are taken seriously",
        "Talk about whether the worksheets help me",
        RaiseWay::AskToExplain,
    );
    p.invoke_save();
    let settled = newest();
    p.invoke_open_session(settled.as_str().into());
    p.invoke_raised();
    p.invoke_set_response(Response::ChangedPlan);
    p.set_feel_now(8.0);
    p.set_has_feel_now(true);
    p.set_outcome_note("We swapped the worksheets for a short voice note.".into());
    p.invoke_set_settled(true);
    p.invoke_save_outcome();
    fill(
        Topic::Pace,
        "Last week we jumped to my childhood before I had finished talking about work.",
        "Being able to finish a thought",
        "Slow down and check in with me before changing topic",
        RaiseWay::WorkOutChange,
    );
    p.invoke_save();
    let ready = newest();
    fill(
        Topic::NotHeard,
        "I mentioned the move twice and it did not come up again.",
        "Feeling that what is big for me gets space",
        "Ten minutes on the move next time",
        RaiseWay::SayHowIFeel,
    );
    let draft = newest();
    p.invoke_leave();
    h.settle();
    SampleIds {
        ready,
        settled,
        draft,
    }
}
