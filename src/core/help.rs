//! The "Need help now?" content. It lives in `assets/help.json` so that it
//! can be translated and checked without touching code.

use serde::Deserialize;

/// The built-in English help content.
pub const BUILTIN_HELP: &str = include_str!("../../assets/help.json");

#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HelpLine {
    pub name: String,
    pub contact: String,
    pub detail: String,
}

/// The content of the "Need help now?" sheet (the UI shows it through its
/// `UrgentHelp` global).
#[derive(Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HelpContent {
    pub locale: String,
    pub title: String,
    pub not_crisis: String,
    pub emergency: String,
    pub lines_intro: String,
    pub lines: Vec<HelpLine>,
    pub closing: String,
}

impl HelpContent {
    pub fn parse(json: &str) -> Result<HelpContent, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The built-in content; `tests/content.rs` proves it parses.
    pub fn builtin() -> HelpContent {
        Self::parse(BUILTIN_HELP).expect("assets/help.json is checked by tests/help_content.rs")
    }

    /// Problems that would make the sheet unsafe to show.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, value) in [
            ("title", &self.title),
            ("not_crisis", &self.not_crisis),
            ("emergency", &self.emergency),
            ("closing", &self.closing),
        ] {
            if value.trim().is_empty() {
                out.push(format!("help field '{name}' is empty"));
            }
        }
        if self.lines.is_empty() {
            out.push("help lists no helpline".to_string());
        }
        for line in &self.lines {
            if line.name.trim().is_empty() || line.contact.trim().is_empty() {
                out.push(format!("helpline '{}' lacks a name or contact", line.name));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_help_is_complete_and_names_samaritans() {
        let help = HelpContent::builtin();
        assert_eq!(help.problems(), Vec::<String>::new());
        assert!(help.not_crisis.contains("not a crisis service"));
        assert!(help.emergency.contains("emergency number"));
        let samaritans = help
            .lines
            .iter()
            .find(|l| l.name == "Samaritans")
            .expect("Samaritans listed");
        assert_eq!(samaritans.contact, "116 123");
        assert!(samaritans.detail.contains("Free") && samaritans.detail.contains("24 hours"));
        assert!(samaritans.detail.contains("UK and Ireland"));
    }

    #[test]
    fn missing_fields_are_reported() {
        let mut help = HelpContent::builtin();
        help.not_crisis.clear();
        help.lines.clear();
        let problems = help.problems();
        assert!(problems.iter().any(|p| p.contains("not_crisis")));
        assert!(problems.iter().any(|p| p.contains("no helpline")));
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let bad = BUILTIN_HELP.replacen("\"title\"", "\"titel\"", 1);
        assert!(HelpContent::parse(&bad).is_err());
    }
}
