//! A coverage rule (see [`crate::coverage`]).

declare_rule! {
    /// ## What it checks
    /// A data definition covered by an activity's `code:` has a field of a category (identity,
    /// contact, financial, national identifier such as the NIR, online identifier, location)
    /// that none of the activities covering it declares in `data_categories`. A declared word
    /// counts when it names the category in English or French (`contact`, `coordonnées`,
    /// `e-mail`, `payments`, `IBAN`…). The finding is at the activity's `data_categories`, with
    /// the field as a related location.
    ///
    /// ## Why
    /// `data_categories` is what the register shows the DPO and the data subjects' requests
    /// rely on. A category the code stores and the record omits is an incomplete record.
    ///
    /// ## Example
    /// ```yaml
    /// # code: ["db/**"], and db/001.sql has an `iban` column
    ///     data_categories: [identity, contact]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     data_categories: [identity, contact, bank details]
    /// ```
    code: CV003,
    severity: Warning,
    summary: "covered code stores a category of data the activity does not declare",
    fr_summary: "du code couvert stocke une catégorie de données que l'activité ne déclare pas",
    fr_checks: "Une définition de données couverte par le `code:` d'une activité a un champ d'une catégorie (identité, coordonnées, données financières, identifiant national comme le NIR, identifiant en ligne, localisation) qu'aucune des activités qui la couvrent ne déclare dans `data_categories`. Un mot déclaré compte lorsqu'il nomme la catégorie en anglais ou en français (`contact`, `coordonnées`, `e-mail`, `paiements`, `IBAN`…). Le constat porte sur les `data_categories` de l'activité, avec le champ en emplacement lié.",
    fr_why: "`data_categories` est ce que le registre montre au DPO et ce sur quoi reposent les demandes des personnes. Une catégorie que le code stocke et que le registre omet rend le registre incomplet.",
    check: None,
}
