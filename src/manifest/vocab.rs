//! The manifest vocabularies (spec §3): canonical tokens, their aliases, and forgiving matching.

/// A lowercase Latin letter with a diacritic (or a ligature) as plain ASCII: `é` → `e`,
/// `œ` → `oe`.
pub fn unaccent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => "a",
        'ç' => "c",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
        'û' | 'ü' | 'ú' | 'ù' => "u",
        'ÿ' => "y",
        'ñ' => "n",
        'œ' => "oe",
        'æ' => "ae",
        _ => return None,
    })
}

/// Folds a term for matching: lowercase, accents removed, and every character that is not a
/// letter or digit dropped (spaces, `_`, `-`, `'`, `(`, `.`, `:`). Kept inline, without an
/// allocation, up to 23 bytes: most terms are looked up once and dropped.
pub fn fold(s: &str) -> smol_str::SmolStr {
    // most terms are ASCII: no accents, and lowercase and letters are the ASCII ones
    if s.is_ascii() {
        let bytes = s.as_bytes();
        // many are folded already (`contact`, `b2c`): nothing to drop or lower
        if bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return smol_str::SmolStr::new(s);
        }
        // folding only drops characters: a short term folds on the stack; each byte is
        // written, and kept (the length moved past it) when it is a letter or digit
        if bytes.len() <= smol_str::SmolStr::INLINE_CAP {
            let mut buf = [0u8; smol_str::SmolStr::INLINE_CAP];
            let mut len = 0;
            for &b in bytes {
                buf[len] = b.to_ascii_lowercase();
                len += usize::from(b.is_ascii_alphanumeric());
            }
            return smol_str::SmolStr::new(std::str::from_utf8(&buf[..len]).unwrap_or_default());
        }
        let mut folded = Vec::with_capacity(bytes.len());
        for &b in bytes {
            if b.is_ascii_alphanumeric() {
                folded.push(b.to_ascii_lowercase());
            }
        }
        return String::from_utf8(folded).unwrap_or_default().into();
    }
    let mut out = smol_str::SmolStrBuilder::with_capacity(s.len());
    fold_chars(s, &mut out);
    out.finish()
}

/// [`fold`], character by character (any text).
fn fold_chars(s: &str, out: &mut smol_str::SmolStrBuilder) {
    for c in s.chars() {
        // the ASCII characters of a French term (most of them) without the Unicode tables
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
            continue;
        }
        fold_char(c, out);
    }
}

/// [`fold_chars`] for one character outside ASCII.
fn fold_char(c: char, out: &mut smol_str::SmolStrBuilder) {
    for c in c.to_lowercase() {
        match unaccent(c) {
            Some(plain) => out.push_str(plain),
            None if c.is_alphanumeric() => out.push(c),
            None => {}
        }
    }
}

/// Levenshtein distance in characters, for "did you mean" suggestions.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // a suggestion is at most 3 edits away, so a long word is compared with nothing
    if word.len() > 256 {
        return None;
    }
    let folded = fold(word);
    let chars = folded.chars().count();
    candidates
        .into_iter()
        .filter_map(|c| {
            let fc = fold(c);
            let len = fc.chars().count();
            let most = (chars.max(len) / 3).clamp(1, 3);
            (chars.abs_diff(len) <= most)
                .then(|| (distance(&folded, &fc), most, c))
                .filter(|&(d, most, _)| d <= most)
        })
        .map(|(d, _, c)| (d, c))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// A closed vocabulary: canonical tokens and the aliases each accepts.
pub trait Vocabulary: Sized + Copy + 'static {
    /// What the vocabulary is called in messages.
    const WHAT: &'static str;
    /// The same in French.
    const WHAT_FR: &'static str;
    fn all() -> &'static [Self];
    fn token(self) -> &'static str;
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }

    /// Folded token and aliases → term, built once.
    fn table() -> &'static crate::hash::Map<String, Self>;

    /// Parses a token or one of its aliases, ignoring case, accents and punctuation.
    fn parse(s: &str) -> Option<Self> {
        Self::table().get(fold(s).as_str()).copied()
    }

    /// The canonical token closest to a misspelling.
    fn suggest(s: &str) -> Option<&'static str> {
        suggest(s, Self::all().iter().map(|v| v.token())).or_else(|| {
            let f = fold(s);
            Self::all()
                .iter()
                .flat_map(|v| v.aliases().iter().map(move |a| (v.token(), *a)))
                .filter(|(_, a)| {
                    let fa = fold(a);
                    let d = distance(&f, &fa);
                    d > 0 && d <= (fa.chars().count() / 3).clamp(1, 3)
                })
                .map(|(t, _)| t)
                .next()
        })
    }

    fn tokens() -> Vec<&'static str> {
        Self::all().iter().map(|v| v.token()).collect()
    }
}

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident, $what:literal, $what_fr:literal { $($variant:ident => $token:literal $([$($alias:literal),* $(,)?])?),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),* }

        impl Vocabulary for $name {
            const WHAT: &'static str = $what;
            const WHAT_FR: &'static str = $what_fr;
            fn all() -> &'static [Self] {
                &[$($name::$variant),*]
            }
            fn token(self) -> &'static str {
                match self { $($name::$variant => $token),* }
            }
            fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($($alias),*)?]),* }
            }
            fn table() -> &'static crate::hash::Map<String, Self> {
                static TABLE: std::sync::OnceLock<crate::hash::Map<String, $name>> =
                    std::sync::OnceLock::new();
                TABLE.get_or_init(|| {
                    let mut t = crate::hash::Map::default();
                    for v in Self::all() {
                        for name in std::iter::once(v.token()).chain(v.aliases().iter().copied()) {
                            t.entry(fold(name).into()).or_insert(*v);
                        }
                    }
                    t
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.token())
            }
        }
    };
}

vocabulary! {
    /// GDPR art. 6(1) legal bases. Aliases: French labels, article forms, fideslang and DPV names.
    LegalBasis, "legal basis", "base légale" {
        Consent => "consent" ["consentement", "le consentement", "6(1)(a)", "6.1.a", "art. 6-1-a",
            "article 6(1)(a)", "art. 6(1)(a)", "eu-gdpr:A6-1-a", "dpv:Consent"],
        Contract => "contract" ["contrat", "exécution du contrat", "exécution d'un contrat",
            "execution-contrat", "mesures précontractuelles", "6(1)(b)", "6.1.b", "art. 6-1-b",
            "article 6(1)(b)", "art. 6(1)(b)", "eu-gdpr:A6-1-b", "dpv:Contract"],
        LegalObligation => "legal-obligation" ["obligation légale", "l'obligation légale",
            "legal obligations", "6(1)(c)", "6.1.c", "art. 6-1-c", "article 6(1)(c)",
            "art. 6(1)(c)", "eu-gdpr:A6-1-c", "dpv:LegalObligation"],
        VitalInterests => "vital-interests" ["intérêts vitaux", "sauvegarde des intérêts vitaux",
            "vital interest", "6(1)(d)", "6.1.d", "art. 6-1-d", "article 6(1)(d)", "art. 6(1)(d)",
            "eu-gdpr:A6-1-d", "dpv:VitalInterest"],
        PublicTask => "public-task" ["mission d'intérêt public", "intérêt public",
            "public interest", "6(1)(e)", "6.1.e", "art. 6-1-e", "article 6(1)(e)",
            "art. 6(1)(e)", "eu-gdpr:A6-1-e", "dpv:PublicInterest"],
        LegitimateInterests => "legitimate-interests" ["intérêt légitime", "intérêts légitimes",
            "legitimate interest", "6(1)(f)", "6.1.f", "art. 6-1-f", "article 6(1)(f)",
            "art. 6(1)(f)", "eu-gdpr:A6-1-f", "dpv:LegitimateInterest"],
    }
}

vocabulary! {
    /// Special categories of data: GDPR art. 9(1), and art. 10 for criminal data.
    SpecialCategory, "special category", "catégorie particulière" {
        RacialOrEthnicOrigin => "racial-or-ethnic-origin" ["origine raciale ou ethnique"],
        PoliticalOpinions => "political-opinions" ["opinions politiques"],
        ReligiousOrPhilosophicalBeliefs => "religious-or-philosophical-beliefs"
            ["convictions religieuses ou philosophiques"],
        TradeUnionMembership => "trade-union-membership" ["appartenance syndicale"],
        Genetic => "genetic" ["génétique", "genetic data", "données génétiques"],
        Biometric => "biometric" ["biométrique", "biometric data", "données biométriques"],
        Health => "health" ["santé", "health data", "données de santé"],
        SexLifeOrOrientation => "sex-life-or-orientation" ["vie sexuelle ou orientation sexuelle"],
        CriminalConvictions => "criminal-convictions" ["condamnations pénales", "infractions",
            "criminal convictions and offences"],
    }
}

vocabulary! {
    /// GDPR art. 9(2) conditions that lift the ban on special categories.
    Art9Condition, "art. 9(2) condition", "exception de l'art. 9(2)" {
        ExplicitConsent => "explicit-consent" ["9(2)(a)", "consentement explicite", "Explicit consent"],
        EmploymentSocialProtection => "employment-social-protection" ["9(2)(b)",
            "Employment, social security and social protection"],
        VitalInterests => "vital-interests" ["9(2)(c)"],
        NotForProfitMembers => "not-for-profit-members" ["9(2)(d)", "Not-for-profit bodies"],
        MadePublic => "made-public" ["9(2)(e)", "Made public by the data subject"],
        LegalClaims => "legal-claims" ["9(2)(f)", "Legal claims or judicial acts"],
        SubstantialPublicInterest => "substantial-public-interest" ["9(2)(g)",
            "Reasons of substantial public interest (with a basis in law)"],
        HealthCare => "health-care" ["9(2)(h)", "Health or social care (with a basis in law)"],
        PublicHealth => "public-health" ["9(2)(i)", "Public health (with a basis in law)"],
        ArchivingResearchStatistics => "archiving-research-statistics" ["9(2)(j)",
            "Archiving, research and statistics (with a basis in law)"],
    }
}

vocabulary! {
    /// Safeguards for transfers outside the EEA (GDPR chapter V).
    Safeguard, "transfer safeguard", "garantie de transfert" {
        Adequacy => "adequacy" ["adequacy decision", "décision d'adéquation", "art. 45"],
        Scc => "scc" ["standard contractual clauses", "clauses contractuelles types", "cct"],
        Bcr => "bcr" ["binding corporate rules"],
        Derogation => "derogation" ["art. 49", "dérogation"],
        Other => "other" ["autre"],
    }
}

vocabulary! {
    /// The nine WP248 rev.01 criteria the CNIL applies to decide on a DPIA.
    DpiaCriterion, "DPIA criterion", "critère d'AIPD" {
        EvaluationOrScoring => "evaluation-or-scoring" ["profiling", "scoring", "évaluation"],
        AutomatedDecision => "automated-decision" ["automated decision-making", "décision automatisée"],
        SystematicMonitoring => "systematic-monitoring" ["surveillance systématique"],
        SensitiveData => "sensitive-data" ["highly personal data", "données sensibles"],
        LargeScale => "large-scale" ["grande échelle", "large scale processing"],
        MatchingDatasets => "matching-datasets" ["combining datasets", "croisement de données"],
        VulnerableSubjects => "vulnerable-subjects" ["personnes vulnérables", "vulnerable data subjects"],
        InnovativeTechnology => "innovative-technology" ["usage innovant", "new technology"],
        PreventsRightOrService => "prevents-right-or-service" ["exclusion"],
    }
}

impl DpiaCriterion {
    /// The criterion in a language, as the CNIL words it.
    pub fn describe(self, lang: crate::i18n::Lang) -> &'static str {
        match lang {
            crate::i18n::Lang::En => self.describe_en(),
            crate::i18n::Lang::Fr => self.describe_fr(),
        }
    }

    fn describe_fr(self) -> &'static str {
        match self {
            DpiaCriterion::EvaluationOrScoring => "évaluation ou notation, y compris le profilage",
            DpiaCriterion::AutomatedDecision => {
                "décision automatisée avec effet juridique ou effet similaire significatif"
            }
            DpiaCriterion::SystematicMonitoring => "surveillance systématique",
            DpiaCriterion::SensitiveData => "données sensibles ou à caractère hautement personnel",
            DpiaCriterion::LargeScale => "traitement à grande échelle",
            DpiaCriterion::MatchingDatasets => "croisement ou combinaison d'ensembles de données",
            DpiaCriterion::VulnerableSubjects => "données concernant des personnes vulnérables",
            DpiaCriterion::InnovativeTechnology => {
                "usage innovant ou application de nouvelles solutions technologiques"
            }
            DpiaCriterion::PreventsRightOrService => {
                "traitement empêchant d'exercer un droit ou de bénéficier d'un service ou d'un contrat"
            }
        }
    }

    fn describe_en(self) -> &'static str {
        match self {
            DpiaCriterion::EvaluationOrScoring => "evaluation or scoring, including profiling",
            DpiaCriterion::AutomatedDecision => {
                "automated decision-making with legal or similarly significant effect"
            }
            DpiaCriterion::SystematicMonitoring => "systematic monitoring",
            DpiaCriterion::SensitiveData => "sensitive or highly personal data",
            DpiaCriterion::LargeScale => "large-scale processing",
            DpiaCriterion::MatchingDatasets => "matching or combining datasets",
            DpiaCriterion::VulnerableSubjects => "data about vulnerable persons",
            DpiaCriterion::InnovativeTechnology => "innovative use or new technology",
            DpiaCriterion::PreventsRightOrService => {
                "processing that prevents people from exercising a right or using a service"
            }
        }
    }
}

vocabulary! {
    /// What happens to the data at the end of retention.
    EndOfLife, "end-of-retention action", "action de fin de conservation" {
        Delete => "delete" ["suppression", "supprimer", "erase", "deletion"],
        Anonymise => "anonymise" ["anonymize", "anonymisation", "anonymization", "anonymiser"],
    }
}

vocabulary! {
    /// Well-known retention start events (free text is kept too).
    StartEvent, "retention start event", "événement de départ de la conservation" {
        Collection => "collection" ["collecte", "date of collection"],
        LastContact => "last-contact" ["dernier contact", "last contact"],
        EndOfRelationship => "end-of-relationship" ["fin de la relation commerciale",
            "fin de la relation", "end of the relationship", "end of the commercial relationship"],
        EndOfContract => "end-of-contract" ["fin du contrat", "end of the contract"],
        Departure => "departure" ["départ du salarié", "départ", "employee departure"],
        Closure => "closure" ["clôture", "clôture de l'exercice", "year-end closing"],
        PostFilled => "post-filled" ["date the post was filled", "pourvoi du poste"],
        FinalDecision => "final-decision" ["décision finale", "final decision on follow-up"],
        Payment => "payment" ["paiement", "transaction", "fin de la transaction",
            "end of the transaction"],
        Authorisation => "end-of-authorisation" ["fin de l'habilitation",
            "end of the authorisation"],
    }
}

/// EEA member states (EU 27 + Iceland, Liechtenstein, Norway): no safeguard needed.
pub const EEA: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// ISO 3166-1 alpha-2 codes.
pub const ISO_3166: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI \
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ \
GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN \
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT \
PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF \
TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// The ISO 3166-1 alpha-2 code for a country written in any case; `UK` and `EL` (the EU's own
/// abbreviations) map to `GB` and `GR`.
pub fn country(code: &str) -> Option<&'static str> {
    let upper = code.trim().to_ascii_uppercase();
    let upper = match upper.as_str() {
        "UK" => "GB",
        "EL" => "GR",
        other => other,
    };
    if upper.len() != 2 {
        return None;
    }
    static CODES: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    CODES
        .get_or_init(|| ISO_3166.split_ascii_whitespace().collect())
        .get(upper)
        .copied()
}

pub fn in_eea(code: &str) -> bool {
    EEA.contains(&code)
}

impl LegalBasis {
    /// The GDPR provision.
    pub fn article(self) -> &'static str {
        match self {
            LegalBasis::Consent => "GDPR art. 6(1)(a)",
            LegalBasis::Contract => "GDPR art. 6(1)(b)",
            LegalBasis::LegalObligation => "GDPR art. 6(1)(c)",
            LegalBasis::VitalInterests => "GDPR art. 6(1)(d)",
            LegalBasis::PublicTask => "GDPR art. 6(1)(e)",
            LegalBasis::LegitimateInterests => "GDPR art. 6(1)(f)",
        }
    }

    /// The basis as the CNIL names it, with its article: `intérêt légitime (RGPD, art. 6(1)(f))`.
    pub fn describe(self, lang: crate::i18n::Lang) -> String {
        let letter = self.article().chars().rev().nth(1).unwrap_or('?');
        let (en, fr) = match self {
            LegalBasis::Consent => ("consent", "consentement"),
            LegalBasis::Contract => ("contract", "contrat"),
            LegalBasis::LegalObligation => ("legal obligation", "obligation légale"),
            LegalBasis::VitalInterests => ("vital interests", "sauvegarde des intérêts vitaux"),
            LegalBasis::PublicTask => ("public task", "mission d'intérêt public"),
            LegalBasis::LegitimateInterests => ("legitimate interests", "intérêt légitime"),
        };
        crate::i18n::t(
            lang,
            format!("{en} (GDPR art. 6(1)({letter}))"),
            format!("{fr} (RGPD, art. 6(1)({letter}))"),
        )
    }
}

impl StartEvent {
    /// The event in words, for people.
    pub fn describe(self, lang: crate::i18n::Lang) -> &'static str {
        let french = lang == crate::i18n::Lang::Fr;
        match (self, french) {
            (StartEvent::Collection, false) => "collection",
            (StartEvent::Collection, true) => "la collecte",
            (StartEvent::LastContact, false) => "the last contact",
            (StartEvent::LastContact, true) => "le dernier contact",
            (StartEvent::EndOfRelationship, false) => "the end of the relationship",
            (StartEvent::EndOfRelationship, true) => "la fin de la relation commerciale",
            (StartEvent::EndOfContract, false) => "the end of the contract",
            (StartEvent::EndOfContract, true) => "la fin du contrat",
            (StartEvent::Departure, false) => "the employee's departure",
            (StartEvent::Departure, true) => "le départ du salarié",
            // `closure` is the accounts' year-end for accounting and a case's closure for a
            // whistleblowing report: the words name neither alone
            (StartEvent::Closure, false) => "the closure of the financial year or of the case",
            (StartEvent::Closure, true) => "la clôture de l'exercice ou du dossier",
            (StartEvent::PostFilled, false) => "the date the post was filled",
            (StartEvent::PostFilled, true) => "la date où le poste a été pourvu",
            (StartEvent::FinalDecision, false) => "the final decision on the follow-up",
            (StartEvent::FinalDecision, true) => "la décision définitive sur les suites",
            (StartEvent::Payment, false) => "the payment",
            (StartEvent::Payment, true) => "le paiement",
            (StartEvent::Authorisation, false) => "the end of the person's authorisation",
            (StartEvent::Authorisation, true) => "la fin de l'habilitation de la personne",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folding through the Unicode tables alone, every character ([`fold_char`]): what both
    /// ASCII shortcuts must agree with.
    fn general(s: &str) -> String {
        let mut out = smol_str::SmolStrBuilder::new();
        for c in s.chars() {
            fold_char(c, &mut out);
        }
        out.finish().into()
    }

    /// Text that mixes ASCII with other characters folds as the general way does.
    #[test]
    fn mixed_text_folds_as_the_general_way() {
        for s in [
            "Données de Santé",
            "Obligation légale (art. 6.1.c)",
            "ŒUVRES d'ÉLÈVES",
            "\u{212a}elvin and \u{130}stanbul",
            "Ærø — 42 µg",
            "données bancaires: IBAN/BIC",
        ] {
            assert_eq!(fold(s), general(s), "{s:?}");
        }
    }

    /// The ASCII shortcut folds every ASCII character as the general way does, on the stack
    /// and past it (terms of 23 bytes and under, then longer ones).
    #[test]
    fn ascii_folds_as_any_text() {
        let all: String = (0u8..128).map(char::from).collect();
        assert_eq!(fold(&all), general(&all));
        for c in all.chars() {
            assert_eq!(fold(&c.to_string()), general(&c.to_string()), "{c:?}");
        }
        for s in [
            "Prospecting-Electronic-B2",  // 23 letters and digits
            "prospecting-electronic-b2c", // 24
            "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z",
            "",
            "---",
            "contact",
            "b2c",
            "abcdefghijklmnopqrstuvwxyz0123456789", // folded already, past the stack
            "abcdefghijklmnopqrstuvw",              // folded already, 23 bytes
        ] {
            assert_eq!(fold(s), general(s), "{s:?}");
        }
        // every term of up to four characters from a few that fold differently, and the same
        // past the stack's 23 bytes (each shortcut's choice turns on one character)
        let parts = ["a", "Z", "7", "-", " ", "é"];
        let mut terms = vec![String::new()];
        for _ in 0..4 {
            terms = terms
                .iter()
                .flat_map(|t| parts.iter().map(move |p| format!("{t}{p}")))
                .collect();
            for t in &terms {
                let long = format!("{t}{}", "q".repeat(20));
                for s in [t.as_str(), long.as_str()] {
                    assert_eq!(fold(s), general(s), "{s:?}");
                }
            }
        }
        assert_eq!(
            fold("prospecting-electronic-b2c"),
            "prospectingelectronicb2c"
        );
        assert_eq!(fold("Données de Santé"), "donneesdesante");
    }

    #[test]
    fn legal_basis_aliases() {
        for (s, want) in [
            ("consent", LegalBasis::Consent),
            ("Consentement", LegalBasis::Consent),
            ("6(1)(a)", LegalBasis::Consent),
            ("art. 6-1-a", LegalBasis::Consent),
            ("eu-gdpr:A6-1-a", LegalBasis::Consent),
            ("Legal obligations", LegalBasis::LegalObligation),
            ("Legal Obligation", LegalBasis::LegalObligation),
            ("obligation légale", LegalBasis::LegalObligation),
            ("Vital Interest", LegalBasis::VitalInterests),
            ("Public Interest", LegalBasis::PublicTask),
            ("mission d'intérêt public", LegalBasis::PublicTask),
            ("intérêts légitimes", LegalBasis::LegitimateInterests),
            ("Legitimate Interests", LegalBasis::LegitimateInterests),
            ("legitimate_interests", LegalBasis::LegitimateInterests),
            ("6.1.f", LegalBasis::LegitimateInterests),
            ("exécution du contrat", LegalBasis::Contract),
            ("mesures précontractuelles", LegalBasis::Contract),
        ] {
            assert_eq!(LegalBasis::parse(s), Some(want), "{s}");
        }
        assert_eq!(LegalBasis::parse("consnet"), None);
        assert_eq!(LegalBasis::suggest("consnet"), Some("consent"));
        assert_eq!(
            LegalBasis::suggest("legitimate-interest"),
            Some("legitimate-interests")
        );
        assert_eq!(LegalBasis::suggest("banana"), None);
    }

    #[test]
    fn countries() {
        assert_eq!(country("us"), Some("US"));
        assert_eq!(country("UK"), Some("GB"));
        assert_eq!(country("XX"), None);
        assert!(in_eea("NO"));
        assert!(!in_eea("CH"));
    }

    #[test]
    fn suggestions_need_to_be_close() {
        assert_eq!(
            suggest("retension", ["retention", "recipients"]),
            Some("retention")
        );
        assert_eq!(suggest("zzz", ["retention"]), None);
    }
}
