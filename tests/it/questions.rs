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
    // not in the catalog: each names a word of a purpose it is not
    (
        "contrôle d'accès biométrique",
        None,
        "biometric access is on the mandatory DPIA list (délibération n° 2018-327) and under règlement type 2019-001; the badge purpose is the one without biometrics",
    ),
    (
        "géolocalisation des véhicules de salariés",
        None,
        "vehicle geolocation has a CNIL text of its own; « salariés » is not « salaries » (pay)",
    ),
    (
        "surveillance constante des salariés",
        None,
        "délibération n° 2018-327, item 4: not payroll",
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
