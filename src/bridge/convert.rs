//! The same ideas named in the core and in the UI: conversions between the
//! core's types and the generated Slint enums and structs.

use crate::core::help;
use crate::core::model::{self, ConcernState, HeldBack, RaiseWay, Reaction, Response, Topic};
use crate::core::prepare::Field;
use crate::ui::{self, ConcernField};

impl From<&help::HelpLine> for ui::HelpLine {
    fn from(l: &help::HelpLine) -> Self {
        ui::HelpLine {
            name: l.name.as_str().into(),
            contact: l.contact.as_str().into(),
            detail: l.detail.as_str().into(),
        }
    }
}

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

pub(crate) fn ui_state(s: ConcernState) -> ui::ConcernState {
    match s {
        ConcernState::Draft => ui::ConcernState::Draft,
        ConcernState::Ready => ui::ConcernState::Ready,
        ConcernState::Raised => ui::ConcernState::Raised,
        ConcernState::Settled => ui::ConcernState::Settled,
        ConcernState::SetAside => ui::ConcernState::SetAside,
    }
}

pub(crate) fn core_field(f: ConcernField) -> Field {
    match f {
        ConcernField::OtherTopic => Field::OtherTopic,
        ConcernField::WhatHappened => Field::WhatHappened,
        ConcernField::WhatMatters => Field::WhatMatters,
        ConcernField::WouldLike => Field::WouldLike,
        ConcernField::Opener => Field::Opener(0),
        ConcernField::OwnOpener => Field::OwnOpener,
        ConcernField::OutcomeNote => Field::OutcomeNote,
    }
}

pub(crate) fn ui_field(f: Field) -> ConcernField {
    match f {
        Field::OtherTopic => ConcernField::OtherTopic,
        Field::WhatHappened => ConcernField::WhatHappened,
        Field::WhatMatters => ConcernField::WhatMatters,
        Field::WouldLike => ConcernField::WouldLike,
        Field::Opener(_) => ConcernField::Opener,
        Field::OwnOpener => ConcernField::OwnOpener,
        Field::OutcomeNote => ConcernField::OutcomeNote,
    }
}

/// Pairs of the same values in the core and the UI, for enums whose
/// conversion goes both ways.
macro_rules! both_ways {
    ($to_ui:ident, $to_core:ident, $core:ident, $ui:ident, [$($v:ident),* $(,)?]) => {
        pub(crate) fn $to_ui(v: $core) -> ui::$ui {
            match v {
                $($core::$v => ui::$ui::$v,)*
            }
        }
        pub(crate) fn $to_core(v: ui::$ui) -> $core {
            match v {
                $(ui::$ui::$v => $core::$v,)*
            }
        }
    };
}

both_ways!(
    ui_way,
    core_way,
    RaiseWay,
    RaiseWay,
    [SayHowIFeel, AskToExplain, WorkOutChange, SecondOpinion]
);
both_ways!(
    ui_response,
    core_response,
    Response,
    Response,
    [Listened, Explained, ChangedPlan, Disagreed, SomethingElse]
);
both_ways!(
    ui_topic,
    core_topic,
    Topic,
    Topic,
    [
        Approach,
        Homework,
        SomethingSaid,
        Goals,
        Pace,
        Practical,
        NotHeard,
        StoppingOrChanging,
        Ethics,
        Other
    ]
);

/// "Anything you held back?" in the UI, where not answering is a value.
pub(crate) fn ui_held_back(h: Option<HeldBack>) -> ui::HeldBack {
    match h {
        None => ui::HeldBack::Unanswered,
        Some(HeldBack::No) => ui::HeldBack::No,
        Some(HeldBack::ALittle) => ui::HeldBack::ALittle,
        Some(HeldBack::Yes) => ui::HeldBack::Yes,
    }
}

pub(crate) fn core_held_back(h: ui::HeldBack) -> Option<HeldBack> {
    match h {
        ui::HeldBack::Unanswered => None,
        ui::HeldBack::No => Some(HeldBack::No),
        ui::HeldBack::ALittle => Some(HeldBack::ALittle),
        ui::HeldBack::Yes => Some(HeldBack::Yes),
    }
}

/// How the user tends to react, in the UI, where not answering yet is a
/// value.
pub(crate) fn ui_reaction(r: Option<Reaction>) -> ui::Reaction {
    match r {
        None => ui::Reaction::Unanswered,
        Some(Reaction::GoQuiet) => ui::Reaction::GoQuiet,
        Some(Reaction::SaySo) => ui::Reaction::SaySo,
        Some(Reaction::Depends) => ui::Reaction::Depends,
    }
}

pub(crate) fn core_reaction(r: ui::Reaction) -> Option<Reaction> {
    match r {
        ui::Reaction::Unanswered => None,
        ui::Reaction::GoQuiet => Some(Reaction::GoQuiet),
        ui::Reaction::SaySo => Some(Reaction::SaySo),
        ui::Reaction::Depends => Some(Reaction::Depends),
    }
}

impl From<ui::DayStep> for crate::core::days::DayStep {
    fn from(step: ui::DayStep) -> Self {
        use crate::core::days::DayStep as Core;
        match step {
            ui::DayStep::PreviousDay => Core::PreviousDay,
            ui::DayStep::NextDay => Core::NextDay,
            ui::DayStep::PreviousWeek => Core::PreviousWeek,
            ui::DayStep::NextWeek => Core::NextWeek,
            ui::DayStep::PreviousMonth => Core::PreviousMonth,
            ui::DayStep::NextMonth => Core::NextMonth,
            ui::DayStep::Tomorrow => Core::Tomorrow,
            ui::DayStep::InAWeek => Core::InAWeek,
            ui::DayStep::InTwoWeeks => Core::InTwoWeeks,
            ui::DayStep::InAMonth => Core::InAMonth,
        }
    }
}

pub(crate) fn ui_refusal(r: Option<crate::core::days::Refusal>) -> ui::DayRefusal {
    use crate::core::days::Refusal;
    match r {
        None => ui::DayRefusal::None,
        Some(Refusal::BeforeToday) => ui::DayRefusal::BeforeToday,
        Some(Refusal::TooFar) => ui::DayRefusal::TooFar,
    }
}
