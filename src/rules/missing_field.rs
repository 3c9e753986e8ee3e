declare_rule! {
    /// ## What it checks
    /// The required fields are present: `version` and `activities` at the top; `id`, `name`,
    /// `purpose`, `legal_basis`, `data_subjects` and `data_categories` in every activity;
    /// `country` in a transfer; `rule` and `justification` in a deviation. (A missing `dpia` or
    /// `retention` has rules of its own: DP001 and RT001.)
    ///
    /// ## Why
    /// These fields are what the record of processing activities (GDPR art. 30) must say, and
    /// what the other rules check.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: crm
    ///     name: Customer file
    ///     purpose: customer-management
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///   - id: crm
    ///     name: Customer file
    ///     purpose: customer-management
    ///     legal_basis: legitimate-interests
    ///     data_subjects: [customers]
    ///     data_categories: [identity, contact, orders]
    /// ```
    code: "MF003",
    name: "missing-field",
    severity: Error,
    summary: "a required key is absent",
    check: None,
}
