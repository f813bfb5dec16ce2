//! Checks the shipped content: Learn (`assets/cards.json`) and urgent help
//! (`assets/help.json`).

mod readability;

use common_ground::core::cards::{self, Action, Library, REQUIRED_DECKS};
use readability::{card_ease, deck_ease, library_ease};

/// About two minutes at 230 words a minute.
const FIRST_DECK_MAX_WORDS: usize = 450;
const MIN_READING_EASE: f64 = 60.0;

fn library() -> Library {
    Library::parse(cards::BUILTIN_CARDS).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn builtin_content_parses() {
    let lib = Library::builtin();
    assert_eq!(lib, library());
}

#[test]
fn builtin_content_has_no_problems() {
    let problems = library().validate();
    let listed: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
    assert!(
        problems.is_empty(),
        "assets/cards.json has {} problem(s):\n{}",
        problems.len(),
        listed.join("\n")
    );
}

#[test]
fn required_decks_come_in_order() {
    let lib = library();
    let ids: Vec<&str> = lib.decks.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, REQUIRED_DECKS);
}

#[test]
fn decks_have_four_to_eight_cards() {
    for deck in &library().decks {
        assert!(
            (4..=8).contains(&deck.cards.len()),
            "deck '{}' has {} cards",
            deck.id,
            deck.cards.len()
        );
    }
}

#[test]
fn how_to_raise_offers_start_concern_at_least_twice() {
    let lib = library();
    let deck = lib.deck("how-to-raise").expect("how-to-raise deck");
    let with_action = deck
        .cards
        .iter()
        .filter(|c| c.actions().any(|a| *a == Action::StartConcern))
        .count();
    assert!(
        with_action >= 2,
        "only {with_action} card(s) start a concern"
    );
}

#[test]
fn more_than_disagreement_links_to_urgent_help() {
    let lib = library();
    let deck = lib.deck("more-than-disagreement").expect("deck");
    assert!(deck
        .cards
        .iter()
        .any(|c| c.actions().any(|a| *a == Action::UrgentHelp)));
}

#[test]
fn first_deck_reads_in_under_two_minutes() {
    let lib = library();
    let words = lib.deck("ok-to-disagree").expect("deck").reading_words();
    assert!(
        words <= FIRST_DECK_MAX_WORDS,
        "ok-to-disagree has {words} words; keep it to {FIRST_DECK_MAX_WORDS}"
    );
}

#[test]
fn content_is_easy_to_read() {
    let lib = library();
    for deck in &lib.decks {
        println!(
            "{:<24} {} cards, {:>4} words, reading ease {:.1}",
            deck.id,
            deck.cards.len(),
            deck.reading_words(),
            deck_ease(deck)
        );
        for card in &deck.cards {
            println!("    {:<14} {:.1}", card.id, card_ease(card));
        }
    }
    let overall = library_ease(&lib);
    println!("average reading ease {overall:.1}");
    assert!(
        overall >= MIN_READING_EASE,
        "average reading ease {overall:.1} is below {MIN_READING_EASE}"
    );
}

#[test]
fn text_uses_plain_characters_and_tone() {
    // A basic font has these; curly quotes and dashes are easy to paste in.
    let odd: Vec<char> = cards::BUILTIN_CARDS
        .chars()
        .filter(|c| !c.is_ascii())
        .collect();
    assert!(odd.is_empty(), "non-ASCII characters: {odd:?}");
    for card in library().cards() {
        let text = format!(
            "{} {} {}",
            card.title,
            card.body,
            card.try_this.as_deref().unwrap_or("")
        );
        assert!(!text.contains('!'), "card '{}' uses '!'", card.id);
        for american in ["organization", "judgment", "judgmental", "behavior"] {
            assert!(
                !text.to_lowercase().contains(american),
                "card '{}' uses US spelling '{american}'",
                card.id
            );
        }
    }
}

// ------------------------------------------------------------ Prepare

mod prepare_content {
    use common_ground::core::cards::{self, Action, Library};
    use common_ground::core::model::{RaiseWay, Topic};
    use common_ground::core::prepare::{
        self, PrepareContent, ALL_TOPICS, ALL_WAYS, BUILTIN_PREPARE, PLACEHOLDERS,
    };

    fn library() -> Library {
        Library::parse(cards::BUILTIN_CARDS).unwrap_or_else(|e| panic!("{e}"))
    }

    fn content() -> PrepareContent {
        PrepareContent::parse(BUILTIN_PREPARE).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn prepare_content_has_no_problems() {
        let lib = library();
        let known = |id: &str| lib.find_card(id).is_some();
        let problems = content().validate(&known);
        assert!(
            problems.is_empty(),
            "assets/prepare.json:\n{}",
            problems.join("\n")
        );
        assert!(PrepareContent::shared().openers.len() == content().openers.len());
    }

    #[test]
    fn validation_catches_broken_content() {
        let lib = library();
        let known = |id: &str| lib.find_card(id).is_some();
        let mut c = content();
        c.openers
            .retain(|o| o.way != RaiseWay::AskToExplain || !o.topics.is_empty());
        c.openers.push(prepare::OpenerTemplate {
            topics: vec![],
            way: RaiseWay::SayHowIFeel,
            text: "I want {wish}".into(),
        });
        c.ways[0].card = "no-such-card".into();
        c.topics.retain(|t| t.id != Topic::Pace);
        let problems = c.validate(&known);
        let has = |s: &str| problems.iter().any(|p| p.contains(s));
        assert!(has("unknown placeholder {wish}"), "{problems:?}");
        assert!(has("no-such-card"), "{problems:?}");
        assert!(has("topic Pace is missing"), "{problems:?}");
        // With the generic "ask" openers gone, each topic has only its own.
        assert!(
            has("topic Approach x way AskToExplain has 1 opener(s)"),
            "{problems:?}"
        );
        assert!(has("way AskToExplain without a topic has 0 opener(s)"));
        assert!(!has("SayHowIFeel has"), "{problems:?}");
        c.openers.retain(|o| o.way != RaiseWay::SecondOpinion);
        let problems = c.validate(&known);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("way SecondOpinion without a topic has 0 opener(s)")),
            "{problems:?}"
        );
    }

    #[test]
    fn topics_ways_and_responses_are_the_agreed_ones() {
        let c = content();
        let topics: Vec<Topic> = c.topics.iter().map(|t| t.id).collect();
        assert_eq!(topics, ALL_TOPICS);
        assert_eq!(
            c.topic(Topic::Approach).label,
            "The approach or a technique"
        );
        assert_eq!(
            c.topic(Topic::Practical).label,
            "Practical matters (time, fees, cancellations)"
        );
        assert_eq!(c.topic(Topic::Other).label, "Something else");
        let ways: Vec<RaiseWay> = c.ways.iter().map(|w| w.id).collect();
        assert_eq!(ways, ALL_WAYS);
        let cards: Vec<&str> = c.ways.iter().map(|w| w.card.as_str()).collect();
        assert_eq!(cards, ["raise-1", "raise-2", "raise-3", "rights-2"]);
        assert_eq!(c.way(RaiseWay::SayHowIFeel).label, "Say how I feel");
        assert_eq!(c.responses.len(), 5);
        assert!(
            (10..=14).contains(&c.emotions.len()),
            "{}",
            c.emotions.len()
        );
        assert!(c
            .emotions
            .iter()
            .any(|e| e.id == "let-down" && e.phrase == "let down"));
        assert_eq!(c.ethics_deck, "more-than-disagreement");
        assert!(library().deck(&c.ethics_deck).is_some());
    }

    #[test]
    fn card_topics_only_name_cards_that_start_a_concern() {
        let lib = library();
        for card in content().card_topics.keys() {
            let card = lib.cards().find(|c| c.id == *card).expect("known card");
            assert!(
                card.actions().any(|a| *a == Action::StartConcern),
                "{} has no start-concern link",
                card.id
            );
        }
    }

    #[test]
    fn stopping_or_changing_offers_review_second_opinion_and_ending() {
        let c = content();
        assert_eq!(
            c.topic(Topic::StoppingOrChanging).label,
            "I am thinking about stopping or changing"
        );
        let own: Vec<&str> = c
            .openers
            .iter()
            .filter(|o| o.topics.contains(&Topic::StoppingOrChanging))
            .map(|o| o.text.as_str())
            .collect();
        for start in [
            "I'd like to review how this is going",
            "I'd like a second opinion",
            "I'd like to plan an ending",
        ] {
            assert!(own.iter().any(|t| t.starts_with(start)), "{start}: {own:?}");
        }
        // The Learn cards about the other path start a concern on it.
        let lib = library();
        let deck = lib.deck("other-path").expect("deck");
        for card in deck
            .cards
            .iter()
            .filter(|c| c.actions().any(|a| *a == Action::StartConcern))
        {
            assert_eq!(
                c.card_topics.get(&card.id),
                Some(&Topic::StoppingOrChanging),
                "{}",
                card.id
            );
        }
    }

    /// Opener templates for both ways of reacting exist for every topic
    /// (checked by `validate`, which this proves can fail), and say what
    /// the issue asks: going quiet names it and the writing down; saying so
    /// starts from a question.
    #[test]
    fn going_quiet_openers_name_it_and_saying_so_openers_ask() {
        use common_ground::core::model::Reaction;
        for o in &content().style_openers {
            let t = o.text.to_lowercase();
            match o.style {
                Reaction::GoQuiet => assert!(
                    t.contains("wr")
                        && (t.contains("hard")
                            || t.contains("quiet")
                            || t.contains("not good")
                            || t.contains("awkward")
                            || t.contains("not saying")),
                    "names going quiet and writing it down: {}",
                    o.text
                ),
                Reaction::SaySo => assert!(t.contains('?'), "asks, not a verdict: {}", o.text),
                Reaction::Depends => panic!("'it depends' has no openers: {}", o.text),
            }
        }
        let mut broken = content();
        broken
            .style_openers
            .retain(|o| !(o.style == Reaction::SaySo && o.topics.contains(&Topic::Pace)));
        let problems = broken.validate(&|_| true);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("Pace") && p.contains("SaySo")),
            "{problems:?}"
        );
    }

    #[test]
    fn openers_are_short_first_person_and_well_formed() {
        let c = content();
        let texts = c
            .openers
            .iter()
            .map(|o| &o.text)
            .chain(c.style_openers.iter().map(|o| &o.text));
        for text in texts {
            let o = OpenerText { text };
            let words = o.text.split_whitespace().count();
            assert!(words <= 26, "too long ({words} words): {}", o.text);
            assert!(
                ["I ", "I'", " me", " my ", "we ", " us "]
                    .iter()
                    .any(|w| o.text.contains(w)),
                "not first person: {}",
                o.text
            );
            let mut rest = o.text;
            while let Some(i) = rest.find('{') {
                let end = rest[i..].find('}').expect("closed") + i;
                assert!(PLACEHOLDERS.contains(&&rest[i + 1..end]), "{}", o.text);
                rest = &rest[end + 1..];
            }
            assert!(o.text.trim_end().ends_with(['.', '?']), "{}", o.text);
        }
    }

    struct OpenerText<'a> {
        text: &'a str,
    }
}

// ------------------------------------------------------------ help content

/// Every region in `assets/help.json` says whom to call in an emergency and
/// names at least one listening service, and every region the app knows is
/// there exactly once.
#[test]
fn every_help_region_has_an_emergency_number_and_a_listening_service() {
    use common_ground::core::help::{HelpContent, Region, BUILTIN_HELP};
    let help = HelpContent::parse(BUILTIN_HELP).unwrap_or_else(|e| panic!("help.json: {e}"));
    assert_eq!(help.problems(), Vec::<String>::new());
    for region in Region::ALL {
        let r = help.region(region);
        assert_eq!(r.id, region, "{region:?} has its own entry");
        assert!(
            !r.emergency_number.is_empty() && r.emergency.contains(&r.emergency_number),
            "{region:?}: emergency number"
        );
        assert!(!r.lines.is_empty(), "{region:?}: a listening service");
    }
    // The numbers the services publish, spot-checked against the brief.
    let contacts = |region| -> Vec<String> {
        help.region(region)
            .lines
            .iter()
            .map(|l| l.contact.clone())
            .collect()
    };
    assert!(contacts(Region::Uk).contains(&"116 123".to_string()));
    assert!(contacts(Region::Ie).contains(&"1800 247 247".to_string()));
    assert!(contacts(Region::Us).contains(&"Call or text 988".to_string()));
    assert!(contacts(Region::Ca).contains(&"Call or text 988".to_string()));
    assert!(contacts(Region::Au).contains(&"13 11 14".to_string()));
    assert!(contacts(Region::Nz).contains(&"0800 543 354".to_string()));
    assert!(contacts(Region::International).contains(&"findahelpline.com".to_string()));
    for (region, number) in [
        (Region::Uk, "999"),
        (Region::Ie, "112"),
        (Region::Us, "911"),
        (Region::Ca, "911"),
        (Region::Au, "000"),
        (Region::Nz, "111"),
    ] {
        assert_eq!(help.region(region).emergency_number, number, "{region:?}");
    }
}

// ------------------------------------------------------- complaints content

/// Every region has its professional bodies (names and what each does) or,
/// where the app lists none, advice on finding one; the UK's are the three
/// the brief names; no text holds a link.
#[test]
fn every_region_says_who_handles_complaints() {
    use common_ground::core::complaints::{ComplaintsContent, BUILTIN_COMPLAINTS};
    use common_ground::core::help::Region;
    let c = ComplaintsContent::parse(BUILTIN_COMPLAINTS)
        .unwrap_or_else(|e| panic!("complaints.json: {e}"));
    assert_eq!(c.problems(), Vec::<String>::new());
    let names = |region| -> Vec<String> {
        c.region(region)
            .bodies
            .iter()
            .map(|b| b.name.clone())
            .collect()
    };
    let uk = names(Region::Uk);
    for body in ["BACP", "UKCP", "HCPC"] {
        assert!(uk.iter().any(|n| n.starts_with(body)), "{body} in {uk:?}");
    }
    assert!(names(Region::Ie).iter().any(|n| n == "CORU"));
    assert!(names(Region::Au).iter().any(|n| n.starts_with("Ahpra")));
    assert!(names(Region::Nz)
        .iter()
        .any(|n| n.contains("Health and Disability")));
    for region in [Region::Us, Region::Ca] {
        assert!(names(region).len() >= 2, "{region:?}");
    }
    let intl = c.region(Region::International);
    assert!(intl.bodies.is_empty() && !intl.none.is_empty());
    // The same plain-character rule as the cards.
    assert!(BUILTIN_COMPLAINTS.is_ascii());
    // A broken file is caught.
    let mut broken = c.clone();
    broken.regions.retain(|r| r.id != Region::Nz);
    broken.regions[0].bodies[0].does = "See https://example.org".into();
    let p = broken.problems();
    assert!(p.iter().any(|p| p.contains("Nz")), "{p:?}");
    assert!(p.iter().any(|p| p.contains("link")), "{p:?}");
}

#[test]
fn the_other_path_deck_offers_a_concern_and_the_complaints() {
    let lib = library();
    let deck = lib.deck("other-path").expect("other-path deck");
    let starts = deck
        .cards
        .iter()
        .filter(|c| c.actions().any(|a| *a == Action::StartConcern))
        .count();
    assert!(starts >= 3, "{starts}");
    assert!(deck
        .cards
        .iter()
        .any(|c| c.actions().any(|a| *a == Action::Complaints)));
    // Ending well, changing approach, another therapist: each has a card.
    let titles: Vec<&str> = deck.cards.iter().map(|c| c.title.as_str()).collect();
    for t in [
        "Ending well",
        "Changing course with the same therapist",
        "Finding another therapist",
    ] {
        assert!(titles.contains(&t), "{t} in {titles:?}");
    }
}
