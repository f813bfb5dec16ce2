//! How to raise a complaint when it is about a therapist's conduct rather
//! than a disagreement: shared words, and per region (`model::Region`, the
//! one chosen in Settings, as for the help lines) the professional bodies
//! and regulators that can look into it, as names and what each does. No
//! links: the app never needs a network. Content in `assets/complaints.json`,
//! beside `assets/help.json`.

use serde::Deserialize;

use crate::core::model::Region;

/// The built-in English content.
pub const BUILTIN_COMPLAINTS: &str = include_str!("../../assets/complaints.json");

/// One body: its own name and, in a sentence or two, what it does.
#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub name: String,
    pub does: String,
}

/// The bodies of one region.
#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RegionBodies {
    pub id: Region,
    pub bodies: Vec<Body>,
    /// What to do where the app lists no bodies (the international
    /// region); empty elsewhere.
    #[serde(default)]
    pub none: String,
}

#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ComplaintsContent {
    pub title: String,
    pub intro: String,
    pub bodies_intro: String,
    pub closing: String,
    pub regions: Vec<RegionBodies>,
}

impl ComplaintsContent {
    pub fn parse(json: &str) -> Result<ComplaintsContent, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The built-in content; `tests/content.rs` proves it parses and is
    /// complete.
    pub fn builtin() -> ComplaintsContent {
        Self::parse(BUILTIN_COMPLAINTS)
            .expect("assets/complaints.json is checked by tests/content.rs")
    }

    /// The bodies for `region` (the international entry if it has none).
    pub fn region(&self, region: Region) -> &RegionBodies {
        self.regions
            .iter()
            .find(|r| r.id == region)
            .or_else(|| self.regions.iter().find(|r| r.id == Region::International))
            .or(self.regions.first())
            .expect("complaints content lists at least one region")
    }

    /// Problems that would leave someone without guidance.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, value) in [
            ("title", &self.title),
            ("intro", &self.intro),
            ("bodies_intro", &self.bodies_intro),
            ("closing", &self.closing),
        ] {
            if value.trim().is_empty() {
                out.push(format!("complaints field '{name}' is empty"));
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
        for r in &self.regions {
            if r.bodies.is_empty() && r.none.trim().is_empty() {
                out.push(format!("region {:?} lists no body and no advice", r.id));
            }
            for b in &r.bodies {
                if b.name.trim().is_empty() || b.does.trim().is_empty() {
                    out.push(format!(
                        "region {:?}: body '{}' lacks a name or what it does",
                        r.id, b.name
                    ));
                }
                if b.does.contains("http") || b.does.contains("www.") {
                    out.push(format!("region {:?}: '{}' holds a link", r.id, b.name));
                }
            }
        }
        out
    }
}
