//! The "Need help now?" content: shared words, and per region the
//! emergency number and the listening services people there can reach.
//! It lives in `assets/help.json` so that it can be translated and
//! checked without touching code.

use serde::Deserialize;

pub use crate::core::model::Region;

/// The built-in English help content.
pub const BUILTIN_HELP: &str = include_str!("../../assets/help.json");

/// One service: its own published name, how to reach it, and when.
#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HelpLine {
    pub name: String,
    pub contact: String,
    pub detail: String,
}

/// The services of one region.
#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RegionHelp {
    pub id: Region,
    /// The region's name, as listed in Settings.
    pub name: String,
    /// ISO 3166 country codes whose locale picks this region.
    pub countries: Vec<String>,
    /// The number to call in an emergency (digits only).
    pub emergency_number: String,
    /// What to do in an emergency, naming that number.
    pub emergency: String,
    /// Listening services, the first one the most widely known.
    pub lines: Vec<HelpLine>,
}

/// The content of the "Need help now?" sheet (the UI shows one region of
/// it through its `UrgentHelp` global).
#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HelpContent {
    pub locale: String,
    pub title: String,
    pub not_crisis: String,
    pub lines_intro: String,
    pub closing: String,
    pub regions: Vec<RegionHelp>,
}

impl HelpContent {
    pub fn parse(json: &str) -> Result<HelpContent, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The built-in content; `tests/content.rs` proves it parses and is
    /// complete.
    pub fn builtin() -> HelpContent {
        Self::parse(BUILTIN_HELP).expect("assets/help.json is checked by tests/content.rs")
    }

    /// The services of `region`, or the international ones if the content
    /// has none for it (the content test makes sure every region has some).
    pub fn region(&self, region: Region) -> &RegionHelp {
        self.regions
            .iter()
            .find(|r| r.id == region)
            .or_else(|| self.regions.iter().find(|r| r.id == Region::International))
            .or(self.regions.first())
            .expect("help content lists at least one region")
    }

    /// The region for a country code (`AU`), international if none lists it.
    pub fn region_for_country(&self, country: Option<&str>) -> Region {
        country
            .and_then(|c| {
                self.regions
                    .iter()
                    .find(|r| r.countries.iter().any(|rc| rc.eq_ignore_ascii_case(c)))
            })
            .map_or(Region::International, |r| r.id)
    }

    /// The region for the system's locales (most preferred first): the
    /// first one that names a country decides.
    pub fn region_for_locales<S: AsRef<str>>(&self, locales: &[S]) -> Region {
        self.region_for_country(crate::core::locale::first_country(locales).as_deref())
    }

    /// Problems that would make the sheet unsafe to show.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, value) in [
            ("title", &self.title),
            ("not_crisis", &self.not_crisis),
            ("lines_intro", &self.lines_intro),
            ("closing", &self.closing),
        ] {
            if value.trim().is_empty() {
                out.push(format!("help field '{name}' is empty"));
            }
        }
        for region in Region::ALL {
            let count = self.regions.iter().filter(|r| r.id == region).count();
            if count != 1 {
                out.push(format!(
                    "region {region:?} is listed {count} times, not once"
                ));
            }
        }
        let mut countries = std::collections::BTreeSet::new();
        for r in &self.regions {
            let id = format!("{:?}", r.id);
            if r.name.trim().is_empty() {
                out.push(format!("region {id} has no name"));
            }
            let number = r.emergency_number.trim();
            if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
                out.push(format!(
                    "region {id} has no emergency number (digits only): '{number}'"
                ));
            } else if !r.emergency.contains(number) {
                out.push(format!(
                    "region {id}: the emergency text does not name {number}"
                ));
            }
            if r.lines.is_empty() {
                out.push(format!("region {id} lists no listening service"));
            }
            for line in &r.lines {
                if line.name.trim().is_empty()
                    || line.contact.trim().is_empty()
                    || line.detail.trim().is_empty()
                {
                    out.push(format!(
                        "region {id}: helpline '{}' lacks a name, contact or detail",
                        line.name
                    ));
                }
            }
            for c in &r.countries {
                if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
                    out.push(format!("region {id}: '{c}' is not a country code"));
                }
                if !countries.insert(c.clone()) {
                    out.push(format!("country {c} belongs to two regions"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_help_is_complete() {
        let help = HelpContent::builtin();
        assert_eq!(help.problems(), Vec::<String>::new());
        assert!(help.not_crisis.contains("not a crisis service"));
    }

    #[test]
    fn the_locale_picks_the_region() {
        let help = HelpContent::builtin();
        assert_eq!(help.region_for_locales(&["en-AU"]), Region::Au);
        assert_eq!(help.region_for_locales(&["en_GB.UTF-8"]), Region::Uk);
        assert_eq!(help.region_for_locales(&["ga-IE"]), Region::Ie);
        assert_eq!(help.region_for_locales(&["en-US"]), Region::Us);
        assert_eq!(help.region_for_locales(&["fr-CA"]), Region::Ca);
        assert_eq!(help.region_for_locales(&["mi-NZ"]), Region::Nz);
        assert_eq!(help.region_for_locales(&["de-DE"]), Region::International);
        assert_eq!(help.region_for_locales(&["C"]), Region::International);
        assert_eq!(help.region_for_locales::<&str>(&[]), Region::International);
    }

    #[test]
    fn australians_see_australian_services() {
        let help = HelpContent::builtin();
        let au = help.region(Region::Au);
        assert_eq!(au.emergency_number, "000");
        let contacts: Vec<&str> = au.lines.iter().map(|l| l.contact.as_str()).collect();
        assert!(contacts.contains(&"13 11 14"), "Lifeline: {contacts:?}");
        assert!(!contacts.contains(&"116 123"));
    }

    #[test]
    fn the_uk_lists_samaritans_free_and_always_open() {
        let help = HelpContent::builtin();
        let uk = help.region(Region::Uk);
        assert_eq!(uk.emergency_number, "999");
        let samaritans = uk
            .lines
            .iter()
            .find(|l| l.name == "Samaritans")
            .expect("Samaritans listed");
        assert_eq!(samaritans.contact, "116 123");
        assert!(samaritans.detail.contains("Free") && samaritans.detail.contains("24 hours"));
    }

    #[test]
    fn a_missing_region_falls_back_to_the_international_one() {
        let mut help = HelpContent::builtin();
        help.regions.retain(|r| r.id != Region::Nz);
        assert_eq!(help.region(Region::Nz).id, Region::International);
        assert!(help.problems().iter().any(|p| p.contains("Nz")));
    }

    #[test]
    fn missing_fields_are_reported() {
        let mut help = HelpContent::builtin();
        help.not_crisis.clear();
        help.regions[0].lines.clear();
        help.regions[1].emergency_number = "call 112".into();
        let problems = help.problems();
        assert!(problems.iter().any(|p| p.contains("not_crisis")));
        assert!(problems.iter().any(|p| p.contains("no listening service")));
        assert!(problems.iter().any(|p| p.contains("no emergency number")));
    }

    #[test]
    fn unknown_fields_and_regions_are_rejected() {
        let bad = BUILTIN_HELP.replacen("\"title\"", "\"titel\"", 1);
        assert!(HelpContent::parse(&bad).is_err());
        let bad = BUILTIN_HELP.replacen("\"id\": \"nz\"", "\"id\": \"atlantis\"", 1);
        assert!(HelpContent::parse(&bad).is_err());
    }
}
