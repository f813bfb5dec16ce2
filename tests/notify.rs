//! Session reminders reach the desktop's notification service with neutral
//! words only, at their moments, and a click on one opens the matching
//! screen: the whole path, from the app's reminder timer through
//! `notify-rust` and D-Bus and back.
//!
//! The test starts its own private session bus (`dbus-daemon --session`)
//! with a stand-in for the freedesktop notification service on it (a small
//! zbus service that records what it is asked to show and can "click"),
//! so it needs no desktop and never shows anything on a real one. Where no
//! bus can be started (no `dbus-daemon`), it says so and passes.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{Local, NaiveDateTime, SubsecRound, Utc};
use common_ground::bridge::App;
use common_ground::core::model::{CheckIn, Concern, Data};
use common_ground::core::sessions::{instant, Schedule, SessionsState};
use common_ground::core::store::Store;
use common_ground::ui::{CheckInAdapter, Nav, Page};
use slint::ComponentHandle;

/// A private bus, stopped when dropped.
struct Bus(Child);

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_bus() -> Result<(Bus, String), String> {
    let mut child = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("dbus-daemon cannot be run ({e})"))?;
    let stdout = child.stdout.take().ok_or("no output from dbus-daemon")?;
    let bus = Bus(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("dbus-daemon said nothing ({e})"))?;
    let address = line.trim().to_string();
    if address.is_empty() {
        return Err("dbus-daemon gave no address".into());
    }
    Ok((bus, address))
}

/// What the stand-in service was asked to show.
#[derive(Debug, Clone)]
struct Shown {
    id: u32,
    app_name: String,
    summary: String,
    body: String,
    actions: Vec<String>,
    hints: String,
}

struct StandIn {
    shown: mpsc::Sender<Shown>,
    last_id: AtomicU32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl StandIn {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let id = self.last_id.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = self.shown.send(Shown {
            id,
            app_name,
            summary,
            body,
            actions,
            hints: format!("{hints:?}"),
        });
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        let info = ["stand-in", "common-ground tests", "1", "1.2"];
        info.map(String::from).into()
    }

    fn close_notification(&self, _id: u32) {}
}

/// Says on the terminal (not into the captured test output) why the test
/// did not run.
fn skip(why: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED tests/notify.rs: no private session bus could be started: {why}"
    );
}

/// Words the user wrote, which no notification may show.
const PRIVATE: [&str; 4] = ["kept checking the clock", "clock", "therapist", "homework"];

/// Two one-off sessions around "now": A started 58 s ago and ends in 2 s
/// (its "after" reminder, 0 minutes after the end, is due then); B starts
/// in 75 s (its "before" reminder, a minute ahead, is due in 15 s). Plus a
/// check-in note and a concern, the private words.
fn rhythm(now: NaiveDateTime) -> (Data, NaiveDateTime, NaiveDateTime) {
    let a = now - chrono::Duration::seconds(58);
    let b = now + chrono::Duration::seconds(75);
    let mut sessions = SessionsState {
        schedule: Some(Schedule::one_off(vec![a, b], 1, "t".into())),
        ..Default::default()
    };
    sessions.reminders.before.on = true;
    sessions.reminders.before.minutes = 1;
    sessions.reminders.after.on = true;
    sessions.reminders.after.minutes = 0;
    let mut data = Data {
        sessions,
        ..Default::default()
    };
    let check_in = CheckIn {
        when: now - chrono::Duration::days(7),
        mood: 4,
        note: "My therapist kept checking the clock".into(),
        ..Default::default()
    };
    let check_in = data.new_record(check_in, Utc::now());
    data.check_ins.push(check_in);
    let concern = Concern {
        what_happened: "The homework felt pointless".into(),
        ..Default::default()
    };
    let concern = data.new_record(concern, Utc::now());
    data.concerns.push(concern);
    (data, a, b)
}

/// Lets wall-clock time pass until `at`, then Slint's timers catch up
/// (the testing backend's timers run on mock time).
fn run_until(at: chrono::DateTime<Utc>) {
    while Utc::now() < at {
        std::thread::sleep(Duration::from_millis(20));
    }
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(60));
}

#[test]
fn reminders_show_neutral_words_at_their_moments_and_a_click_opens_the_screen() {
    let (_bus, address) = match start_bus() {
        Ok(b) => b,
        Err(why) => return skip(&why),
    };
    // The only test in this binary, so nothing else reads the variable;
    // notify-rust connects to the bus it names.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);

    let (shown_tx, shown_rx) = mpsc::channel();
    let service = zbus::block_on(async {
        zbus::connection::Builder::address(address.as_str())?
            .name("org.freedesktop.Notifications")?
            .serve_at(
                "/org/freedesktop/Notifications",
                StandIn {
                    shown: shown_tx,
                    last_id: AtomicU32::new(0),
                },
            )?
            .build()
            .await
    })
    .expect("the stand-in service starts on the private bus");

    i_slint_backend_testing::init_no_event_loop();
    let now = Local::now().naive_local().trunc_subsecs(0);
    let (data, a, b) = rhythm(now);
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("data")).unwrap();
    store.update(|d| *d = data).unwrap();
    let app = App::with_store_in_locale(store, &["en-GB"]).unwrap();
    let nav = app.window.global::<Nav>();

    let click = |shown: &Shown, page: Page| {
        // The user clicks it; the service says so until the app has
        // listened (it subscribes just after showing).
        let deadline = Instant::now() + Duration::from_secs(20);
        while nav.get_current() != page {
            zbus::block_on(service.emit_signal(
                None::<&str>,
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications",
                "ActionInvoked",
                &(shown.id, "default"),
            ))
            .unwrap();
            let until = Instant::now() + Duration::from_millis(200);
            while Instant::now() < until && nav.get_current() != page {
                std::thread::sleep(Duration::from_millis(10));
                app.pick_up_finished_work();
            }
            assert!(Instant::now() < deadline, "the click never came back");
        }
    };
    let check = |shown: &Shown| {
        assert_eq!(shown.app_name, "Common Ground");
        assert!(
            shown.actions.chunks(2).any(|a| a[0] == "default"),
            "{shown:?}"
        );
        let all = format!("{} {} {}", shown.summary, shown.body, shown.hints).to_lowercase();
        for word in PRIVATE {
            assert!(!all.contains(word), "{word:?} shown: {shown:?}");
        }
    };

    // Nothing before its moment.
    assert!(shown_rx.recv_timeout(Duration::from_millis(500)).is_err());

    // A's "after" reminder: the open question, nothing else.
    run_until(instant(&Local, a) + chrono::Duration::seconds(61));
    let after = shown_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the stand-in service saw the reminder after A");
    check(&after);
    assert_eq!(after.summary, "Time for your check-in?");
    assert_eq!(after.body, "");
    // Its click opens a check-in for session A.
    click(&after, Page::CheckIn);
    let form = app.window.global::<CheckInAdapter>();
    assert_eq!(form.get_date_text(), a.format("%Y-%m-%d").to_string());
    assert_eq!(form.get_time_text(), a.format("%H:%M").to_string());

    // B's "before" reminder: the neutral title and the time only.
    run_until(instant(&Local, b) - chrono::Duration::seconds(59));
    let before = shown_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the stand-in service saw the reminder before B");
    check(&before);
    assert_eq!(before.summary, "Appointment");
    assert_eq!(before.body, format!("At {}", b.format("%H:%M")));
    // Its click opens the agenda.
    click(&before, Page::Prepare);

    // One notification per reminder, no more.
    assert!(shown_rx.recv_timeout(Duration::from_millis(500)).is_err());
}
