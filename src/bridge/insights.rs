//! Insights page adapter (and the nudge on Home): charts as path commands,
//! figures, most used tags, "did raising it help?" and the nudge. The
//! numbers come from `core::insights`; the words are Slint's.

use std::fmt::Write;
use std::rc::Rc;

use super::clock::moment;
use chrono::Local;
use slint::ComponentHandle;

use super::prepare::sync;
use super::{Ctx, Dirty};
use crate::core::checkin;
use crate::core::insights::{self, Metric, Range};
use crate::core::model::{CheckIn, Item, Record};
use crate::core::prepare;
use crate::ui::{
    AppWindow, ChartData, Figure, InsightsAdapter, InsightsRange, Measure, RaisedEffect, TagCount,
};

/// The most points a chart draws; longer ranges are averaged down to this.
pub const MAX_POINTS: usize = 60;
/// How many "did raising it help?" lines are shown (most recent first).
const EFFECTS: usize = 8;
const TAGS: usize = 5;

fn measure(m: Metric) -> Measure {
    match m {
        Metric::Mood => Measure::Mood,
        Metric::Item(i) => item_measure(i),
    }
}

fn item_measure(i: Item) -> Measure {
    match i {
        Item::Heard => Measure::Heard,
        Item::Goals => Measure::Goals,
        Item::Approach => Measure::Approach,
        Item::Overall => Measure::Overall,
    }
}

fn range(r: InsightsRange) -> Range {
    match r {
        InsightsRange::Last10 => Range::Last10,
        InsightsRange::Last30 => Range::Last30,
        InsightsRange::All => Range::All,
    }
}

fn tenths(v: Option<u32>) -> f32 {
    v.map_or(-1.0, |v| v as f32 / 10.0)
}

/// The chart for one metric: path commands over a `100 * aspect` x 100
/// box, where `aspect` is the plot's width over its height.
pub(super) fn chart(ordered: &[&Record<CheckIn>], m: Metric, r: Range, aspect: f32) -> ChartData {
    let s = insights::series(ordered, m, r, MAX_POINTS);
    let span = (s.count.saturating_sub(1) * 10).max(1) as f32;
    let width = 100.0 * aspect.clamp(0.5, 20.0);
    let mut commands = String::with_capacity(s.points.len() * 14);
    for (i, p) in s.points.iter().enumerate() {
        let x = p.x10 as f32 / span * width;
        let y = 100.0 - p.value10 as f32;
        let _ = write!(
            commands,
            "{} {x:.1} {y:.1} ",
            if i == 0 { "M" } else { "L" }
        );
    }
    // The dates of the first and last answers in range.
    let answered = ordered.iter().filter(|c| m.of(&c.body).is_some());
    let first = answered.clone().rev().take(s.count).last();
    let last = answered.clone().next_back();
    let date = |c: Option<&&Record<CheckIn>>| c.map(|c| moment(c.body.when)).unwrap_or_default();
    ChartData {
        measure: measure(m),
        commands: commands.trim_end().into(),
        viewbox_width: width,
        dot_x: width / 2.0,
        dot_y: 100.0 - s.last10.unwrap_or(0) as f32,
        count: s.count as i32,
        first: tenths(s.first10),
        last: tenths(s.last10),
        lowest: s.min.map_or(-1, i32::from),
        highest: s.max.map_or(-1, i32::from),
        mean: tenths(s.mean10),
        first_day: date(first),
        last_day: date(last),
    }
}

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<InsightsAdapter>();
    let weak = Rc::downgrade(ctx);
    let w = weak.clone();
    a.on_set_range(move |r| {
        let Some(ctx) = w.upgrade() else { return };
        if let Some(ui) = ctx.window.upgrade() {
            ui.global::<InsightsAdapter>().set_range(r);
        }
        ctx.refresh(Dirty::INSIGHTS);
    });
    let w = weak.clone();
    a.on_plot_aspect(move |aspect| {
        let Some(ctx) = w.upgrade() else { return };
        let old = ctx.plot_aspect.get();
        // Only a real change redraws (every chart reports the same size).
        if aspect > 0.0 && (aspect - old).abs() > old * 0.01 {
            ctx.plot_aspect.set(aspect);
            ctx.refresh(Dirty::INSIGHTS);
        }
    });
    let w = weak.clone();
    a.on_put_into_words(move || {
        let Some(ctx) = w.upgrade() else { return };
        let Some(n) = insights::nudge(ctx.store.borrow().data()) else {
            return;
        };
        // Acting on the nudge answers it: it does not come back for this dip.
        ctx.change_soon(Dirty::INSIGHTS, |d| insights::dismiss(d, &n));
        super::prepare::start_concern(&ctx, insights::topic_for_item(n.item));
    });
    let w = weak;
    a.on_dismiss_nudge(move || {
        let Some(ctx) = w.upgrade() else { return };
        let Some(n) = insights::nudge(ctx.store.borrow().data()) else {
            return;
        };
        ctx.change_soon(Dirty::INSIGHTS, |d| insights::dismiss(d, &n));
    });
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<InsightsAdapter>();
    let store = ctx.store.borrow();
    let data = store.data();
    let ordered = checkin::ordered(data);
    a.set_total(ordered.len() as i32);

    let r = range(a.get_range());
    let charts: Vec<ChartData> = if ordered.is_empty() {
        Vec::new()
    } else {
        let aspect = ctx.plot_aspect.get();
        Metric::ALL
            .iter()
            .map(|&m| chart(&ordered, m, r, aspect))
            .collect()
    };
    sync(|| a.get_charts(), |m| a.set_charts(m), charts);

    let figures: Vec<Figure> = Metric::ALL
        .iter()
        .map(|&m| {
            let f = insights::figures(&ordered, m);
            Figure {
                measure: measure(m),
                latest: f.latest.map_or(-1, i32::from),
                change: f.change.unwrap_or(0),
                has_change: f.change.is_some(),
                last_four: tenths(f.last4_avg10),
                four_before: tenths(f.before4_avg10),
            }
        })
        .collect();
    sync(|| a.get_figures(), |m| a.set_figures(m), figures);

    let tags: Vec<TagCount> = insights::top_tags(data, TAGS)
        .into_iter()
        .map(|(t, n)| TagCount {
            text: t.into(),
            count: n as i32,
        })
        .collect();
    sync(|| a.get_tags(), |m| a.set_tags(m), tags);

    let effects: Vec<RaisedEffect> =
        insights::effects(data, &|t| t.with_timezone(&Local).naive_local())
            .into_iter()
            .take(EFFECTS)
            .filter_map(|e| {
                let c = prepare::find(data, &e.concern)?;
                Some(RaisedEffect {
                    title: prepare::title(&ctx.prepare, &c.body, 60).into(),
                    measure: item_measure(e.item),
                    day: moment(e.raised),
                    before: e.before_avg10 as f32 / 10.0,
                    before_count: e.before_n as i32,
                    after: e.after_avg10 as f32 / 10.0,
                    after_count: e.after_n as i32,
                })
            })
            .collect();
    sync(|| a.get_effects(), |m| a.set_effects(m), effects);

    match insights::nudge(data) {
        Some(n) => {
            a.set_nudge_measure(item_measure(n.item));
            a.set_has_nudge(true);
        }
        None => a.set_has_nudge(false),
    }
}
