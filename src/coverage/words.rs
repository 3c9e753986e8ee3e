//! The field-name dictionary: which names in data definitions hold personal data, and of what
//! kind. Names are split into words (snake, camel, kebab case), folded (lowercase, accents off),
//! and matched at their end: `billing_email` and `emailAddress` are contact data, while
//! `email_template_id` and `phone_model` are not, because their last word is not one of the
//! dictionary's. Precision comes first: a word that is often not personal data (`name`, `nom`,
//! `address` alone in a network schema) is matched only with the words that make it so.

use crate::manifest::vocab::unaccent;

/// Lowercase without accents, other characters kept (`Coordonnées` gives `coordonnees`).
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match unaccent(c) {
            Some(plain) => out.push_str(plain),
            None => out.push(c),
        }
    }
    out
}

/// What kind of personal data a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Identity,
    Contact,
    Financial,
    /// The French social-security number (NIR) and other national identifiers.
    NationalId,
    OnlineIdentifier,
    Location,
    // GDPR art. 9 and 10
    Health,
    Biometric,
    Genetic,
    RacialOrEthnicOrigin,
    PoliticalOpinions,
    ReligiousOrPhilosophicalBeliefs,
    TradeUnionMembership,
    SexLifeOrOrientation,
    CriminalConvictions,
}

impl Category {
    /// Every category, in order: the plain ones, then the special ones (GDPR art. 9 and 10).
    pub const ALL: &'static [Category] = &[
        Category::Identity,
        Category::Contact,
        Category::Financial,
        Category::NationalId,
        Category::OnlineIdentifier,
        Category::Location,
        Category::Health,
        Category::Biometric,
        Category::Genetic,
        Category::RacialOrEthnicOrigin,
        Category::PoliticalOpinions,
        Category::ReligiousOrPhilosophicalBeliefs,
        Category::TradeUnionMembership,
        Category::SexLifeOrOrientation,
        Category::CriminalConvictions,
    ];

    /// The categories that are not special ones, in order.
    pub const ALL_PLAIN: &'static [Category] = Category::ALL.split_at(6).0;

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Identity => "identity",
            Category::Contact => "contact",
            Category::Financial => "financial",
            Category::NationalId => "national-id",
            Category::OnlineIdentifier => "online-identifier",
            Category::Location => "location",
            Category::Health => "health",
            Category::Biometric => "biometric",
            Category::Genetic => "genetic",
            Category::RacialOrEthnicOrigin => "racial-or-ethnic-origin",
            Category::PoliticalOpinions => "political-opinions",
            Category::ReligiousOrPhilosophicalBeliefs => "religious-or-philosophical-beliefs",
            Category::TradeUnionMembership => "trade-union-membership",
            Category::SexLifeOrOrientation => "sex-life-or-orientation",
            Category::CriminalConvictions => "criminal-convictions",
        }
    }

    /// The category in words, in a language (the YAML value is [`Category::as_str`]).
    pub fn word(self, lang: crate::i18n::Lang) -> &'static str {
        let fr = match self {
            Category::Identity => "identité",
            Category::Contact => "coordonnées",
            Category::Financial => "financières",
            Category::NationalId => "identifiant national",
            Category::OnlineIdentifier => "identifiant en ligne",
            Category::Location => "localisation",
            Category::Health => "santé",
            Category::Biometric => "biométriques",
            Category::Genetic => "génétiques",
            Category::RacialOrEthnicOrigin => "origine raciale ou ethnique",
            Category::PoliticalOpinions => "opinions politiques",
            Category::ReligiousOrPhilosophicalBeliefs => {
                "convictions religieuses ou philosophiques"
            }
            Category::TradeUnionMembership => "appartenance syndicale",
            Category::SexLifeOrOrientation => "vie ou orientation sexuelle",
            Category::CriminalConvictions => "condamnations pénales",
        };
        let en = match self {
            Category::NationalId => "national identifier",
            Category::OnlineIdentifier => "online identifier",
            Category::RacialOrEthnicOrigin => "racial or ethnic origin",
            Category::PoliticalOpinions => "political opinions",
            Category::ReligiousOrPhilosophicalBeliefs => "religious or philosophical beliefs",
            Category::TradeUnionMembership => "trade-union membership",
            Category::SexLifeOrOrientation => "sex life or orientation",
            Category::CriminalConvictions => "criminal convictions",
            other => other.as_str(),
        };
        crate::i18n::s(lang, en, fr)
    }

    /// The art. 9/10 special category, if it is one.
    pub fn special(self) -> Option<crate::manifest::vocab::SpecialCategory> {
        use crate::manifest::vocab::SpecialCategory as S;
        Some(match self {
            Category::Health => S::Health,
            Category::Biometric => S::Biometric,
            Category::Genetic => S::Genetic,
            Category::RacialOrEthnicOrigin => S::RacialOrEthnicOrigin,
            Category::PoliticalOpinions => S::PoliticalOpinions,
            Category::ReligiousOrPhilosophicalBeliefs => S::ReligiousOrPhilosophicalBeliefs,
            Category::TradeUnionMembership => S::TradeUnionMembership,
            Category::SexLifeOrOrientation => S::SexLifeOrOrientation,
            Category::CriminalConvictions => S::CriminalConvictions,
            _ => return None,
        })
    }

    /// Words that, in an activity's `data_categories`, declare this category (folded; matched
    /// as whole words). Special categories are declared in `special_categories` instead.
    pub fn declared_by(self) -> &'static [&'static str] {
        match self {
            Category::Identity => &[
                "identity",
                "identite",
                "identification",
                "etat civil",
                "civil status",
                "name",
                "names",
                "nom",
                "noms",
                "personal details",
            ],
            Category::Contact => &[
                "contact",
                "contacts",
                "coordonnees",
                "email",
                "emails",
                "e-mail",
                "courriel",
                "phone",
                "telephone",
                "address",
                "addresses",
                "adresse",
                "adresses",
            ],
            Category::Financial => &[
                "financial",
                "financier",
                "financiere",
                "financieres",
                "payment",
                "payments",
                "paiement",
                "paiements",
                "bank",
                "banking",
                "bancaire",
                "bancaires",
                "iban",
                "rib",
                "card",
                "cards",
                "carte",
                "billing",
                "facturation",
                "invoice",
                "invoices",
                "facture",
                "factures",
            ],
            Category::NationalId => &[
                "nir",
                "social security",
                "securite sociale",
                "national id",
                "national identifier",
                "identifiant national",
                "numero d'inscription",
            ],
            Category::OnlineIdentifier => &[
                "ip",
                "online identifier",
                "online identifiers",
                "identifiant en ligne",
                "identifiants en ligne",
                "connection",
                "connexion",
                "logs",
                "device",
                "terminal",
                "username",
                "login",
                "account",
                "compte",
            ],
            Category::Location => &[
                "location",
                "localisation",
                "geolocation",
                "geolocalisation",
                "gps",
                "position",
            ],
            _ => &[],
        }
    }
}

/// One dictionary entry: the words a field name ends with, and the category.
struct Entry(&'static [&'static str], Category);

use Category as C;

/// Entries, longest first within a category where one ends another (`ip address` before
/// `address`): [`classify`] takes the longest match.
static ENTRIES: &[Entry] = &[
    // identity
    Entry(&["first", "name"], C::Identity),
    Entry(&["firstname"], C::Identity),
    Entry(&["given", "name"], C::Identity),
    Entry(&["last", "name"], C::Identity),
    Entry(&["lastname"], C::Identity),
    Entry(&["family", "name"], C::Identity),
    Entry(&["surname"], C::Identity),
    Entry(&["full", "name"], C::Identity),
    Entry(&["fullname"], C::Identity),
    Entry(&["maiden", "name"], C::Identity),
    Entry(&["middle", "name"], C::Identity),
    Entry(&["prenom"], C::Identity),
    Entry(&["prenoms"], C::Identity),
    Entry(&["nom", "famille"], C::Identity),
    Entry(&["nom", "naissance"], C::Identity),
    Entry(&["nom", "usage"], C::Identity),
    Entry(&["birth", "date"], C::Identity),
    Entry(&["birthdate"], C::Identity),
    Entry(&["birthday"], C::Identity),
    Entry(&["date", "of", "birth"], C::Identity),
    Entry(&["dob"], C::Identity),
    Entry(&["date", "naissance"], C::Identity),
    Entry(&["lieu", "naissance"], C::Identity),
    Entry(&["place", "of", "birth"], C::Identity),
    Entry(&["birth", "place"], C::Identity),
    Entry(&["nationality"], C::Identity),
    Entry(&["nationalite"], C::Identity),
    Entry(&["passport", "number"], C::NationalId),
    Entry(&["passport", "no"], C::NationalId),
    Entry(&["numero", "passeport"], C::NationalId),
    // contact
    Entry(&["email"], C::Contact),
    Entry(&["e", "mail"], C::Contact),
    Entry(&["email", "address"], C::Contact),
    Entry(&["mail"], C::Contact),
    Entry(&["courriel"], C::Contact),
    Entry(&["adresse", "mail"], C::Contact),
    Entry(&["adresse", "email"], C::Contact),
    Entry(&["phone"], C::Contact),
    Entry(&["phone", "number"], C::Contact),
    Entry(&["phonenumber"], C::Contact),
    Entry(&["telephone"], C::Contact),
    Entry(&["tel"], C::Contact),
    Entry(&["mobile", "number"], C::Contact),
    Entry(&["numero", "telephone"], C::Contact),
    Entry(&["postal", "address"], C::Contact),
    Entry(&["street", "address"], C::Contact),
    Entry(&["home", "address"], C::Contact),
    Entry(&["billing", "address"], C::Contact),
    Entry(&["shipping", "address"], C::Contact),
    Entry(&["delivery", "address"], C::Contact),
    Entry(&["mailing", "address"], C::Contact),
    Entry(&["address", "line"], C::Contact),
    Entry(&["address", "line", "1"], C::Contact),
    Entry(&["address", "line", "2"], C::Contact),
    Entry(&["address", "1"], C::Contact),
    Entry(&["address", "2"], C::Contact),
    Entry(&["adresse"], C::Contact),
    Entry(&["adresse", "postale"], C::Contact),
    Entry(&["code", "postal"], C::Contact),
    Entry(&["zip", "code"], C::Contact),
    Entry(&["zipcode"], C::Contact),
    Entry(&["postcode"], C::Contact),
    Entry(&["postal", "code"], C::Contact),
    // financial
    Entry(&["iban"], C::Financial),
    Entry(&["rib"], C::Financial),
    Entry(&["card", "number"], C::Financial),
    Entry(&["credit", "card"], C::Financial),
    Entry(&["credit", "card", "number"], C::Financial),
    Entry(&["cvv"], C::Financial),
    Entry(&["cvc"], C::Financial),
    Entry(&["account", "number"], C::Financial),
    Entry(&["bank", "account"], C::Financial),
    Entry(&["bank", "account", "number"], C::Financial),
    Entry(&["routing", "number"], C::Financial),
    Entry(&["sort", "code"], C::Financial),
    Entry(&["numero", "carte"], C::Financial),
    Entry(&["carte", "bancaire"], C::Financial),
    Entry(&["compte", "bancaire"], C::Financial),
    Entry(&["tax", "id"], C::NationalId),
    Entry(&["numero", "fiscal"], C::NationalId),
    // national identifiers
    Entry(&["nir"], C::NationalId),
    Entry(&["ssn"], C::NationalId),
    Entry(&["social", "security", "number"], C::NationalId),
    Entry(&["social", "security", "no"], C::NationalId),
    Entry(&["numero", "securite", "sociale"], C::NationalId),
    Entry(&["num", "secu"], C::NationalId),
    Entry(&["numero", "secu"], C::NationalId),
    Entry(&["no", "secu"], C::NationalId),
    Entry(&["national", "id"], C::NationalId),
    Entry(&["national", "id", "number"], C::NationalId),
    Entry(&["national", "identifier"], C::NationalId),
    Entry(&["id", "card", "number"], C::NationalId),
    Entry(&["numero", "cni"], C::NationalId),
    Entry(&["driver", "license", "number"], C::NationalId),
    Entry(&["drivers", "license", "number"], C::NationalId),
    Entry(&["numero", "permis"], C::NationalId),
    // online identifiers
    Entry(&["ip"], C::OnlineIdentifier),
    Entry(&["ip", "address"], C::OnlineIdentifier),
    Entry(&["ip", "addr"], C::OnlineIdentifier),
    Entry(&["ipaddress"], C::OnlineIdentifier),
    Entry(&["remote", "addr"], C::OnlineIdentifier),
    Entry(&["adresse", "ip"], C::OnlineIdentifier),
    Entry(&["user", "agent"], C::OnlineIdentifier),
    Entry(&["device", "id"], C::OnlineIdentifier),
    Entry(&["advertising", "id"], C::OnlineIdentifier),
    Entry(&["idfa"], C::OnlineIdentifier),
    Entry(&["gaid"], C::OnlineIdentifier),
    Entry(&["imei"], C::OnlineIdentifier),
    Entry(&["mac", "address"], C::OnlineIdentifier),
    // location
    Entry(&["latitude"], C::Location),
    Entry(&["longitude"], C::Location),
    Entry(&["geolocation"], C::Location),
    Entry(&["geoloc"], C::Location),
    Entry(&["gps"], C::Location),
    Entry(&["gps", "position"], C::Location),
    Entry(&["gps", "coordinates"], C::Location),
    Entry(&["geo", "point"], C::Location),
    // health
    Entry(&["diagnosis"], C::Health),
    Entry(&["diagnoses"], C::Health),
    Entry(&["diagnostic", "medical"], C::Health),
    Entry(&["medical", "diagnosis"], C::Health),
    Entry(&["medical", "record"], C::Health),
    Entry(&["medical", "records"], C::Health),
    Entry(&["medical", "history"], C::Health),
    Entry(&["medical", "condition"], C::Health),
    Entry(&["medical", "conditions"], C::Health),
    Entry(&["medical", "notes"], C::Health),
    Entry(&["health", "status"], C::Health),
    Entry(&["health", "condition"], C::Health),
    Entry(&["health", "data"], C::Health),
    Entry(&["blood", "type"], C::Health),
    Entry(&["blood", "group"], C::Health),
    Entry(&["groupe", "sanguin"], C::Health),
    Entry(&["allergy"], C::Health),
    Entry(&["allergies"], C::Health),
    Entry(&["medication"], C::Health),
    Entry(&["medications"], C::Health),
    Entry(&["prescription"], C::Health),
    Entry(&["prescriptions"], C::Health),
    Entry(&["ordonnance"], C::Health),
    Entry(&["disability"], C::Health),
    Entry(&["disabilities"], C::Health),
    Entry(&["handicap"], C::Health),
    Entry(&["pathologie"], C::Health),
    Entry(&["pathologies"], C::Health),
    Entry(&["antecedents", "medicaux"], C::Health),
    Entry(&["dossier", "medical"], C::Health),
    Entry(&["donnees", "sante"], C::Health),
    Entry(&["etat", "sante"], C::Health),
    Entry(&["pregnancy"], C::Health),
    Entry(&["grossesse"], C::Health),
    Entry(&["sick", "leave"], C::Health),
    Entry(&["arret", "maladie"], C::Health),
    // biometric
    Entry(&["empreinte", "digitale"], C::Biometric),
    Entry(&["empreintes", "digitales"], C::Biometric),
    Entry(&["face", "template"], C::Biometric),
    Entry(&["face", "embedding"], C::Biometric),
    Entry(&["face", "encoding"], C::Biometric),
    Entry(&["facial", "template"], C::Biometric),
    Entry(&["biometric", "template"], C::Biometric),
    Entry(&["biometric", "data"], C::Biometric),
    Entry(&["iris", "template"], C::Biometric),
    Entry(&["voiceprint"], C::Biometric),
    Entry(&["fingerprint", "template"], C::Biometric),
    Entry(&["fingerprint", "hash"], C::Biometric),
    Entry(&["fingerprint", "data"], C::Biometric),
    Entry(&["device", "fingerprint"], C::OnlineIdentifier),
    Entry(&["browser", "fingerprint"], C::OnlineIdentifier),
    Entry(&["user", "name"], C::OnlineIdentifier),
    Entry(&["username"], C::OnlineIdentifier),
    Entry(&["last", "login", "ip"], C::OnlineIdentifier),
    Entry(&["gabarit", "biometrique"], C::Biometric),
    // genetic
    Entry(&["dna"], C::Genetic),
    Entry(&["dna", "sequence"], C::Genetic),
    Entry(&["genome"], C::Genetic),
    Entry(&["genotype"], C::Genetic),
    Entry(&["genetic", "data"], C::Genetic),
    Entry(&["genetic", "test"], C::Genetic),
    Entry(&["adn"], C::Genetic),
    // art. 9 others
    Entry(&["ethnicity"], C::RacialOrEthnicOrigin),
    Entry(&["ethnic", "origin"], C::RacialOrEthnicOrigin),
    Entry(&["origine", "ethnique"], C::RacialOrEthnicOrigin),
    Entry(&["political", "opinion"], C::PoliticalOpinions),
    Entry(&["political", "opinions"], C::PoliticalOpinions),
    Entry(&["political", "affiliation"], C::PoliticalOpinions),
    Entry(&["political", "party"], C::PoliticalOpinions),
    Entry(&["opinion", "politique"], C::PoliticalOpinions),
    Entry(&["opinions", "politiques"], C::PoliticalOpinions),
    Entry(&["religion"], C::ReligiousOrPhilosophicalBeliefs),
    Entry(&["religious", "belief"], C::ReligiousOrPhilosophicalBeliefs),
    Entry(
        &["religious", "beliefs"],
        C::ReligiousOrPhilosophicalBeliefs,
    ),
    Entry(
        &["religious", "affiliation"],
        C::ReligiousOrPhilosophicalBeliefs,
    ),
    Entry(&["trade", "union"], C::TradeUnionMembership),
    Entry(&["union", "membership"], C::TradeUnionMembership),
    Entry(&["union", "member"], C::TradeUnionMembership),
    Entry(&["syndicat"], C::TradeUnionMembership),
    Entry(&["appartenance", "syndicale"], C::TradeUnionMembership),
    Entry(&["sexual", "orientation"], C::SexLifeOrOrientation),
    Entry(&["orientation", "sexuelle"], C::SexLifeOrOrientation),
    Entry(&["sex", "life"], C::SexLifeOrOrientation),
    Entry(&["criminal", "record"], C::CriminalConvictions),
    Entry(&["criminal", "records"], C::CriminalConvictions),
    Entry(&["criminal", "history"], C::CriminalConvictions),
    Entry(&["criminal", "conviction"], C::CriminalConvictions),
    Entry(&["criminal", "convictions"], C::CriminalConvictions),
    Entry(&["convictions"], C::CriminalConvictions),
    Entry(&["casier", "judiciaire"], C::CriminalConvictions),
    Entry(&["condamnations"], C::CriminalConvictions),
];

/// Words that, before a dictionary entry, make the field something else: `phone_model` ends with
/// `model`, but `device_phone` or `template_email` are read as a whole. Checked on the word
/// before the match only (`email_template` never matches: it ends with `template`).
const NOT_PERSONAL_BEFORE: &[&str] = &[
    "server",
    "smtp",
    "imap",
    "sender",
    "from",
    "noreply",
    "no",
    "support",
    "company",
    "organisation",
    "organization",
    "org",
    "merchant",
    "vendor",
    "supplier",
    "store",
    "shop",
    "shipping",
    "warehouse",
    "office",
    "sale",
    "sales",
    "entreprise",
    "societe",
    "fournisseur",
    "magasin",
    "admin",
    "system",
    "bot",
    "proxy",
    "gateway",
    "server",
    "node",
    "host",
    "cluster",
    "pod",
    "service",
    "router",
    "dns",
    "default",
    "fallback",
    "template",
    "test",
    // a machine's or a file's fingerprint, not a finger's
    "key",
    "cert",
    "certificate",
    "ssh",
    "gpg",
    "pgp",
    "tls",
    "file",
    "content",
    "commit",
    "build",
    "package",
    "schema",
    // a verb or a flag about the data, not the data (`verify_email`, `has_phone`)
    "verify",
    "validate",
    "confirm",
    "send",
    "notify",
    "enable",
    "require",
    "allow",
    "use",
    "has",
    "is",
];

/// Splits a field name into folded words: `billingEmail`, `billing_email`, `billing-email`
/// and `BILLING_EMAIL` all give `billing`, `email`.
pub fn words(name: &str) -> Vec<String> {
    if name.is_ascii() {
        return ascii_words(name.as_bytes());
    }
    words_of_chars(name)
}

/// [`words`] of an ASCII name (most are), on its bytes: each word is made once, lowercase (what
/// folding an ASCII word gives), where the general way collects the characters first and folds
/// each word into a second string.
fn ascii_words(name: &[u8]) -> Vec<String> {
    let lower = |word: &[u8]| -> String {
        word.iter()
            .map(|&b| char::from(b.to_ascii_lowercase()))
            .collect()
    };
    let mut out = Vec::new();
    each_word(name, |from, to| out.push(lower(&name[from..to])));
    out
}

/// [`words`], character by character (any name).
fn words_of_chars(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    each_word(&chars, |from, to| {
        out.push(fold(&chars[from..to].iter().collect::<String>()).to_string());
    });
    out
}

/// A character of a name, as [`each_word`] asks about it: a byte of an ASCII name, or a
/// character of any.
trait Letter: Copy {
    fn alphanumeric(self) -> bool;
    fn alphabetic(self) -> bool;
    fn upper(self) -> bool;
    fn lower(self) -> bool;
    /// `0` to `9` only.
    fn digit(self) -> bool;
}

impl Letter for u8 {
    fn alphanumeric(self) -> bool {
        self.is_ascii_alphanumeric()
    }
    fn alphabetic(self) -> bool {
        self.is_ascii_alphabetic()
    }
    fn upper(self) -> bool {
        self.is_ascii_uppercase()
    }
    fn lower(self) -> bool {
        self.is_ascii_lowercase()
    }
    fn digit(self) -> bool {
        self.is_ascii_digit()
    }
}

impl Letter for char {
    fn alphanumeric(self) -> bool {
        self.is_alphanumeric()
    }
    fn alphabetic(self) -> bool {
        self.is_alphabetic()
    }
    fn upper(self) -> bool {
        self.is_uppercase()
    }
    fn lower(self) -> bool {
        self.is_lowercase()
    }
    fn digit(self) -> bool {
        self.is_ascii_digit()
    }
}

/// Hands each word of a name to `word` as where it starts and ends in `name`: a word is a run
/// of letters and digits, cut at a lower-to-upper step (`billingEmail`), before the last capital
/// of a run followed by a lowercase letter (`IPAddress` gives `IP`, `Address`), and between
/// letters and digits (`addressLine1`, `line2`: digits are a word of their own).
fn each_word<T: Letter>(name: &[T], mut word: impl FnMut(usize, usize)) {
    let mut start = None;
    for (i, &c) in name.iter().enumerate() {
        if !c.alphanumeric() {
            if let Some(from) = start.take() {
                word(from, i);
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| name[p]);
        let next = name.get(i + 1);
        let boundary = (c.upper()
            && prev.is_some_and(|p| {
                p.lower() || p.digit() || (p.upper() && next.is_some_and(|n| n.lower()))
            }))
            || (c.digit() && prev.is_some_and(Letter::alphabetic))
            || (c.alphabetic() && prev.is_some_and(Letter::digit));
        match start {
            Some(from) if boundary => {
                word(from, i);
                start = Some(i);
            }
            Some(_) => {}
            None => start = Some(i),
        }
    }
    if let Some(from) = start {
        word(from, name.len());
    }
}

/// Words that name a person in a table, model, message or type name (`users`,
/// `CustomerProfile`, `salaries`): there, a bare `name`, `address` or `city` is about that person.
const PERSON: &[&str] = &[
    "user",
    "users",
    "customer",
    "customers",
    "client",
    "clients",
    "employee",
    "employees",
    "staff",
    "patient",
    "patients",
    "member",
    "members",
    "person",
    "persons",
    "people",
    "contact",
    "contacts",
    "account",
    "accounts",
    "profile",
    "profiles",
    "subscriber",
    "subscribers",
    "applicant",
    "applicants",
    "candidate",
    "candidates",
    "student",
    "students",
    "guest",
    "guests",
    "visitor",
    "visitors",
    "buyer",
    "buyers",
    "owner",
    "owners",
    "driver",
    "drivers",
    "passenger",
    "passengers",
    "tenant",
    "tenants",
    "citizen",
    "citizens",
    "lead",
    "leads",
    "prospect",
    "prospects",
    "beneficiary",
    "beneficiaries",
    "volunteer",
    "volunteers",
    "utilisateur",
    "utilisateurs",
    "salarie",
    "salaries",
    "employe",
    "employes",
    "adherent",
    "adherents",
    "abonne",
    "abonnes",
    "personne",
    "personnes",
    "candidat",
    "candidats",
    "eleve",
    "eleves",
    "etudiant",
    "etudiants",
    "beneficiaire",
    "beneficiaires",
    "usager",
    "usagers",
    "locataire",
    "locataires",
    "agent",
    "agents",
    "collaborateur",
    "collaborateurs",
];

/// Whether a table, model, message or type name is about people.
pub fn is_person(container: &str) -> bool {
    words(container)
        .iter()
        .any(|w| PERSON.contains(&w.as_str()))
}

/// Names that are personal data only in a person's table or model (`users.name`, not
/// `products.name`).
static IN_PERSON: &[Entry] = &[
    Entry(&["name"], C::Identity),
    Entry(&["nom"], C::Identity),
    Entry(&["display", "name"], C::Identity),
    Entry(&["age"], C::Identity),
    Entry(&["photo"], C::Identity),
    Entry(&["avatar"], C::Identity),
    Entry(&["address"], C::Contact),
    Entry(&["city"], C::Contact),
    Entry(&["ville"], C::Contact),
    Entry(&["zip"], C::Contact),
    Entry(&["race"], C::RacialOrEthnicOrigin),
    Entry(&["confession"], C::ReligiousOrPhilosophicalBeliefs),
    Entry(&["mobile"], C::Contact),
    Entry(&["street"], C::Contact),
    Entry(&["portable"], C::Contact),
    Entry(&["gender"], C::Identity),
    Entry(&["sexe"], C::Identity),
    Entry(&["salary"], C::Financial),
    Entry(&["salaire"], C::Financial),
    Entry(&["income"], C::Financial),
    Entry(&["revenu"], C::Financial),
    Entry(&["revenus"], C::Financial),
    Entry(&["pan"], C::Financial),
    Entry(&["bic"], C::Financial),
    Entry(&["fingerprint"], C::Biometric),
    Entry(&["fingerprints"], C::Biometric),
];

/// The category a field name holds, if the dictionary knows it (outside a person's table).
pub fn classify(name: &str) -> Option<Category> {
    classify_in(name, false)
}

/// The category a field name holds, in a table, model or type that is about people or not.
pub fn classify_in(name: &str, person: bool) -> Option<Category> {
    let words = words(name);
    classify_words(&words, person).or_else(|| {
        // a plural (`phone_numbers`, `emails`): the last word without its `s`
        let last = words.last()?;
        let singular = last
            .strip_suffix('s')
            .filter(|w| w.len() > 2 && !w.ends_with('s'))?;
        let mut words = words.clone();
        *words.last_mut()? = singular.to_string();
        classify_words(&words, person)
    })
}

/// The entries by their last word, in the dictionary's order ([`ENTRIES`], then [`IN_PERSON`],
/// marked `true`): a name is compared only with the entries it can end with (most names end
/// with none).
static BY_LAST: std::sync::LazyLock<crate::hash::Map<&'static str, Vec<(&'static Entry, bool)>>> =
    std::sync::LazyLock::new(|| {
        let mut by_last = crate::hash::Map::<_, Vec<_>>::default();
        let all = ENTRIES.iter().map(|e| (e, false));
        for (entry, in_person) in all.chain(IN_PERSON.iter().map(|e| (e, true))) {
            if let Some(last) = entry.0.last() {
                by_last.entry(*last).or_default().push((entry, in_person));
            }
        }
        by_last
    });

fn classify_words(words: &[String], person: bool) -> Option<Category> {
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    let mut best: Option<(usize, Category)> = None;
    let last = words[words.len() - 1].as_str();
    let ending = BY_LAST.get(last).map_or(&[][..], Vec::as_slice);
    for &(Entry(entry, category), in_person) in ending {
        let n = entry.len();
        if (in_person && !person) || n > words.len() || words[words.len() - n..] != **entry {
            continue;
        }
        if best.is_none_or(|(len, _)| n > len) {
            best = Some((n, *category));
        }
    }
    let (n, category) = best?;
    // a qualifier that makes it someone else's, or a machine's (`smtp_email`, `server_ip`)
    if let Some(before) = words.len().checked_sub(n + 1).map(|i| words[i].as_str())
        && NOT_PERSONAL_BEFORE.contains(&before)
    {
        return None;
    }
    Some(category)
}

/// Whether an activity's declared `data_categories` cover a category (special categories are
/// checked against `special_categories` by the caller).
pub fn declares<'a>(declared: impl IntoIterator<Item = &'a str>, category: Category) -> bool {
    let wanted = category.declared_by();
    declared.into_iter().any(|d| {
        let d = fold(d);
        let tokens: Vec<&str> = d
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .filter(|t| !t.is_empty())
            .collect();
        wanted.iter().any(|w| {
            let w: Vec<&str> = w.split(' ').collect();
            tokens.windows(w.len()).any(|win| win == w.as_slice())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Looking a name up by its last word finds what trying every entry in the dictionary's
    /// order finds, on every entry's words, with and without what is said in person, and with a
    /// word before them.
    #[test]
    fn the_lookup_by_last_word_finds_what_every_entry_finds() {
        let every = |words: &[String], person: bool| {
            let extra: &[Entry] = if person { IN_PERSON } else { &[] };
            let mut best: Option<(usize, Category)> = None;
            if words.len() > 8 {
                return None;
            }
            for Entry(entry, category) in ENTRIES.iter().chain(extra) {
                let n = entry.len();
                if n <= words.len()
                    && words[words.len() - n..] == **entry
                    && best.is_none_or(|(len, _)| n > len)
                {
                    best = Some((n, *category));
                }
            }
            best.map(|(_, c)| c)
        };
        assert!(ENTRIES.iter().chain(IN_PERSON).all(|e| !e.0.is_empty()));
        assert!(!NOT_PERSONAL_BEFORE.contains(&"x"));
        for Entry(entry, _) in ENTRIES.iter().chain(IN_PERSON) {
            let words: Vec<String> = entry.iter().map(|w| w.to_string()).collect();
            let longer: Vec<String> = std::iter::once("x".to_string())
                .chain(words.clone())
                .collect();
            for w in [&words, &longer] {
                for person in [false, true] {
                    assert_eq!(classify_words(w, person), every(w, person), "{w:?}");
                }
            }
        }
    }

    /// The ASCII way splits every ASCII name as the general way does: every name of up to five
    /// characters from lowercase, uppercase, digits and separators.
    #[test]
    fn ascii_names_split_as_any_name() {
        let alphabet = ['a', 'b', 'A', 'B', '1', '_', '-', ' '];
        for name in crate::harness::every_text(&alphabet, 5) {
            assert_eq!(
                ascii_words(name.as_bytes()),
                words_of_chars(&name),
                "{name:?}"
            );
        }
    }

    #[test]
    fn names_split_in_every_case() {
        assert_eq!(words("billingEmail"), ["billing", "email"]);
        assert_eq!(words("Prénom_Client"), ["prenom", "client"]);
        assert_eq!(words("BILLING_EMAIL"), ["billing", "email"]);
        assert_eq!(words("billing-email"), ["billing", "email"]);
        assert_eq!(words("IPAddress"), ["ip", "address"]);
        assert_eq!(words("dateDeNaissance"), ["date", "de", "naissance"]);
        assert_eq!(words("téléphone"), ["telephone"]);
    }

    #[test]
    fn personal_fields_are_found_and_lookalikes_are_not() {
        for (name, want) in [
            ("email", Some(C::Contact)),
            ("user_email", Some(C::Contact)),
            ("emailAddress", Some(C::Contact)),
            ("email_template_id", None),
            ("phone_model", None),
            ("phone_number", Some(C::Contact)),
            ("smtp_email", None),
            ("ip_address", Some(C::OnlineIdentifier)),
            ("server_ip", None),
            ("iban", Some(C::Financial)),
            ("numero_securite_sociale", Some(C::NationalId)),
            ("nir", Some(C::NationalId)),
            ("date_naissance", Some(C::Identity)),
            ("name", None),
            ("product_name", None),
            ("first_name", Some(C::Identity)),
            ("diagnosis", Some(C::Health)),
            ("blood_type", Some(C::Health)),
            ("address", None),
            ("home_address", Some(C::Contact)),
            ("mac_address", Some(C::OnlineIdentifier)),
            ("address_line1", Some(C::Contact)),
            ("addressLine2", Some(C::Contact)),
            ("ssh_key_fingerprint", None),
            ("device_fingerprint", Some(C::OnlineIdentifier)),
            ("mobile", None),
            ("phone_numbers", Some(C::Contact)),
            ("emails", Some(C::Contact)),
            ("address", None),
            ("gender", None),
            ("username", Some(C::OnlineIdentifier)),
            ("email_verified", None),
            ("verify_email", None),
            ("has_phone", None),
            ("created_at", None),
        ] {
            assert_eq!(classify(name), want, "{name}");
        }
    }

    #[test]
    fn bare_words_count_only_in_a_persons_table() {
        assert!(is_person("users"));
        assert!(is_person("CustomerProfile"));
        assert!(is_person("salariés"));
        assert!(!is_person("products"));
        assert!(!is_person("order_items"));
        for (name, want) in [
            ("name", Some(C::Identity)),
            ("city", Some(C::Contact)),
            ("mobile", Some(C::Contact)),
            ("gender", Some(C::Identity)),
            ("fingerprint", Some(C::Biometric)),
            ("key_fingerprint", None),
            ("name_template", None),
        ] {
            assert_eq!(classify_in(name, true), want, "{name} in a person's table");
        }
        assert_eq!(classify_in("name", false), None);
    }

    #[test]
    fn declared_categories_are_matched_as_words() {
        let declared = ["identity", "coordonnées"];
        let declared = || declared.iter().copied();
        assert!(declares(declared(), C::Identity));
        assert!(declares(declared(), C::Contact));
        assert!(!declares(declared(), C::Financial));
        // `ip` inside `shipping` is not a word
        assert!(!declares(["shipping"], C::OnlineIdentifier));
    }
}
