//! A coverage rule (see [`crate::coverage`]).

declare_rule! {
    /// ## What it checks
    /// A processor's SDK in the dependencies (`package.json` and the npm, pnpm and yarn
    /// lockfiles, `requirements*.txt`, `poetry.lock`, `uv.lock`, `Pipfile.lock`, `go.mod`,
    /// `Cargo.lock`, `Gemfile.lock`, `composer.lock`, `pom.xml`, `build.gradle`) is named in the
    /// `recipients` of an activity of a manifest in, above or below its directory. Vendors come
    /// from ropa's vendor catalog (`catalogs/vendors.yaml`). When the catalog places the vendor
    /// outside the EEA, the activity that names it also needs a transfer with a safeguard; the
    /// catalog's locations are not verified in a primary text, so this only warns and points at
    /// the vendor's DPA. When the catalog does not know the location, a note says so.
    ///
    /// ## Why
    /// A processor receives personal data: it is a recipient (art. 30(1)(d)), and a processor
    /// outside the EEA means a transfer that needs a safeguard (chapter V).
    ///
    /// ## Example
    /// ```yaml
    /// # package.json depends on "stripe"
    ///     recipients: [payment service provider]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     recipients: [Stripe (payment processor)]
    ///     transfers:
    ///       - country: US
    ///         safeguard: scc
    /// ```
    code: CV004,
    severity: Warning,
    summary: "a processor's SDK in the dependencies that no activity names in `recipients`",
    fr_summary: "le SDK d'un sous-traitant dans les dépendances, qu'aucune activité ne nomme dans `recipients`",
    fr_checks: "Le SDK d'un sous-traitant présent dans les dépendances (`package.json` et les verrous npm, pnpm et yarn, `requirements*.txt`, `poetry.lock`, `uv.lock`, `Pipfile.lock`, `go.mod`, `Cargo.lock`, `Gemfile.lock`, `composer.lock`, `pom.xml`, `build.gradle`) est nommé dans les `recipients` d'une activité d'un manifeste du même dossier, d'un dossier parent ou d'un sous-dossier. Les fournisseurs viennent du catalogue des fournisseurs de ropa (`catalogs/vendors.yaml`). Quand le catalogue situe le fournisseur hors de l'EEE, l'activité qui le nomme doit aussi déclarer un transfert avec garantie ; les localisations du catalogue ne sont pas vérifiées dans un texte primaire, donc la règle ne fait qu'avertir et renvoie au DPA du fournisseur. Quand le catalogue ne connaît pas la localisation, une note le dit.",
    fr_why: "Un sous-traitant reçoit des données personnelles : c'est un destinataire (art. 30(1)(d)), et un sous-traitant hors de l'EEE signifie un transfert qui demande une garantie (chapitre V).",
    check: None,
}
