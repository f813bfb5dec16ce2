//! The system locale, reduced to the two things the app uses it for: the
//! country (which picks the help region on first start) and how a date is
//! written there. The locale list comes from `sys-locale` (on Linux
//! `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`; the platform's own setting
//! elsewhere); everything else here is pure.

/// How a long date is written: "Thursday 26 November" or
/// "Thursday, November 26".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DateOrder {
    #[default]
    DayMonth,
    MonthDay,
}

/// The system's preferred locales, most preferred first, as BCP 47 tags
/// (`en-AU`). Empty when the system says nothing (`C`, `POSIX`).
pub fn system_locales() -> Vec<String> {
    sys_locale::get_locales().collect()
}

/// The country of a locale tag, upper-case: `en_AU.UTF-8` and `en-AU` give
/// `AU`, `zh-Hant-TW` gives `TW`; `C`, `POSIX`, `en` give `None`.
pub fn country(tag: &str) -> Option<String> {
    let tag = tag.split(['.', '@']).next().unwrap_or_default();
    tag.split(['-', '_'])
        .skip(1)
        .find(|part| part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|part| part.to_ascii_uppercase())
}

/// The first country named by any of `locales`.
pub fn first_country<S: AsRef<str>>(locales: &[S]) -> Option<String> {
    locales.iter().find_map(|l| country(l.as_ref()))
}

/// How dates are written in `country`. Only the United States, Canada
/// (in English; French Canada writes the day first, but the app is in
/// English), the Philippines and a few US territories put the month first
/// among the places the app is used.
pub fn date_order(country: Option<&str>) -> DateOrder {
    match country {
        Some("US" | "CA" | "PH" | "PR" | "GU" | "VI" | "AS" | "MP" | "UM") => DateOrder::MonthDay,
        _ => DateOrder::DayMonth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_is_read_from_posix_and_bcp47_tags() {
        assert_eq!(country("en_AU.UTF-8").as_deref(), Some("AU"));
        assert_eq!(country("en-AU").as_deref(), Some("AU"));
        assert_eq!(country("en_IE@euro").as_deref(), Some("IE"));
        assert_eq!(country("zh-Hant-TW").as_deref(), Some("TW"));
        assert_eq!(country("fr_ca").as_deref(), Some("CA"));
        assert_eq!(country("es-419"), None);
        for none in ["C", "POSIX", "C.UTF-8", "en", ""] {
            assert_eq!(country(none), None, "{none}");
        }
    }

    #[test]
    fn the_first_locale_with_a_country_wins() {
        assert_eq!(
            first_country(&["en", "en-NZ", "en-GB"]).as_deref(),
            Some("NZ")
        );
        assert_eq!(first_country::<&str>(&[]), None);
    }

    #[test]
    fn americans_and_canadians_read_the_month_first() {
        assert_eq!(date_order(Some("US")), DateOrder::MonthDay);
        assert_eq!(date_order(Some("CA")), DateOrder::MonthDay);
        assert_eq!(date_order(Some("GB")), DateOrder::DayMonth);
        assert_eq!(date_order(Some("AU")), DateOrder::DayMonth);
        assert_eq!(date_order(None), DateOrder::DayMonth);
    }
}
