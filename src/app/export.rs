//! `ropa export --format fides`: the manifests as fides `system` YAML, one system per manifest
//! file (and DPIA decision) and one privacy declaration per activity, with keys of fideslang's
//! default taxonomy, so that teams using fides can load them; what fides cannot hold goes in
//! `meta.ropa`, so that reading the export back gives the same findings.

use std::fmt::Write;

use crate::catalog::load::Loaded;
use crate::engine::Outcome;
use crate::manifest::model::Activity;
use std::path::Path;

use crate::manifest::vocab::{Art9Condition, LegalBasis, Safeguard, SpecialCategory, Vocabulary};

/// The data uses of fideslang 3's default taxonomy: the export writes only these, so that
/// `fides push` accepts what it writes.
const FIDES_USES: &[&str] = &[
    "analytics",
    "analytics.reporting",
    "analytics.reporting.ad_performance",
    "analytics.reporting.content_performance",
    "analytics.reporting.campaign_insights",
    "analytics.reporting.system",
    "analytics.reporting.system.performance",
    "collect",
    "employment",
    "employment.recruitment",
    "essential",
    "essential.fraud_detection",
    "essential.legal_obligation",
    "essential.service",
    "essential.service.authentication",
    "essential.service.notifications",
    "essential.service.notifications.email",
    "essential.service.notifications.sms",
    "essential.service.operations",
    "essential.service.operations.support",
    "essential.service.operations.improve",
    "essential.service.payment_processing",
    "essential.service.security",
    "essential.service.upgrades",
    "finance",
    "functional",
    "functional.storage",
    "functional.storage.privacy_preferences",
    "functional.service",
    "functional.service.improve",
    "marketing",
    "marketing.advertising",
    "marketing.advertising.first_party",
    "marketing.advertising.first_party.contextual",
    "marketing.advertising.first_party.targeted",
    "marketing.advertising.frequency_capping",
    "marketing.advertising.negative_targeting",
    "marketing.advertising.profiling",
    "marketing.advertising.serving",
    "marketing.advertising.third_party",
    "marketing.advertising.third_party.targeted",
    "marketing.communications",
    "marketing.communications.email",
    "marketing.communications.sms",
    "operations",
    "personalize",
    "personalize.content",
    "personalize.profiling",
    "personalize.content.limited",
    "personalize.content.profiling",
    "personalize.content.profiled",
    "personalize.system",
    "sales",
    "third_party_sharing",
    "third_party_sharing.legal_obligation",
    "train_ai_system",
];

/// The data use written when the catalog names none of fideslang's for the purpose (or the
/// purpose is not in the catalog); the purpose itself is kept in `meta.ropa`.
const FALLBACK_USE: &str = "essential.service";

/// A fideslang default-taxonomy data category for a data category in ropa's words: the most
/// specific whose words appear in them, else `user`. First match wins, so specific entries come
/// before general ones.
const CATEGORY_WORDS: &[(&[&str], &str)] = &[
    (&["email", "courriel", "mail"], "user.contact.email"),
    (
        &["phone", "telephone", "mobile"],
        "user.contact.phone_number",
    ),
    (&["ip"], "user.device.ip_address"),
    (&["address", "adresse"], "user.contact.address"),
    (&["contact", "coordonnees"], "user.contact"),
    (
        &["iban", "bank", "bancaire", "rib"],
        "user.financial.bank_account",
    ),
    (&["card", "carte"], "user.financial.credit_card"),
    (
        &[
            "payment", "paiement", "invoice", "facture", "salary", "salaire", "payroll", "paie",
        ],
        "user.financial",
    ),
    (
        &["purchase", "achat", "order", "commande"],
        "user.behavior.purchase_history",
    ),
    (
        &["browsing", "navigation"],
        "user.behavior.browsing_history",
    ),
    (&["cookie", "tracker", "traceur"], "user.device.cookie_id"),
    (&["device", "terminal"], "user.device"),
    (
        &["location", "geoloc", "localisation", "gps"],
        "user.location.precise",
    ),
    (
        &[
            "password",
            "motdepasse",
            "credential",
            "login",
            "identifiant",
        ],
        "user.authorization.credentials",
    ),
    (
        &["image", "photo", "video", "camera"],
        "user.content.self_image",
    ),
    (&["job", "poste", "fonction"], "user.job_title"),
    (
        &["work", "travail", "badge", "schedule", "horaire"],
        "user.workplace",
    ),
    (
        &["birth", "naissance", "age"],
        "user.demographic.date_of_birth",
    ),
    (
        &[
            "nir",
            "socialsecurity",
            "securitesociale",
            "passport",
            "passeport",
            "idcard",
        ],
        "user.government_id",
    ),
    (
        &["identity", "identite", "name", "nom", "civilite"],
        "user.name",
    ),
    (&["account", "compte"], "user.account"),
];

/// A fideslang default-taxonomy data subject for ropa's words, else `anonymous_user`, the one
/// that says least.
const SUBJECT_WORDS: &[(&[&str], &str)] = &[
    (
        &["employee", "salarie", "staff", "agent", "personnel"],
        "employee",
    ),
    (&["candidate", "candidat", "applicant"], "job_applicant"),
    (&["prospect"], "prospect"),
    (
        &[
            "customer",
            "client",
            "member",
            "adherent",
            "donor",
            "donateur",
            "user",
            "utilisateur",
            "tenant",
            "locataire",
        ],
        "customer",
    ),
    (&["patient"], "patient"),
    (&["visitor", "visiteur"], "visitor"),
    (&["supplier", "fournisseur", "vendor"], "supplier_vendor"),
    (&["consultant", "contractor", "prestataire"], "consultant"),
    (&["trainee", "stagiaire", "intern", "apprenti"], "trainee"),
    (&["shareholder", "actionnaire"], "shareholder"),
    (&["passenger", "passager"], "passenger"),
    (&["relative", "proche", "kin"], "next_of_kin"),
    (
        &["voter", "electeur", "citizen", "citoyen"],
        "citizen_voter",
    ),
];

/// The taxonomy key whose words begin a word of `text` (folded; a long one may be anywhere in
/// it, `motdepasse`), else `fallback`.
fn taxonomy(text: &str, table: &[(&[&str], &'static str)], fallback: &'static str) -> &'static str {
    use crate::manifest::vocab::fold;
    let whole = fold(text);
    let words: Vec<smol_str::SmolStr> = text
        .split(|c: char| !c.is_alphanumeric())
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect();
    table
        .iter()
        .find(|(keys, _)| {
            keys.iter().any(|k| {
                words.iter().any(|w| w.starts_with(k)) || (k.len() > 6 && whole.contains(k))
            })
        })
        .map_or(fallback, |(_, key)| key)
}

/// The taxonomy keys for a list of ropa words, each once, in order.
fn keys_of(
    items: &[crate::manifest::model::Sp<crate::manifest::model::Text>],
    table: &[(&[&str], &'static str)],
    fallback: &'static str,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        let k = taxonomy(&i.value, table, fallback).to_string();
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A fides key: letters, digits, `_`, `.` and `-`.
fn fides_key(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        // accented letters lose their accent (`identité` → `identite`), not the letter
        if let Some(plain) = crate::manifest::vocab::unaccent(c) {
            out.push_str(plain);
            continue;
        }
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            c
        } else {
            '_'
        };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        "unnamed".into()
    } else {
        out
    }
}

/// fideslang's spelling of a legal basis.
fn fides_basis(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Consent => "Consent",
        LegalBasis::Contract => "Contract",
        LegalBasis::LegalObligation => "Legal obligations",
        LegalBasis::VitalInterests => "Vital interests",
        LegalBasis::PublicTask => "Public interest",
        LegalBasis::LegitimateInterests => "Legitimate interests",
    }
}

/// fideslang's spelling of an art. 9(2) condition: the alias that spells it.
fn fides_condition(c: Art9Condition) -> &'static str {
    c.aliases()
        .iter()
        .copied()
        .find(|a| a.chars().next().is_some_and(char::is_uppercase))
        .unwrap_or("Explicit consent")
}

/// The fides data use of an activity: the catalog's first fideslang alias for its purpose that
/// is in the default taxonomy (or the nearest parent that is), else [`FALLBACK_USE`].
fn data_use(catalog: &Loaded, a: &Activity) -> &'static str {
    let raw = a.purpose.as_ref().map_or("", |p| p.value.as_str());
    let Some(p) = catalog.resolve(raw) else {
        return FALLBACK_USE;
    };
    p.aliases
        .iter()
        .find_map(|alias| {
            let mut key = alias.as_str();
            loop {
                if let Some(found) = FIDES_USES.iter().find(|u| **u == key) {
                    return Some(*found);
                }
                key = key.rsplit_once('.')?.0;
            }
        })
        .unwrap_or(FALLBACK_USE)
}

fn list(out: &mut String, indent: &str, key: &str, items: &[String]) {
    if items.is_empty() {
        let _ = writeln!(out, "{indent}{key}: []");
        return;
    }
    let _ = writeln!(out, "{indent}{key}:");
    for i in items {
        let _ = writeln!(out, "{indent}  - {}", q(i));
    }
}

/// The fides data category that carries a special category, so that reading the export back
/// finds it again (fideslang's default taxonomy).
fn special_key(c: SpecialCategory) -> &'static str {
    // keys of fideslang 3's default taxonomy
    match c {
        SpecialCategory::Health => "user.health_and_medical",
        SpecialCategory::Biometric => "user.biometric",
        SpecialCategory::Genetic => "user.health_and_medical.genetic",
        SpecialCategory::CriminalConvictions => "user.criminal_history",
        SpecialCategory::PoliticalOpinions => "user.demographic.political_opinion",
        SpecialCategory::ReligiousOrPhilosophicalBeliefs => "user.demographic.religious_belief",
        SpecialCategory::SexLifeOrOrientation => "user.demographic.sexual_orientation",
        SpecialCategory::RacialOrEthnicOrigin => "user.demographic.race_ethnicity",
        // the taxonomy has no key for it: the category is kept in `meta.ropa`
        SpecialCategory::TradeUnionMembership => "user",
    }
}

/// fideslang's spelling of a transfer safeguard (`legal_basis_for_transfers`).
fn fides_safeguard(s: Safeguard) -> &'static str {
    match s {
        Safeguard::Adequacy => "Adequacy Decision",
        Safeguard::Scc => "SCCs",
        Safeguard::Bcr => "BCRs",
        Safeguard::Derogation | Safeguard::Other => "Other",
    }
}

/// A path a manifest names (a balancing test, a DPIA), as it must be written in the export to
/// lead to the same file: relative to the directory the export is written to. URLs and
/// absolute paths are kept as they are.
fn moved(reference: &str, manifest: &Path, out_dir: &Path) -> String {
    if reference.contains("://") || Path::new(reference).is_absolute() {
        return reference.to_string();
    }
    let target = crate::engine::run::canonical(&crate::source::dir_of(manifest).join(reference));
    let from = crate::engine::run::canonical(out_dir);
    relative(&target, &from).map_or_else(
        || target.to_string_lossy().into_owned(),
        |r| crate::source::slashed(&r),
    )
}

/// `target` relative to the directory `from` (both absolute), with `..` where needed.
fn relative(target: &Path, from: &Path) -> Option<std::path::PathBuf> {
    let (t, f): (Vec<_>, Vec<_>) = (target.components().collect(), from.components().collect());
    let common = t.iter().zip(&f).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut out = std::path::PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    Some(out)
}

/// A DPIA decision as fides records it for a whole system: required or not (or not recorded),
/// and where the DPIA is.
type Decision = (Option<bool>, Option<String>);

/// An activity's data categories as taxonomy keys, the special categories' keys after them.
fn fides_categories(a: &Activity) -> Vec<String> {
    let mut categories = keys_of(&a.data_categories, CATEGORY_WORDS, "user");
    for c in &a.special_categories {
        let k = special_key(c.value).to_string();
        if !categories.contains(&k) {
            categories.push(k);
        }
    }
    categories
}

/// An activity's data subjects as taxonomy keys.
fn fides_subjects(a: &Activity) -> Vec<String> {
    keys_of(&a.data_subjects, SUBJECT_WORDS, "anonymous_user")
}

/// `meta.ropa`: for each declaration, in order, what fides cannot hold (the activity's id, its
/// purpose, its data categories and subjects in ropa's words, how consent is withdrawn, the law
/// behind a legal obligation, its deviations), with the fides values they were exported as.
/// Reading the export back restores a detail only while the fides field still says what the
/// export wrote, so an edit made in fides is never overridden by a stale detail.
fn meta(out: &mut String, activities: &[&Activity], catalog: &Loaded) {
    out.push_str("    meta:\n      ropa:\n");
    let words = |v: &[crate::manifest::model::Sp<crate::manifest::model::Text>]| {
        v.iter().map(|s| s.value.to_string()).collect::<Vec<_>>()
    };
    for a in activities {
        let _ = writeln!(out, "        - id: {}", q(a.id_str().unwrap_or("")));
        let _ = writeln!(out, "          data_use: {}", q(data_use(catalog, a)));
        if let Some(p) = &a.purpose {
            let _ = writeln!(out, "          purpose: {}", q(&p.value));
        }
        let indent = "          ";
        list(out, indent, "fides_categories", &fides_categories(a));
        list(out, indent, "data_categories", &words(&a.data_categories));
        list(out, indent, "fides_subjects", &fides_subjects(a));
        list(out, indent, "data_subjects", &words(&a.data_subjects));
        let special: Vec<String> = a
            .special_categories
            .iter()
            .map(|c| c.value.to_string())
            .collect();
        if !special.is_empty() {
            list(out, indent, "special_categories", &special);
        }
        if let Some(w) = a.consent.as_ref().and_then(|c| c.withdrawal.as_ref()) {
            let _ = writeln!(out, "          consent_withdrawal: {}", q(&w.value));
        }
        if let Some(r) = a
            .legal_obligation
            .as_ref()
            .and_then(|l| l.reference.as_ref())
        {
            let _ = writeln!(out, "          legal_obligation_reference: {}", q(&r.value));
        }
        if !a.deviations.is_empty() {
            out.push_str("          deviations:\n");
            for d in &a.deviations {
                let rule = d.rule.as_ref().map_or("", |r| r.value.as_str());
                let _ = writeln!(out, "            - rule: {}", q(rule));
                if let Some(j) = &d.justification {
                    let _ = writeln!(out, "              justification: {}", q(&j.value));
                }
                if let Some(b) = &d.approved_by {
                    let _ = writeln!(out, "              approved_by: {}", q(&b.value));
                }
            }
        }
    }
}

/// One activity's DPIA decision.
fn decision(a: &Activity) -> Decision {
    a.dpia.as_ref().map_or((None, None), |d| {
        (
            d.required.as_ref().map(|r| r.value),
            d.reference.as_ref().map(|r| r.value.to_string()),
        )
    })
}

/// Writes fides `system` YAML: one system per manifest file, split in one system per DPIA
/// decision when its activities differ (fides records the decision per system), one privacy
/// declaration per activity. `out_dir` is where the export is written: the paths it carries
/// are made to resolve from there.
pub fn fides(outcome: &Outcome, catalog: &Loaded, out_dir: &Path) -> String {
    let mut out =
        String::from("# fides system manifest exported by `ropa export --format fides`\nsystem:\n");
    let mut taken = std::collections::HashSet::new();
    for (file, (source, manifest)) in outcome.sources.iter().zip(&outcome.manifests).enumerate() {
        if !outcome.reported[file] || manifest.activities.is_empty() {
            continue;
        }
        let stem = source
            .path()
            .parent()
            .and_then(|p| p.file_name())
            .map_or_else(
                || source.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
        // the manifest's directory, plus its name when it is not plain processing.yaml
        let mut key = source
            .display()
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .replace('/', ".");
        let file_stem = source
            .path()
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        if !matches!(file_stem.as_str(), "processing") {
            key = format!("{key}.{}", file_stem.trim_end_matches(".processing"));
        }
        let base = fides_key(key.trim_matches('.'));
        // activities grouped by DPIA decision, in the order they first appear
        let mut groups: Vec<(Decision, Vec<&Activity>)> = Vec::new();
        for a in &manifest.activities {
            let d = decision(a);
            match groups.iter_mut().find(|(k, _)| *k == d) {
                Some((_, list)) => list.push(a),
                None => groups.push((d, vec![a])),
            }
        }
        for (n, ((required, reference), activities)) in groups.iter().enumerate() {
            // a key of its own: two manifests (`a/b/processing.yaml`, `a/b.processing.yaml`) or
            // two DPIA decisions never share one
            let mut key = if n == 0 {
                base.clone()
            } else {
                format!("{base}_{}", n + 1)
            };
            let mut k = 2;
            while !taken.insert(key.clone()) {
                key = format!("{base}_{k}");
                k += 1;
            }
            system(
                &mut out,
                &key,
                &stem,
                source,
                manifest,
                activities,
                *required,
                reference.as_deref(),
                catalog,
                out_dir,
            );
        }
    }
    out
}

/// One fides system: its header, then a declaration per activity.
#[allow(clippy::too_many_arguments)]
fn system(
    out: &mut String,
    key: &str,
    stem: &str,
    source: &crate::source::Source,
    manifest: &crate::manifest::model::Manifest,
    activities: &[&Activity],
    required: Option<bool>,
    reference: Option<&str>,
    catalog: &Loaded,
    out_dir: &Path,
) {
    let _ = writeln!(out, "  - fides_key: {}", q(key));
    let _ = writeln!(out, "    name: {}", q(stem));
    let _ = writeln!(
        out,
        "    description: {}",
        q(&format!(
            "Processing activities declared in {}",
            source.display()
        ))
    );
    let _ = writeln!(out, "    system_type: \"Service\"");
    // no decision recorded stays unrecorded: the reader reports it again (DP001)
    if let Some(required) = required {
        let _ = writeln!(out, "    requires_data_protection_assessments: {required}");
    }
    if let Some(r) = reference {
        let _ = writeln!(
            out,
            "    dpa_location: {}",
            q(&moved(r, source.path(), out_dir))
        );
    }
    if let Some(c) = manifest
        .activities
        .iter()
        .find_map(|a| a.controller.as_ref()?.name.as_ref())
    {
        let _ = writeln!(out, "    legal_name: {}", q(&c.value));
    }
    // transfers: fides records them for the system
    let transfers: Vec<&crate::manifest::model::Transfer> =
        activities.iter().flat_map(|a| &a.transfers).collect();
    if !transfers.is_empty() {
        out.push_str("    does_international_transfers: true\n");
        let mut bases: Vec<&str> = transfers
            .iter()
            .filter_map(|t| t.safeguard.as_ref().map(|s| fides_safeguard(s.value)))
            .collect();
        bases.dedup();
        // a transfer without a safeguard leaves the basis out, so that TR001 comes back
        if transfers.iter().all(|t| t.safeguard.is_some()) && !bases.is_empty() {
            list(
                out,
                "    ",
                "legal_basis_for_transfers",
                &bases.iter().map(|b| (*b).to_string()).collect::<Vec<_>>(),
            );
        }
        let mut countries: Vec<String> = transfers
            .iter()
            .filter_map(|t| t.country.as_ref().map(|c| c.value.to_string()))
            .collect();
        countries.sort();
        countries.dedup();
        if !countries.is_empty() {
            // fideslang 1.x's field, which later versions ignore: it keeps the countries
            list(out, "    ", "third_country_transfers", &countries);
        }
    }
    meta(out, activities, catalog);
    out.push_str("    privacy_declarations:\n");
    for a in activities {
        let name = a.name.as_ref().map_or_else(
            || a.id_str().unwrap_or("").to_string(),
            |n| n.value.to_string(),
        );
        let _ = writeln!(out, "      - name: {}", q(&name));
        let _ = writeln!(out, "        data_use: {}", q(data_use(catalog, a)));
        list(out, "        ", "data_categories", &fides_categories(a));
        list(out, "        ", "data_subjects", &fides_subjects(a));
        if let Some(b) = &a.legal_basis {
            let _ = writeln!(
                out,
                "        legal_basis_for_processing: {}",
                q(fides_basis(b.value))
            );
        }
        if !a.special_categories.is_empty() {
            out.push_str("        processes_special_category_data: true\n");
            if let Some(c) = &a.special_category_condition {
                let _ = writeln!(
                    out,
                    "        special_category_legal_basis: {}",
                    q(fides_condition(c.value))
                );
            }
        }
        if let Some(r) = &a.retention {
            let mut text = r
                .active
                .as_ref()
                .map_or(String::new(), |d| d.value.to_string());
            if let Some(s) = &r.starts {
                text.push_str(&format!(" from {}", s.value.0));
            }
            if let Some(archive) = &r.archive {
                text.push_str(&format!(", then archived {}", archive.value));
                if let Some(reason) = &r.archive_reason {
                    text.push_str(&format!(" (reason: {})", reason.value));
                }
            }
            if !text.is_empty() {
                let _ = writeln!(out, "        retention_period: {}", q(text.trim()));
            }
        }
        if let Some(lia) = a
            .legitimate_interests
            .as_ref()
            .and_then(|l| l.balancing_test.as_ref())
        {
            let _ = writeln!(
                out,
                "        impact_assessment_location: {}",
                q(&moved(&lia.value, source.path(), out_dir))
            );
        }
        if !a.recipients.is_empty() {
            out.push_str("        data_shared_with_third_parties: true\n");
            let recipients: Vec<&str> = a.recipients.iter().map(|r| r.value.as_str()).collect();
            let _ = writeln!(out, "        third_parties: {}", q(&recipients.join(", ")));
        }
    }
}
