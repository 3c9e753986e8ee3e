//! The built-in catalog: complete, sourced, and consistent with the rules that use it.

use ropa::catalog::{AppliesTo, BasisStatus, Duty, Evidence, load};
use ropa::manifest::duration::Duration;
use ropa::manifest::vocab::LegalBasis;

#[test]
fn every_purpose_is_complete_and_sourced() {
    let c = load::builtin().unwrap();
    assert!(c.purposes().len() >= 7);
    for p in c.purposes() {
        assert!(!p.label.en.is_empty() && !p.label.fr.is_empty(), "{}", p.id);
        assert!(
            p.recommended().next().is_some(),
            "{}: no recommended basis",
            p.id
        );
        assert!(!p.retention.is_empty(), "{}: no retention figure", p.id);
        assert!(!p.dpia.sources.is_empty(), "{}: DPIA duty unsourced", p.id);
        let with_url = p
            .sources
            .iter()
            .any(|k| c.catalog.sources[&k.value].url.is_some());
        assert!(with_url, "{}: no source with a URL", p.id);
        for b in &p.legal_bases {
            assert!(
                !b.sources.is_empty(),
                "{}: basis {} unsourced",
                p.id,
                b.basis
            );
            assert_eq!(
                b.status == BasisStatus::Conditional,
                b.condition.is_some(),
                "{}",
                p.id
            );
        }
        for f in &p.retention {
            assert!(
                !f.sources.is_empty(),
                "{}: retention figure unsourced",
                p.id
            );
            assert!(f.duration.is_some() || f.applies_to == AppliesTo::Informative);
        }
    }
}

#[test]
fn the_purposes_of_the_first_issue_say_what_the_research_says() {
    let c = load::builtin().unwrap();
    let p = |id: &str| {
        let i = c.index.exact(id).unwrap_or_else(|| panic!("{id}"));
        &c.purposes()[i]
    };
    let cm = p("customer-management");
    assert_eq!(
        cm.label.fr,
        "Gestion de clientèle : fiche client, courriers et relances"
    );
    assert_eq!(
        cm.recommended().map(|b| b.basis).collect::<Vec<_>>(),
        [LegalBasis::LegitimateInterests]
    );
    assert_eq!(
        cm.basis(LegalBasis::Contract).unwrap().status,
        BasisStatus::Consistent
    );
    assert!(cm.basis(LegalBasis::Consent).is_none());
    assert_eq!(cm.dpia.duty, Duty::Assess);
    assert!(
        cm.retention
            .iter()
            .any(|f| f.duration == Some(Duration::months(36))
                && f.applies_to == AppliesTo::Active
                && f.starts.as_deref() == Some("end-of-relationship"))
    );

    let acc = p("accounting");
    assert_eq!(
        acc.recommended().next().unwrap().basis,
        LegalBasis::LegalObligation
    );
    assert_eq!(acc.dpia.duty, Duty::Never);
    assert!(
        acc.retention
            .iter()
            .any(|f| f.duration == Some(Duration::months(120)) && f.applies_to == AppliesTo::Total)
    );

    let b2c = p("prospecting-electronic-b2c");
    assert_eq!(b2c.recommended().next().unwrap().basis, LegalBasis::Consent);
    assert_eq!(
        b2c.basis(LegalBasis::LegitimateInterests).unwrap().status,
        BasisStatus::Conditional
    );

    let t = p("trackers-consent");
    assert_eq!(t.legal_bases.len(), 1);
    assert!(
        t.retention
            .iter()
            .any(|f| f.duration == Some(Duration::months(13)))
    );
    assert!(
        t.retention
            .iter()
            .any(|f| f.duration == Some(Duration::months(6)))
    );

    let wb = p("whistleblowing");
    assert_eq!(wb.dpia.duty, Duty::Always);
    assert!(wb.basis(LegalBasis::LegalObligation).is_some());
    assert!(wb.basis(LegalBasis::LegitimateInterests).is_some());

    let cctv = p("video-surveillance");
    assert!(
        cctv.retention
            .iter()
            .any(|f| f.duration == Some(Duration::months(1)))
    );
    assert_eq!(
        cctv.basis(LegalBasis::PublicTask).unwrap().status,
        BasisStatus::Conditional
    );

    let rec = p("recruitment");
    assert!(rec.basis(LegalBasis::Contract).is_some());
    assert!(rec.basis(LegalBasis::LegitimateInterests).is_some());
    assert!(
        rec.retention
            .iter()
            .any(|f| f.duration == Some(Duration::months(24)))
    );
    assert!(rec.retention.iter().any(|f| f.duration == Some(Duration::months(60))
        && f.applies_to == AppliesTo::Archive));
    // the research marks the recruitment bases unverified: rules may only warn on them
    assert!(
        rec.legal_bases
            .iter()
            .all(|b| b.evidence == Evidence::Unverified)
    );
}

#[test]
fn purposes_are_found_by_label_and_alias() {
    let c = load::builtin().unwrap();
    for (name, id) in [
        (
            "Gestion de clientèle : fiche client, courriers et relances",
            "customer-management",
        ),
        ("GESTION DE CLIENTELE", "customer-management"),
        ("comptabilité générale", "accounting"),
        ("employment.recruitment", "recruitment"),
        ("vidéoprotection", "video-surveillance"),
    ] {
        let i = c.index.exact(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(c.purposes()[i].id, id);
    }
    assert_eq!(c.index.exact("customer-managment"), None);
    let i = c.suggest("customer-managment").unwrap();
    assert_eq!(c.purposes()[i].id, "customer-management");
}

#[test]
fn sources_that_rules_cite_by_key_exist() {
    let c = load::builtin().unwrap();
    for key in [
        "gdpr",
        "cnil-interet-legitime",
        "cnil-aipd",
        "cnil-aipd-2018-327",
        "wp248",
        "cnil-conservation",
        "cnil-guide-conservation",
    ] {
        assert!(c.catalog.sources.contains_key(key), "{key}");
    }
}

#[test]
fn a_catalog_with_a_dangling_source_is_rejected_with_a_position() {
    let text = ropa::catalog::load::CNIL_YAML.replacen(
        "sources: [cnil-rgc-2021-131, cnil-interet-legitime, cnil-aipd]",
        "sources: [cnil-rgc-2021-131, no-such-source]",
        1,
    );
    assert_ne!(text, ropa::catalog::load::CNIL_YAML);
    let err = load::load(&text, "x.yaml").unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    assert!(err.0[0].message.contains("no-such-source"), "{err}");
    assert!(err.0[0].line > 0);
}
