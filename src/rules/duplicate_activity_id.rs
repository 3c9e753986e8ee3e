//! Reported by the cross-file pass in `app::lint`, once every manifest is read.

declare_rule! {
    /// ## What it checks
    /// Activity ids are unique across the whole repository, not only within one file. The
    /// second and later uses are reported, each pointing at the first.
    ///
    /// ## Why
    /// The id is how the record of processing activities, deviations and reports refer to an
    /// activity. Two activities with one id make the register ambiguous.
    ///
    /// ## Example
    /// ```yaml
    /// # services/crm/processing.yaml
    ///   - id: customers
    /// # services/billing/processing.yaml
    ///   - id: customers
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # services/crm/processing.yaml
    ///   - id: customers
    /// # services/billing/processing.yaml
    ///   - id: customer-invoicing
    /// ```
    code: "MF005",
    name: "duplicate-activity-id",
    severity: Error,
    summary: "two activities share an `id`, in one file or across files",
    fr_summary: "deux activités partagent un `id`, dans un même fichier ou entre fichiers",
    fr_checks: "Les identifiants d'activité sont uniques dans tout le dépôt, pas seulement dans un fichier. Les utilisations suivantes sont signalées et renvoient à la première.",
    fr_why: "L'identifiant est la façon dont le registre, les dérogations et les rapports désignent une activité. Deux activités avec le même identifiant rendent le registre ambigu.",
    check: None,
}
