//! Insights page adapter (and the nudge on Home): charts as path commands,
//! figures, most used tags, "did raising it help?" and the nudge. The
//! numbers come from `core::insights`; the words are Slint's.

use std::fmt::Write;
use std::rc::Rc;

use super::clock::moment;
use chrono::Local;
use slint::ComponentHandle;

use std::cell::Cell;

use slint::VecModel;

use super::changes::Slices;
use super::convert::ui_topic;
use super::rows::{bound, list, shown, sync_rows};
use super::shared::{act, act1, Page, Shared};
use crate::core::checkin;
use crate::core::insights::{self, Metric, Range};
use crate::core::model::{CheckIn, Data, Item, Record};
use crate::core::prepare;
use crate::core::unsaid;
use crate::ui::{
    AppWindow, ChartData, ChartPoint, Figure, InsightsAdapter, InsightsRange, Measure,
    PrepareAdapter, RaisedEffect, TagCount,
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

/// An average in tenths as the UI shows it (0 when there is none: the UI
/// says so from `count` or a `has-*` flag).
fn tenths(v: Option<u32>) -> f32 {
    v.map_or(0.0, |v| v as f32 / 10.0)
}

/// The most characters of a concern's title in "Did raising it help?"
/// (shown whole, on at most two lines).
const EFFECT_TITLE_CHARS: usize = 200;

/// The chart for one metric: path commands over a `100 * aspect` x 100
/// box, where `aspect` is the plot's width over its height. Its drawn
/// points go into `points` (the chart's own long-lived model).
fn chart(
    ordered: &[&Record<CheckIn>],
    m: Metric,
    r: Range,
    aspect: f32,
    points: &Rc<VecModel<ChartPoint>>,
) -> ChartData {
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
    // Each drawn point, with the days of the check-ins it stands for, so a
    // tap or the arrow keys can tell its date and value.
    let in_range: Vec<&&Record<CheckIn>> = {
        let all: Vec<_> = answered.collect();
        all[all.len().saturating_sub(s.count)..].to_vec()
    };
    sync_rows(
        points,
        s.points.iter().map(|p| ChartPoint {
            x: p.x10 as f32 / span,
            value: p.value10 as f32 / 10.0,
            n: p.n as i32,
            first_day: date(in_range.get(p.first).copied()),
            last_day: date(in_range.get(p.first + p.n.saturating_sub(1)).copied()),
        }),
    );
    let drawn = s.points.iter().map(|p| p.value10);
    ChartData {
        measure: measure(m),
        points: shown(points),
        averaged: s.points.len() < s.count,
        per_point: s.count.div_ceil(s.points.len().max(1)) as i32,
        drawn_low: tenths(drawn.clone().min()),
        drawn_high: tenths(drawn.max()),
        commands: commands.trim_end().into(),
        viewbox_width: width,
        dot_x: width / 2.0,
        dot_y: 100.0 - s.last10.unwrap_or(0) as f32,
        count: s.count as i32,
        first: tenths(s.first10),
        last: tenths(s.last10),
        lowest: s.min.map_or(0, i32::from),
        highest: s.max.map_or(0, i32::from),
        mean: tenths(s.mean10),
        first_day: date(first),
        last_day: date(last),
    }
}

pub(crate) struct InsightsPage {
    shared: Rc<Shared>,
    /// The plot's width over its height (the charts are drawn to fit it).
    plot_aspect: Cell<f32>,
    /// One chart per measure (none before the first check-in).
    charts: Rc<VecModel<ChartData>>,
    /// Each chart's drawn points, by measure (in `Metric::ALL` order).
    points: Vec<Rc<VecModel<ChartPoint>>>,
    /// The latest answer and the averages, per measure.
    figures: Rc<VecModel<Figure>>,
    /// The most used tags.
    tags: Rc<VecModel<TagCount>>,
    /// "Did raising it help?", most recent first.
    effects: Rc<VecModel<RaisedEffect>>,
}

impl InsightsPage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<InsightsPage> {
        let a = ui.global::<InsightsAdapter>();
        let page = Rc::new(InsightsPage {
            shared: shared.clone(),
            plot_aspect: Cell::new(2.25),
            charts: bound(|m| a.set_charts(m)),
            points: Metric::ALL.iter().map(|_| list()).collect(),
            figures: bound(|m| a.set_figures(m)),
            tags: bound(|m| a.set_tags(m)),
            effects: bound(|m| a.set_effects(m)),
        });
        a.on_set_range(act1(&page, |p, r| {
            p.shared
                .in_window(|ui| ui.global::<InsightsAdapter>().set_range(r));
            p.redraw();
        }));
        a.on_plot_aspect(act1(&page, |p, aspect: f32| {
            let old = p.plot_aspect.get();
            // Only a real change redraws (every chart reports the same
            // size).
            if aspect > 0.0 && (aspect - old).abs() > old * 0.01 {
                p.plot_aspect.set(aspect);
                p.redraw();
            }
        }));
        a.on_put_into_words(act(&page, |p| {
            // Acting on the nudge answers it: it does not come back for
            // this dip.
            let Some(n) = p.answer(insights::nudge, insights::dismiss) else {
                return;
            };
            p.shared.in_window(|ui| {
                let prepare = ui.global::<PrepareAdapter>();
                match insights::topic_for_item(n.item) {
                    Some(t) => prepare.invoke_start_with(ui_topic(t)),
                    None => prepare.invoke_start(),
                }
            });
        }));
        a.on_dismiss_all_top(act(&page, |p| {
            p.answer(insights::all_top_line, |d, start| {
                insights::dismiss_all_top(d, start)
            });
        }));
        a.on_never_all_top(act(&page, |p| {
            p.shared
                .change_soon(Slices::INSIGHTS, insights::never_all_top);
        }));
        a.on_dismiss_nudge(act(&page, |p| {
            p.answer(insights::nudge, insights::dismiss);
        }));
        shared.subscribe(
            &page,
            Slices::CHECK_INS | Slices::CONCERNS | Slices::INSIGHTS | Slices::STORE,
        );
        page
    }

    /// Answers the line `find` finds (when one is shown) with `answer`,
    /// so that it does not come back; returns what was answered.
    fn answer<T>(
        &self,
        find: impl FnOnce(&Data) -> Option<T>,
        answer: impl FnOnce(&mut Data, &T),
    ) -> Option<T> {
        let line = self.shared.data(find)?;
        self.shared
            .change_soon(Slices::INSIGHTS, |d| answer(d, &line));
        Some(line)
    }

    fn redraw(&self) {
        self.shared.note_use();
        self.shared
            .in_window(|ui| self.refresh(ui, Slices::INSIGHTS));
    }
}

impl Page for InsightsPage {
    fn refresh(&self, ui: &AppWindow, _: Slices) {
        let a = ui.global::<InsightsAdapter>();
        let store = self.shared.store.borrow();
        let data = store.data();
        let ordered = checkin::ordered(data);
        a.set_total(ordered.len() as i32);

        let r = range(a.get_range());
        let aspect = self.plot_aspect.get();
        let charts = (!ordered.is_empty())
            .then(|| {
                Metric::ALL
                    .iter()
                    .zip(&self.points)
                    .map(|(&m, points)| chart(&ordered, m, r, aspect, points))
            })
            .into_iter()
            .flatten();
        sync_rows(&self.charts, charts);

        sync_rows(
            &self.figures,
            Metric::ALL.iter().map(|&m| {
                let f = insights::figures(&ordered, m);
                Figure {
                    measure: measure(m),
                    latest: f.latest.map_or(0, i32::from),
                    change: f.change.unwrap_or(0),
                    has_change: f.change.is_some(),
                    last_four: tenths(f.last4_avg10),
                    has_last_four: f.last4_avg10.is_some(),
                    four_before: tenths(f.before4_avg10),
                    has_four_before: f.before4_avg10.is_some(),
                }
            }),
        );

        sync_rows(
            &self.tags,
            insights::top_tags(data, TAGS)
                .into_iter()
                .map(|(t, n)| TagCount {
                    text: t.into(),
                    count: n as i32,
                }),
        );

        let content = &self.shared.prepare;
        sync_rows(
            &self.effects,
            insights::effects(data, &|t| t.with_timezone(&Local).naive_local())
                .into_iter()
                .take(EFFECTS)
                .filter_map(|e| {
                    let c = prepare::find(data, &e.concern)?;
                    Some(RaisedEffect {
                        title: prepare::title(content, &c.body, EFFECT_TITLE_CHARS).into(),
                        measure: item_measure(e.item),
                        day: moment(e.raised),
                        before: e.before_avg10 as f32 / 10.0,
                        before_count: e.before_n as i32,
                        after: e.after_avg10 as f32 / 10.0,
                        after_count: e.after_n as i32,
                    })
                }),
        );

        let held = unsaid::held_back_count(data);
        a.set_held_window(held.window as i32);
        a.set_held_answered(held.answered as i32);
        a.set_held_count(held.held() as i32);
        a.set_all_top(insights::all_top_line(data).is_some());

        match insights::nudge(data) {
            Some(n) => {
                a.set_nudge_measure(item_measure(n.item));
                a.set_has_nudge(true);
            }
            None => a.set_has_nudge(false),
        }
    }
}
