declare_rule! {
    /// ## What it checks
    /// The manifest file must be valid YAML 1.2, hold a single document, and stay within the
    /// parser's budgets (nesting depth, number of nodes and aliases). Files that are not UTF-8
    /// text, or larger than the size limit, are reported here too.
    ///
    /// ## Why
    /// Nothing else can be checked in a file that cannot be read. ropa reports the problem with
    /// its position and goes on with the other manifests; a broken manifest is a finding, not a
    /// tool failure.
    ///
    /// ## Example
    /// ```yaml
    /// version: 1
    /// activities:
    ///   - id: crm
    ///     data_subjects: [customers
    ///     name: CRM
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// version: 1
    /// activities:
    ///   - id: crm
    ///     data_subjects: [customers]
    ///     name: CRM
    /// ```
    code: "MF001",
    name: "yaml-syntax",
    severity: Error,
    summary: "the file is not valid YAML",
    check: None,
}
