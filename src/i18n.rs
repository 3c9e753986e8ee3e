//! English and French. Every text shown to people is written in both; `t` picks one.

use crate::catalog::Lang;

/// The text in the chosen language.
pub fn t(lang: Lang, en: impl Into<String>, fr: impl Into<String>) -> String {
    match lang {
        Lang::En => en.into(),
        Lang::Fr => fr.into(),
    }
}

/// One of two static texts.
pub fn s(lang: Lang, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}
