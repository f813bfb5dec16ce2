//! A rough English readability scorer (Flesch reading ease) for the
//! content tests. It measures the shipped text; the app never uses it.

use common_ground::core::cards::{Card, Deck, Library};

/// A rough syllable count for one English word: vowel groups, less a silent
/// final "e", at least one. Good enough to compare texts, not to teach.
pub fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if w.is_empty() {
        return 0;
    }
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut count = 0;
    let mut prev_vowel = false;
    for &c in &w {
        let v = is_vowel(c);
        if v && !prev_vowel {
            count += 1;
        }
        prev_vowel = v;
    }
    let n = w.len();
    // "make", "time": the final e is silent; "table", "people": it is not.
    if n > 2 && w[n - 1] == 'e' && !is_vowel(w[n - 2]) {
        let consonant_le = w[n - 2] == 'l' && !is_vowel(w[n - 3]);
        if !consonant_le {
            count -= 1;
        }
    }
    // "hoped", "liked": -ed after most consonants adds no syllable.
    if n > 3 && w.ends_with(&['e', 'd']) && !matches!(w[n - 3], 't' | 'd') && !is_vowel(w[n - 3]) {
        count -= 1;
    }
    count.max(1)
}

/// Flesch reading ease: higher is easier; 60 to 70 is plain English.
/// Sentences end at `.`, `!` or `?`; a text without one is one sentence.
pub fn reading_ease(text: &str) -> f64 {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .collect();
    if words.is_empty() {
        return 0.0;
    }
    let sentences = words
        .iter()
        .filter(|w| {
            w.trim_end_matches(['\'', '"', ')'])
                .ends_with(['.', '!', '?'])
        })
        .count()
        .max(1);
    let syllable_total: usize = words.iter().map(|w| syllables(w)).sum();
    let words_n = words.len() as f64;
    206.835 - 1.015 * (words_n / sentences as f64) - 84.6 * (syllable_total as f64 / words_n)
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// Reading ease of a card's body.
pub fn card_ease(card: &Card) -> f64 {
    reading_ease(&card.body)
}

/// Mean reading ease of a deck's card bodies (0 if it has none).
pub fn deck_ease(deck: &Deck) -> f64 {
    mean(deck.cards.iter().map(card_ease))
}

/// Mean reading ease of all card bodies (0 if there are none).
pub fn library_ease(lib: &Library) -> f64 {
    mean(lib.cards().map(card_ease))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllable_heuristic_is_close_on_common_words() {
        for (word, n) in [
            ("you", 1),
            ("make", 1),
            ("table", 2),
            ("people", 2),
            ("therapy", 3),
            ("therapist", 3),
            ("disagree", 3),
            ("hoped", 1),
            ("wanted", 2),
            ("I'm", 1),
            ("a", 1),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn reading_ease_prefers_short_plain_sentences() {
        let plain = reading_ease("You can say no. It is fine to ask. We can talk.");
        let dense = reading_ease(
            "Collaborative psychotherapeutic interventions necessitate comprehensive \
             interpersonal communication, considerable organisational flexibility and reflexivity.",
        );
        assert!(plain > 90.0, "{plain}");
        assert!(dense < 0.0, "{dense}");
        assert_eq!(reading_ease(""), 0.0);
    }
}
