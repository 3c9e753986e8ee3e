use super::Context;
use crate::catalog::{BasisStatus, Evidence};
use crate::diag::{Diagnostic, Severity};

declare_rule! {
    /// ## What it checks
    /// The declared `legal_basis` is one the catalog holds consistent with the activity's
    /// purpose. A basis the catalog does not list is an error. A basis it lists only under a
    /// condition ropa cannot verify (for example the "soft opt-in" exception for marketing
    /// emails to existing customers) is a warning that states the condition. Where the catalog's
    /// facts on bases for the purpose are unverified, the rule only warns.
    ///
    /// ## Why
    /// The CNIL requires exactly one legal basis per purpose (GDPR art. 6(1)), chosen before the
    /// processing starts. The basis decides which rights people have: no objection under
    /// contract, no erasure under a legal obligation, withdrawal under consent.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: crm
    ///     purpose: customer-management
    ///     legal_basis: consent
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///   - id: crm
    ///     purpose: customer-management
    ///     legal_basis: legitimate-interests
    /// ```
    /// If the activity really is consumer e-mail marketing, declare it under its own purpose
    /// (`prospecting-electronic-b2c`). If the organisation departs from the catalog on purpose,
    /// document it with a `deviations:` entry for LB001.
    code: "LB001",
    name: "legal-basis-inconsistent",
    severity: Error,
    summary: "the declared basis is not listed by the catalog for the purpose (a warning when it is listed under a condition ropa cannot check)",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(p), Some(basis)) = (cx.purpose, &cx.activity.legal_basis) else {
        return;
    };
    let lang = cx.lang;
    let recommended: Vec<String> = p.recommended().map(|b| format!("`{}`", b.basis)).collect();
    match p.basis(basis.value) {
        Some(entry) if entry.status == BasisStatus::Conditional => {
            let condition = entry.condition.as_ref().map_or("", |c| c.get(lang));
            let mut d = cx
                .diag(
                    &RULE,
                    format!(
                        "legal basis `{}` fits purpose `{}` only under a condition ropa cannot check",
                        basis.value, p.id
                    ),
                )
                .at(basis.span)
                .label("consistent only under a condition")
                .note(format!("condition: {condition}"))
                .help(format!(
                    "check that the condition holds and record it with a `deviations:` entry for LB001; otherwise use {}",
                    recommended.join(" or ")
                ))
                .note(entry.why.get(lang).to_string())
                .cite(cx.catalog.cite(&entry.sources));
            d.severity = Severity::Warning;
            out.push(d);
        }
        Some(_) => {}
        None => {
            let consistent: Vec<String> = p
                .legal_bases
                .iter()
                .map(|b| match b.status {
                    BasisStatus::Recommended => format!("`{}` (recommended)", b.basis),
                    BasisStatus::Consistent => format!("`{}`", b.basis),
                    BasisStatus::Conditional => format!("`{}` (under a condition)", b.basis),
                })
                .collect();
            let mut d = cx
                .diag(
                    &RULE,
                    format!(
                        "legal basis `{}` is not consistent with purpose {}",
                        basis.value,
                        cx.purpose_title(p)
                    ),
                )
                .at(basis.span)
                .label(format!(
                    "the catalog does not list `{}` for this purpose",
                    basis.value
                ))
                .help(format!("the catalog lists {}", consistent.join(", ")));
            if let Some(nc) = p.not_consistent.iter().find(|n| n.basis == basis.value) {
                d = d.note(nc.why.get(lang).to_string());
                if let Some(see) = &nc.see {
                    d = d.note(format!(
                        "if this activity is that, declare it with `purpose: {}`",
                        see.value
                    ));
                }
                d = d.cite(cx.catalog.cite(&nc.sources));
            }
            for b in p.recommended() {
                d = d.cite(cx.catalog.cite(&b.sources));
            }
            if p.legal_bases
                .iter()
                .any(|b| b.evidence == Evidence::Unverified)
            {
                d.severity = Severity::Warning;
                d = d.note(
                    "the catalog's legal bases for this purpose are not yet verified against the primary text, so this is a warning",
                );
            }
            out.push(d);
        }
    }
}
