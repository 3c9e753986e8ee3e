//! Retention durations: English, French and ISO 8601 (spec §3).

use std::cmp::Ordering;
use std::fmt;

/// A retention duration. Calendar units are kept apart from days so that `36 months` equals
/// `3 years` exactly; mixed comparisons count a month as 30.44 days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Duration {
    Bounded { months: u32, days: u32 },
    Unbounded,
}

impl Duration {
    pub const fn months(months: u32) -> Self {
        Duration::Bounded { months, days: 0 }
    }

    pub const fn days(days: u32) -> Self {
        Duration::Bounded { months: 0, days }
    }

    /// Length in hundredths of a day, for comparisons.
    fn centidays(self) -> Option<u64> {
        match self {
            Duration::Bounded { months, days } => {
                Some(u64::from(months) * 3044 + u64::from(days) * 100)
            }
            Duration::Unbounded => None,
        }
    }

    pub fn is_unbounded(self) -> bool {
        self == Duration::Unbounded
    }

    pub fn plus(self, other: Duration) -> Duration {
        match (self, other) {
            (
                Duration::Bounded {
                    months: m1,
                    days: d1,
                },
                Duration::Bounded {
                    months: m2,
                    days: d2,
                },
            ) => Duration::Bounded {
                months: m1.saturating_add(m2),
                days: d1.saturating_add(d2),
            },
            _ => Duration::Unbounded,
        }
    }

    /// Parses `3 years`, `1 year 6 months`, `36 mois`, `P1Y6M`, `unlimited`…
    pub fn parse(text: &str) -> Option<Duration> {
        let t = text.trim();
        let lower = t.to_lowercase();
        if UNBOUNDED.contains(&lower.as_str()) {
            return Some(Duration::Unbounded);
        }
        if t.is_empty() {
            return None;
        }
        if lower.starts_with('p') {
            return parse_iso(&lower);
        }
        parse_words(&lower)
    }
}

impl PartialOrd for Duration {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Duration {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (
                Duration::Bounded {
                    months: m1,
                    days: 0,
                },
                Duration::Bounded {
                    months: m2,
                    days: 0,
                },
            ) => m1.cmp(m2),
            (
                Duration::Bounded {
                    months: 0,
                    days: d1,
                },
                Duration::Bounded {
                    months: 0,
                    days: d2,
                },
            ) => d1.cmp(d2),
            _ => match (self.centidays(), other.centidays()) {
                (Some(a), Some(b)) => a.cmp(&b),
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
            },
        }
    }
}

impl Duration {
    /// The duration in words, in English or French: `1 year 6 months`, `1 an 6 mois`.
    pub fn words(self, lang: crate::i18n::Lang) -> String {
        let french = lang == crate::i18n::Lang::Fr;
        let (months, days) = match self {
            Duration::Unbounded => return (if french { "illimitée" } else { "unlimited" }).into(),
            Duration::Bounded { months, days } => (months, days),
        };
        let names: [(&str, &str); 4] = if french {
            [
                ("an", "ans"),
                ("mois", "mois"),
                ("semaine", "semaines"),
                ("jour", "jours"),
            ]
        } else {
            [
                ("year", "years"),
                ("month", "months"),
                ("week", "weeks"),
                ("day", "days"),
            ]
        };
        let unit = |n: u32, i: usize| {
            let (one, many) = names[i];
            format!("{n} {}", if n == 1 { one } else { many })
        };
        let mut parts = Vec::new();
        let (y, m) = (months / 12, months % 12);
        if y > 0 {
            parts.push(unit(y, 0));
        }
        if m > 0 {
            parts.push(unit(m, 1));
        }
        if days > 0 || parts.is_empty() {
            if days > 0 && days.is_multiple_of(7) {
                parts.push(unit(days / 7, 2));
            } else {
                parts.push(unit(days, 3));
            }
        }
        parts.join(" ")
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words(crate::i18n::Lang::En))
    }
}

enum Unit {
    Year,
    Month,
    Week,
    Day,
}

/// The words that mean "no time limit" (RT002).
pub const UNBOUNDED: &[&str] = &[
    "unlimited",
    "indefinite",
    "forever",
    "illimitée",
    "illimitee",
    "illimité",
    "illimite",
    "indéfinie",
    "permanent",
];

/// Unit words, English and French, and the unit each stands for (`y`, `m`, `w`, `d`).
pub const UNIT_WORDS: &[(&str, char)] = &[
    ("y", 'y'),
    ("yr", 'y'),
    ("yrs", 'y'),
    ("year", 'y'),
    ("years", 'y'),
    ("an", 'y'),
    ("ans", 'y'),
    ("année", 'y'),
    ("années", 'y'),
    ("annee", 'y'),
    ("annees", 'y'),
    ("mo", 'm'),
    ("month", 'm'),
    ("months", 'm'),
    ("mois", 'm'),
    ("w", 'w'),
    ("wk", 'w'),
    ("week", 'w'),
    ("weeks", 'w'),
    ("semaine", 'w'),
    ("semaines", 'w'),
    ("d", 'd'),
    ("day", 'd'),
    ("days", 'd'),
    ("jour", 'd'),
    ("jours", 'd'),
    ("j", 'd'),
];

fn unit(word: &str) -> Option<Unit> {
    let (_, u) = UNIT_WORDS.iter().find(|(w, _)| *w == word)?;
    Some(match u {
        'y' => Unit::Year,
        'm' => Unit::Month,
        'w' => Unit::Week,
        _ => Unit::Day,
    })
}

fn accumulate(total: (u32, u32), n: u32, unit: Unit) -> Option<(u32, u32)> {
    let (months, days) = total;
    Some(match unit {
        Unit::Year => (months.checked_add(n.checked_mul(12)?)?, days),
        Unit::Month => (months.checked_add(n)?, days),
        Unit::Week => (months, days.checked_add(n.checked_mul(7)?)?),
        Unit::Day => (months, days.checked_add(n)?),
    })
}

fn parse_words(text: &str) -> Option<Duration> {
    // split digits from letters so that `3years` and `6mo` work too
    let mut spaced = String::with_capacity(text.len() + 8);
    let mut prev_digit = None;
    for c in text.chars() {
        let digit = c.is_ascii_digit();
        if prev_digit.is_some_and(|p| p != digit) && c.is_alphanumeric() {
            spaced.push(' ');
        }
        prev_digit = c.is_alphanumeric().then_some(digit);
        spaced.push(if c == ',' { ' ' } else { c });
    }
    let words: Vec<&str> = spaced
        .split_whitespace()
        .filter(|w| !matches!(*w, "and" | "et" | "+"))
        .collect();
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return None;
    }
    let mut total = (0, 0);
    for pair in words.chunks(2) {
        let n: u32 = pair[0].parse().ok()?;
        total = accumulate(total, n, unit(pair[1])?)?;
    }
    Some(Duration::Bounded {
        months: total.0,
        days: total.1,
    })
}

fn parse_iso(text: &str) -> Option<Duration> {
    let body = text.strip_prefix('p')?;
    if body.is_empty() || body.contains('t') {
        // time parts (hours, minutes) make no sense for retention
        return None;
    }
    let mut total = (0, 0);
    let mut number = String::new();
    let mut any = false;
    for c in body.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: u32 = number.parse().ok()?;
        number.clear();
        let unit = match c {
            'y' => Unit::Year,
            'm' => Unit::Month,
            'w' => Unit::Week,
            'd' => Unit::Day,
            _ => return None,
        };
        total = accumulate(total, n, unit)?;
        any = true;
    }
    (number.is_empty() && any).then_some(Duration::Bounded {
        months: total.0,
        days: total.1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_documented_form() {
        let cases = [
            ("3 years", Duration::months(36)),
            ("36 months", Duration::months(36)),
            ("6 weeks", Duration::days(42)),
            ("30 days", Duration::days(30)),
            ("1 year 6 months", Duration::months(18)),
            ("1 year and 6 months", Duration::months(18)),
            ("3 ans", Duration::months(36)),
            ("1 an", Duration::months(12)),
            ("6 mois", Duration::months(6)),
            ("30 jours", Duration::days(30)),
            ("P3Y", Duration::months(36)),
            ("P1Y6M", Duration::months(18)),
            ("P30D", Duration::days(30)),
            ("P2W", Duration::days(14)),
            ("13months", Duration::months(13)),
            ("unlimited", Duration::Unbounded),
            ("Illimitée", Duration::Unbounded),
            ("forever", Duration::Unbounded),
        ];
        for (text, want) in cases {
            assert_eq!(Duration::parse(text), Some(want), "{text}");
        }
    }

    #[test]
    fn rejects_the_rest() {
        for text in [
            "",
            "3",
            "three years",
            "3 fortnights",
            "P",
            "PT5H",
            "P3",
            "years 3",
            "-1 year",
        ] {
            assert!(Duration::parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn compares_across_units() {
        assert_eq!(
            Duration::months(36).cmp(&Duration::months(36)),
            Ordering::Equal
        );
        assert!(Duration::days(31) > Duration::months(1));
        assert!(Duration::days(30) < Duration::months(1));
        assert!(Duration::months(13) > Duration::months(12));
        assert!(Duration::Unbounded > Duration::months(1200));
    }

    #[test]
    fn displays_canonically() {
        assert_eq!(Duration::months(18).to_string(), "1 year 6 months");
        assert_eq!(Duration::months(36).to_string(), "3 years");
        assert_eq!(Duration::days(14).to_string(), "2 weeks");
        assert_eq!(Duration::days(1).to_string(), "1 day");
        assert_eq!(
            Duration::months(18).words(crate::i18n::Lang::Fr),
            "1 an 6 mois"
        );
        assert_eq!(Duration::months(36).words(crate::i18n::Lang::Fr), "3 ans");
    }
}
