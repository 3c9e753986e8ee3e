declare_rule! {
    /// ## What it checks
    /// Every key must be part of manifest format v1 (or, in a fides file, of fideslang 1.0–3.1).
    /// A key that is close to a known one comes with a "did you mean" suggestion. A fides
    /// resource file that holds no system (`policy:`, `dataset:`…) gets a note instead: it has
    /// no processing activity to check.
    ///
    /// ## Why
    /// A misspelled key is silently ignored by most YAML tools, so a field the team believes it
    /// declared (a retention period, a DPIA decision) would not be there at all. ropa never
    /// passes such a file silently.
    ///
    /// ## Example
    /// ```yaml
    ///     retension:
    ///       active: 3 years
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     retention:
    ///       active: 3 years
    /// ```
    code: MF002,
    severity: Error,
    summary: "a key is not part of the format",
    fr_summary: "une clé ne fait pas partie du format",
    fr_checks: "Chaque clé doit appartenir au format de manifeste v1 (ou, dans un fichier fides, à fideslang 1.0–3.1). Une clé proche d'une clé connue est accompagnée d'une suggestion « vouliez-vous dire ». Un fichier de ressource fides qui ne contient aucun système (`policy:`, `dataset:`…) reçoit une note à la place : il n'a aucune activité de traitement à vérifier.",
    fr_why: "La plupart des outils YAML ignorent en silence une clé mal orthographiée : un champ que l'équipe croit avoir déclaré (une durée de conservation, une décision d'AIPD) serait tout simplement absent. ropa ne laisse jamais passer un tel fichier en silence.",
    check: None,
}
