//! Reported by `diag::deviations` after deviations are matched.

declare_rule! {
    /// ## What it checks
    /// Every entry in an activity's `deviations:` names a rule that actually fired on that
    /// activity.
    ///
    /// ## Why
    /// A deviation documents a departure from the catalog. Once the manifest no longer departs
    /// (or never did), the stale justification misleads the reader of the register and would
    /// silently excuse a future finding.
    ///
    /// ## Example
    /// ```yaml
    ///     legal_basis: legitimate-interests
    ///     deviations:
    ///       - rule: LB001
    ///         justification: "We rely on consent"
    /// ```
    ///
    /// ## Fix
    /// Remove the deviation, or keep it only while the rule fires.
    code: SP001,
    severity: Warning,
    summary: "a deviation names a rule that did not fire on that activity",
    fr_summary: "une dérogation vise une règle qui ne s'est pas déclenchée sur cette activité",
    fr_checks: "Chaque entrée de `deviations:` d'une activité vise une règle qui s'est effectivement déclenchée sur cette activité.",
    fr_why: "Une dérogation documente un écart au catalogue. Quand le manifeste ne s'en écarte plus (ou ne s'en est jamais écarté), la justification périmée induit en erreur le lecteur du registre et excuserait en silence un futur constat.",
    fr_fix: "Retirez la dérogation, ou ne la gardez que tant que la règle se déclenche.",
    check: None,
}
