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
    code: "SP001",
    name: "unused-deviation",
    severity: Warning,
    summary: "a deviation names a rule that did not fire on that activity",
    check: None,
}
