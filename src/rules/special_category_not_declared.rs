//! A coverage rule (see [`crate::coverage`]).

declare_rule! {
    /// ## What it checks
    /// A data definition covered by an activity's `code:` has a field of a special category
    /// (health, biometric, genetic, religion, political opinions, ethnic origin, trade-union
    /// membership, sex life or orientation, criminal convictions) that none of the activities
    /// covering it lists in `special_categories`. The finding is at the activity's
    /// `special_categories` (or its head), with the field as a related location.
    ///
    /// ## Why
    /// Special categories are forbidden unless an art. 9(2) condition applies, and they weigh on
    /// the DPIA decision. Code that stores a diagnosis under an activity that declares none means
    /// the record, and the checks ropa makes on it, are wrong.
    ///
    /// ## Example
    /// ```yaml
    /// # code: ["db/**"], and db/001.sql has a `diagnosis` column
    ///     data_categories: [identity, contact]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     data_categories: [identity, contact]
    ///     special_categories: [health]
    ///     special_category_condition: health-care
    /// ```
    code: CV002,
    severity: Error,
    summary: "covered code stores a special category the activity does not declare",
    fr_summary: "du code couvert stocke une catégorie particulière que l'activité ne déclare pas",
    fr_checks: "Une définition de données couverte par le `code:` d'une activité a un champ d'une catégorie particulière (santé, biométrie, génétique, religion, opinions politiques, origine ethnique, appartenance syndicale, vie ou orientation sexuelle, condamnations pénales) qu'aucune des activités qui la couvrent ne liste dans `special_categories`. Le constat porte sur les `special_categories` de l'activité (ou sur son en-tête), avec le champ en emplacement lié.",
    fr_why: "Les catégories particulières sont interdites sauf exception de l'art. 9(2), et elles pèsent sur la décision d'AIPD. Du code qui stocke un diagnostic sous une activité qui n'en déclare aucune rend faux le registre et les vérifications que ropa y fait.",
    check: None,
}
