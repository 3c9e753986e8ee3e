//! A coverage rule: the engine runs it on the data definitions the walk found
//! ([`crate::coverage`]) once every manifest is read.

declare_rule! {
    /// ## What it checks
    /// A data definition with personal-data fields is covered by the `code:` globs of at least
    /// one activity. Data definitions are found by file name (SQL migrations, Prisma, protobuf,
    /// GraphQL, Django, SQLAlchemy and SQLModel models, TypeORM and Sequelize entities, OpenAPI
    /// and JSON Schema); their field names are matched against a bilingual dictionary (`ropa
    /// coverage` lists what was found). The finding is at the file's first personal-data field.
    /// It runs when the whole repository is linted, not when files are named.
    ///
    /// ## Why
    /// The record of processing must cover every processing. A table of e-mail addresses and
    /// IBANs that no manifest points at is processing nobody declared: no purpose, legal basis
    /// or retention period.
    ///
    /// ## Example
    /// ```sql
    /// -- services/loyalty/db/001.sql, and no manifest's code: covers it
    /// CREATE TABLE members (email text, iban text);
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # services/loyalty/processing.yaml
    ///     code: ["db/**"]
    /// ```
    code: CV001,
    severity: Warning,
    summary: "a data definition with personal data that no activity's `code:` covers",
    fr_summary: "une définition de données personnelles qu'aucun `code:` d'activité ne couvre",
    fr_checks: "Une définition de données qui a des champs de données personnelles est couverte par les motifs `code:` d'au moins une activité. Les définitions sont trouvées par nom de fichier (migrations SQL, Prisma, protobuf, GraphQL, modèles Django, SQLAlchemy et SQLModel, entités TypeORM et Sequelize, OpenAPI et JSON Schema) ; les noms de champs sont comparés à un dictionnaire bilingue (`ropa coverage` liste ce qui a été trouvé). Le constat porte sur le premier champ de données personnelles du fichier. La règle s'applique quand tout le dépôt est analysé, pas quand des fichiers sont nommés.",
    fr_why: "Le registre doit couvrir chaque traitement. Une table d'adresses électroniques et d'IBAN vers laquelle aucun manifeste ne pointe est un traitement que personne n'a déclaré : ni finalité, ni base légale, ni durée de conservation.",
    check: None,
}
