declare_rule! {
    /// ## What it checks
    /// Each value has the right type (a string, a list, a mapping, `true`/`false`) and belongs to
    /// its vocabulary: legal bases, special categories, art. 9(2) conditions, DPIA criteria,
    /// transfer safeguards, ISO 3166 country codes, rule codes in deviations. Durations must
    /// parse (`3 years`, `36 months`, `6 mois`, `P3Y`). Activity ids match `[a-z0-9][a-z0-9-]*`.
    ///
    /// ## Why
    /// A value ropa cannot understand cannot be checked against the catalog. Legal bases accept
    /// many spellings (French labels, `6(1)(f)`, fideslang and DPV names), so a value that still
    /// does not match is almost always a typo.
    ///
    /// ## Example
    /// ```yaml
    ///     legal_basis: legitimate-interest-ish
    ///     dpia:
    ///       required: yes
    ///     retention:
    ///       active: 3
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     legal_basis: legitimate-interests
    ///     dpia:
    ///       required: true
    ///     retention:
    ///       active: 3 years
    /// ```
    code: "MF004",
    name: "invalid-value",
    severity: Error,
    summary: "a value has the wrong type, is not in its vocabulary, or is an unparseable duration",
    check: None,
}
