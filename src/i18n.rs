//! English and French. Every text shown to people is written in both; `t` picks one.

/// The language of everything ropa writes for people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// Every language, in the order `--lang` lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The code used on the command line and in `ropa.yaml`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

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

/// French "de" before a noun phrase, contracted as French requires: "du dernier contact", "des
/// faits", "de la collecte", "de l'exercice".
pub fn de(phrase: &str) -> String {
    if let Some(rest) = phrase.strip_prefix("le ") {
        format!("du {rest}")
    } else if let Some(rest) = phrase.strip_prefix("les ") {
        format!("des {rest}")
    } else {
        format!("de {phrase}")
    }
}

#[cfg(test)]
mod de_tests {
    #[test]
    fn de_contracts_as_french_does() {
        assert_eq!(super::de("le paiement"), "du paiement");
        assert_eq!(super::de("les faits"), "des faits");
        assert_eq!(super::de("la collecte"), "de la collecte");
        assert_eq!(super::de("l'exercice"), "de l'exercice");
    }
}
