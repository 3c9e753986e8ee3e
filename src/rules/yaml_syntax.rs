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
    code: MF001,
    severity: Error,
    summary: "the file is not valid YAML",
    fr_summary: "le fichier n'est pas du YAML valide",
    fr_checks: "Le manifeste doit être du YAML 1.2 valide, contenir un seul document et respecter les limites de l'analyseur (profondeur, nombre de nœuds et d'alias). Les fichiers qui ne sont pas du texte UTF-8 ou qui dépassent la taille maximale sont signalés ici aussi.",
    fr_why: "Rien ne peut être vérifié dans un fichier illisible. ropa signale le problème avec sa position et continue avec les autres manifestes ; un manifeste cassé est un constat, pas une défaillance de l'outil.",
    check: None,
}
