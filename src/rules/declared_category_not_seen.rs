//! A coverage rule (see [`crate::coverage`]).

declare_rule! {
    /// ## What it checks
    /// A category an activity declares in `data_categories` (identity, contact, financial,
    /// national identifier, online identifier, location) has no field in the data definitions
    /// its `code:` covers. It runs only for activities whose `code:` covers at least one data
    /// definition, and only notes: the data may be held elsewhere (a document store, a file).
    ///
    /// ## Why
    /// A record that declares more than the code holds is not wrong, but it may be stale: the
    /// data may have been removed, and the register, retention and subject requests still
    /// count on it.
    ///
    /// ## Example
    /// ```yaml
    /// # code: ["db/**"], and no column in db/ holds a location
    ///     data_categories: [identity, location]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     data_categories: [identity]
    /// ```
    code: CV005,
    severity: Note,
    summary: "a declared category that no covered data definition has a field for",
    fr_summary: "une catégorie déclarée sans aucun champ dans les définitions de données couvertes",
    fr_checks: "Une catégorie qu'une activité déclare dans `data_categories` (identité, coordonnées, données financières, identifiant national, identifiant en ligne, localisation) n'a aucun champ dans les définitions de données que son `code:` couvre. La règle ne s'applique qu'aux activités dont le `code:` couvre au moins une définition de données, et ne fait que noter : les données peuvent être ailleurs (un magasin de documents, un fichier).",
    fr_why: "Un registre qui déclare plus que ce que le code contient n'est pas faux, mais il est peut-être périmé : les données ont pu être supprimées, et le registre, la conservation et les demandes des personnes en tiennent encore compte.",
    check: None,
}
