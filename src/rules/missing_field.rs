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
    code: MF003,
    severity: Error,
    summary: "a required key is absent",
    fr_summary: "une clé obligatoire est absente",
    fr_checks: "Les champs obligatoires sont présents : `version` et `activities` au premier niveau ; `id`, `name`, `purpose`, `legal_basis`, `data_subjects` et `data_categories` dans chaque activité ; `country` dans un transfert ; `rule` et `justification` dans une dérogation. (Une section `dpia` ou `retention` absente relève de DP001 et RT001.)",
    fr_why: "Ces champs sont ce que le registre des activités de traitement (RGPD, art. 30) doit indiquer, et ce que les autres règles vérifient.",
    check: None,
}
