declare_rule! {
    /// ## What it checks
    /// Each value has the right type (a string, a list, a mapping, `true`/`false`) and belongs to
    /// its vocabulary: legal bases, special categories, art. 9(2) conditions, DPIA criteria,
    /// transfer safeguards, ISO 3166 country codes, rule codes in deviations. Durations must
    /// parse (`3 years`, `36 months`, `6 mois`, `P3Y`). Activity ids match `[a-z0-9][a-z0-9-]*`.
    /// `code:` globs must compile (`src/[a` does not). The `TODO…` placeholders left by
    /// `ropa init` are reported here.
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
    code: MF004,
    severity: Error,
    summary: "a value has the wrong type, is not in its vocabulary, or is an unparseable duration",
    fr_summary: "une valeur a le mauvais type, n'appartient pas à son vocabulaire ou est une durée illisible",
    fr_checks: "Chaque valeur a le bon type (texte, liste, dictionnaire, `true`/`false`) et appartient à son vocabulaire : bases légales, catégories particulières, exceptions de l'art. 9(2), critères d'AIPD, garanties de transfert, codes pays ISO 3166, codes de règle des dérogations. Les durées doivent être lisibles (`3 ans`, `36 mois`, `3 years`, `P3Y`). Les identifiants d'activité respectent `[a-z0-9][a-z0-9-]*`. Les motifs de `code:` doivent être valides (`src/[a` ne l'est pas). Les valeurs provisoires `TODO…` laissées par `ropa init` sont signalées ici.",
    fr_why: "Une valeur que ropa ne comprend pas ne peut pas être confrontée au catalogue. Les bases légales acceptent de nombreuses graphies (libellés français, `6(1)(f)`, noms fideslang et DPV) : une valeur qui ne correspond toujours pas est presque toujours une faute de frappe.",
    check: None,
}
