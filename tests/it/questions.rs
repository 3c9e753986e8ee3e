//! Questions people ask `ropa recommend`, in French and English, with and without accents, each
//! with the CNIL text its answer comes from. Questions the catalog does not cover must be
//! refused: the worst answer is a confident one about another purpose.

use crate::common::{repo_root, ropa, stderr, stdout};

/// (question, the purpose that answers it, the text that says so). `None`: the catalog has no
/// such purpose, and must say so.
const QUESTIONS: &[(&str, Option<&str>, &str)] = &[
    (
        "Gestion de clientèle : fiche client, courriers et relances",
        Some("customer-management"),
        "CNIL, délibération n° 2021-131, référentiel « gestion des activités commerciales »",
    ),
    (
        "gestion de clientele",
        Some("customer-management"),
        "CNIL, délibération n° 2021-131 (the same, typed without accents)",
    ),
    (
        "relance de facture impayée",
        Some("customer-contract-management"),
        "CNIL, délibération n° 2021-131: invoices and their follow-up belong to contract management",
    ),
    (
        "prospection mail B2C",
        Some("prospecting-electronic-b2c"),
        "Code des postes et des communications électroniques, art. L34-5; CNIL, délibération n° 2021-131",
    ),
    (
        "prospection par courrier postal",
        Some("prospecting-postal-phone"),
        "CNIL, délibération n° 2021-131: postal and telephone prospecting",
    ),
    (
        "badgeuse",
        Some("building-access-time-tracking"),
        "CNIL, délibération n° 2019-118 (processing that needs no DPIA: access control and working time without biometrics)",
    ),
    (
        "transmission du fichier clients à des partenaires",
        Some("partner-transfer-for-prospecting"),
        "CNIL, délibération n° 2021-131: passing data to partners for electronic prospecting needs consent",
    ),
    (
        "payroll",
        Some("payroll"),
        "CNIL, délibération n° 2019-160, référentiel « gestion du personnel »",
    ),
    (
        "comptabilité",
        Some("accounting"),
        "Code de commerce, art. L123-22",
    ),
    (
        "accounting",
        Some("accounting"),
        "Code de commerce, art. L123-22",
    ),
    (
        "contrôle d'accès biométrique",
        Some("biometric-access-control"),
        "CNIL, délibération n° 2019-001, règlement type on biometric access control at work (not the badge purpose, which is without biometrics: délibération n° 2019-118, item 11)",
    ),
    (
        "controle d'acces biometrique",
        Some("biometric-access-control"),
        "CNIL, délibération n° 2019-001 (the same, typed without accents)",
    ),
    (
        "géolocalisation des véhicules de salariés",
        Some("vehicle-geolocation"),
        "CNIL, délibération n° 2015-165 and its fiche on the geolocation of employees' vehicles; « salariés » is not « salaries » (pay)",
    ),
    (
        "vehicle tracking",
        Some("vehicle-geolocation"),
        "CNIL, fiche « La géolocalisation des véhicules des salariés »",
    ),
    (
        "gestion locative",
        Some("rental-management"),
        "CNIL, délibération n° 2021-057, référentiel « gestion locative »",
    ),
    (
        "solvabilité des candidats locataires",
        Some("rental-management"),
        "CNIL, délibération n° 2021-057: assessing applicants' solvency is a pre-contractual step",
    ),
    (
        "dossier patient",
        Some("medical-practice-records"),
        "CNIL, délibération n° 2020-081, référentiel « cabinets médicaux et paramédicaux »",
    ),
    (
        "entrepot de donnees de sante",
        Some("health-data-warehouse"),
        "CNIL, délibération n° 2021-118, référentiel « entrepôts de données de santé » (typed without accents)",
    ),
    (
        "EHPAD",
        Some("social-medico-social-care"),
        "CNIL, délibération n° 2018-327, item 13; délibération n° 2023-095 (retention in the social and medico-social sector)",
    ),
    (
        "fichier des adhérents",
        Some("association-members-donors"),
        "CNIL, délibération n° 2019-118, item 5",
    ),
    (
        "cantine scolaire",
        Some("school-services"),
        "CNIL, délibération n° 2019-118, item 10",
    ),
    // not in the catalog: each names a word of a purpose it is not
    (
        "surveillance constante des salariés",
        None,
        "délibération n° 2018-327, item 4: not payroll",
    ),
    (
        "pharmacie d'officine",
        None,
        "the catalog has no pharmacy purpose (the medical-practice référentiel 2020-081 leaves pharmacies out)",
    ),
    (
        "logement social",
        None,
        "social housing (délibération n° 2018-327, item 12) is outside the rental référentiel 2021-057",
    ),
    (
        "acounting",
        None,
        "a typing error gets candidates, never an answer",
    ),
];

#[test]
fn recommend_answers_what_the_cnil_says_and_refuses_the_rest() {
    for (question, purpose, source) in QUESTIONS {
        for lang in ["en", "fr"] {
            let o = ropa(
                &repo_root(),
                &["recommend", question, "--format", "json", "--lang", lang],
            );
            match purpose {
                Some(id) => {
                    assert_eq!(
                        o.status.code(),
                        Some(0),
                        "{question} ({source}): {}",
                        stderr(&o)
                    );
                    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
                    assert_eq!(v["purposes"][0]["id"], *id, "{question} ({source})");
                }
                None => {
                    assert_eq!(
                        o.status.code(),
                        Some(2),
                        "{question} ({source}) got an answer"
                    );
                    assert!(stdout(&o).is_empty(), "{question}: {}", stdout(&o));
                }
            }
        }
    }
}
