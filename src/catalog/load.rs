//! Loading catalogs: the embedded CNIL catalog, checked when it is read like any other.

use crate::i18n::{Lang, t};
use std::collections::{BTreeMap, HashMap, HashSet};

use serde_saphyr::Spanned;

use super::lookup::Index;
use super::model::{Catalog, Overlay, Purpose};
use crate::diag::Citation;

/// The built-in catalog, embedded in the binary.
pub const CNIL_YAML: &str = include_str!("../../catalogs/cnil.yaml");

/// The same catalog converted to JSON by `build.rs`, which parses faster at start-up.
const CNIL_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/cnil.json"));

/// A catalog file that cannot be used; the run stops with exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub path: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every problem found in a catalog file, in file order (a YAML or type error stops the reading,
/// so it comes alone; the checks after it report all they find).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogErrors(pub Vec<CatalogError>);

impl std::fmt::Display for CatalogErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl From<CatalogError> for CatalogErrors {
    fn from(e: CatalogError) -> Self {
        CatalogErrors(vec![e])
    }
}

/// A catalog ready for lookups.
#[derive(Debug)]
pub struct Loaded {
    pub catalog: Catalog,
    pub index: Index,
    /// `cnil-fr@2026.11`, then `+id@version` for each catalog merged into it.
    pub name: String,
}

impl Loaded {
    /// `cnil-fr@2026.11`, as the JSON report names the catalog.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn purposes(&self) -> &[Purpose] {
        &self.catalog.purposes
    }

    /// The purpose a manifest names, by id, label or alias (as [`Index::resolve`] reads it).
    pub fn resolve(&self, name: &str) -> Option<&Purpose> {
        self.index.resolve(name).map(|i| &self.purposes()[i])
    }

    /// A purpose named confidently, else candidates ([`Index::search`]).
    pub fn search(&self, name: &str) -> crate::catalog::lookup::Found {
        self.index.search(self.purposes(), name)
    }

    /// The single closest purpose to a misspelled name ([`Index::suggest`]).
    pub fn suggest(&self, name: &str) -> Option<usize> {
        self.index.suggest(self.purposes(), name)
    }

    /// Citations for source keys that rules name directly (e.g. `gdpr`).
    pub fn cite_keys<'a>(&'a self, keys: &'a [&'a str]) -> impl Iterator<Item = Citation> + 'a {
        keys.iter().filter_map(|k| {
            self.catalog.sources.get(*k).map(|s| Citation {
                title: s.title.clone(),
                url: s.url.clone(),
            })
        })
    }

    /// Citations for a list of source keys (keys are checked at load time).
    pub fn cite<'a>(&'a self, keys: &'a [Spanned<String>]) -> impl Iterator<Item = Citation> + 'a {
        keys.iter().filter_map(|k| {
            self.catalog.sources.get(&k.value).map(|s| Citation {
                title: s.title.clone(),
                url: s.url.clone(),
            })
        })
    }
}

/// The built-in CNIL catalog.
pub fn builtin() -> Result<Loaded, CatalogErrors> {
    let path = "<built-in catalog cnil.yaml>";
    let catalog: Catalog = serde_json::from_str(CNIL_JSON).map_err(|e| CatalogError {
        path: path.to_string(),
        line: 0,
        column: 0,
        message: e.to_string(),
    })?;
    // the built-in catalog is compiled in: the test `the_built_in_catalog_passes_its_check`
    // checks it, as every debug build does at each run; a release build does not check again
    // what cannot have changed since (the check is an eighth of a one-manifest run)
    if cfg!(debug_assertions) {
        return checked(catalog, path, &HashMap::new());
    }
    Ok(ready(catalog))
}

/// Parses and checks a stand-alone catalog.
pub fn load(text: &str, path: &str) -> Result<Loaded, CatalogErrors> {
    let catalog = parse(text, path)?;
    // the purposes' ids again, with their positions (the model keeps ids as plain strings)
    #[derive(serde::Deserialize)]
    struct Ids {
        #[serde(default)]
        purposes: Vec<Id>,
    }
    #[derive(serde::Deserialize)]
    struct Id {
        id: Spanned<String>,
    }
    let ids: Ids = parse_yaml(text, path)?;
    checked(catalog, path, &origins(ids.purposes.iter().map(|p| &p.id)))
}

/// Where each purpose's `id:` stands in the file being loaded (line, column), so that a problem
/// with a purpose as a whole points there.
type Origins = HashMap<String, (u64, u64)>;

fn origins<'a>(ids: impl Iterator<Item = &'a Spanned<String>>) -> Origins {
    ids.map(|id| {
        let at = (id.referenced.line(), id.referenced.column());
        (id.value.clone(), at)
    })
    .collect()
}

fn checked(catalog: Catalog, path: &str, origins: &Origins) -> Result<Loaded, CatalogErrors> {
    let errors = check(&catalog, path, origins, Lang::En);
    if errors.is_empty() {
        Ok(ready(catalog))
    } else {
        Err(CatalogErrors(errors))
    }
}

fn ready(catalog: Catalog) -> Loaded {
    let index = Index::new(&catalog.purposes);
    let name = format!("{}@{}", catalog.catalog.id, catalog.catalog.version);
    Loaded {
        catalog,
        index,
        name,
    }
}

/// Adds an organisation catalog to a loaded one: a purpose with a new id is added (it must be
/// complete); for an existing id, the fields given replace the built-in ones. Sources are merged
/// (the organisation's win) and the result is checked as a whole, so an organisation catalog may
/// cite the built-in sources.
/// Problems are written in `lang`.
pub fn merge(base: Loaded, text: &str, path: &str, lang: Lang) -> Result<Loaded, CatalogErrors> {
    let other: Overlay = parse_yaml(text, path).map_err(|first| every_error(text, path, first))?;
    let hostile = hostile_text(text, path, lang);
    if !hostile.is_empty() {
        return Err(CatalogErrors(hostile));
    }
    let name = format!(
        "{}+{}@{}",
        base.name, other.catalog.id, other.catalog.version
    );
    let origins = origins(other.purposes.iter().map(|p| &p.id));
    let mut errors = Vec::new();
    let mut merged = base.catalog;
    merged.sources.extend(other.sources);
    if other.dpia_lists.is_some() {
        merged.dpia_lists = other.dpia_lists;
    }
    let org = other.catalog.id.clone();
    for mut patch in other.purposes {
        // the figures an organisation sets are its own, not the CNIL's: RT003 says whose
        for f in patch.retention.iter_mut().flatten() {
            f.set_by = Some(org.clone());
        }
        match merged.purposes.iter_mut().find(|q| q.id == patch.id.value) {
            Some(q) => patch.apply(q),
            None => {
                let at = patch.id.clone();
                match patch.into_purpose() {
                    Ok(purpose) => merged.purposes.push(purpose),
                    Err(missing) => errors.push(CatalogError {
                        path: path.to_string(),
                        line: at.referenced.line(),
                        column: at.referenced.column(),
                        message: t(
                            lang,
                            format!(
                                "new purpose `{}` lacks {}; only a built-in purpose can be given in part",
                                at.value,
                                missing.join(", ")
                            ),
                            format!(
                                "la nouvelle finalité `{}` n'a pas {} ; seule une finalité intégrée peut être donnée en partie",
                                at.value,
                                missing.join(", ")
                            ),
                        ),
                    }),
                }
            }
        }
    }
    errors.extend(check(&merged, path, &origins, lang));
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.line, e.column));
        return Err(CatalogErrors(errors));
    }
    let mut loaded = ready(merged);
    loaded.name = name;
    Ok(loaded)
}

/// Parses a complete catalog file.
pub fn parse(text: &str, path: &str) -> Result<Catalog, CatalogError> {
    parse_yaml(text, path)
}

fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str, path: &str) -> Result<T, CatalogError> {
    let options = serde_saphyr::options! { strict_booleans: true, with_snippet: false };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        let inner = e.without_snippet();
        let message = serde_saphyr::MessageFormatter::format_message(
            &serde_saphyr::DefaultMessageFormatter,
            inner,
        )
        .into_owned();
        CatalogError {
            path: path.to_string(),
            line,
            column,
            message,
        }
    })
}

/// Every problem of an organisation catalog that does not deserialize, each at its place.
/// serde stops at the first problem, so each section of the file, and each purpose, is read
/// again on its own, at its own line and column (the text before it is replaced by line ends and
/// spaces, so that positions stay those of the file). A file that is not YAML at all has only
/// the first problem.
fn every_error(text: &str, path: &str, first: CatalogError) -> CatalogErrors {
    use super::model::{DpiaLists, Meta, PurposePatch, SourceDoc};
    use crate::yaml::Value;
    let source = crate::source::Source::new(path.into(), path.into(), text.into());
    let Ok(root) = crate::yaml::parse(&source) else {
        return first.into();
    };
    let Value::Map(entries) = &root.value else {
        return first.into();
    };
    let mut errors = Vec::new();
    let piece = |span: crate::source::Span, check: fn(&str, &str) -> Result<(), CatalogError>| {
        let span = with_brackets(text, span);
        let at = source.position(span.start);
        let mut alone = "\n".repeat(at.line - 1);
        alone.push_str(&" ".repeat(at.column - 1));
        alone.push_str(&text[span.start..span.end.min(text.len())]);
        check(&alone, path).err()
    };
    fn read<T: serde::de::DeserializeOwned>(text: &str, path: &str) -> Result<(), CatalogError> {
        parse_yaml::<T>(text, path).map(|_| ())
    }
    for (key, value) in entries {
        match (key.name.as_str(), &value.value) {
            ("catalog", _) => errors.extend(piece(value.span, read::<Meta>)),
            ("sources", _) => {
                errors.extend(piece(value.span, read::<BTreeMap<String, SourceDoc>>));
            }
            ("dpia_lists", _) => errors.extend(piece(value.span, read::<DpiaLists>)),
            ("purposes", Value::Seq(items)) => {
                for item in items {
                    errors.extend(piece(item.span, read::<PurposePatch>));
                }
            }
            ("purposes", _) => errors.extend(piece(value.span, read::<Vec<PurposePatch>>)),
            (other, _) => {
                let at = source.position(key.span.start);
                errors.push(CatalogError {
                    path: path.to_string(),
                    line: at.line as u64,
                    column: at.column as u64,
                    message: format!(
                        "unknown field `{other}`, expected one of `catalog`, `sources`, `purposes`, `dpia_lists`"
                    ),
                });
            }
        }
    }
    if !entries.iter().any(|(k, _)| k.name == "catalog") {
        errors.push(CatalogError {
            path: path.to_string(),
            line: 1,
            column: 1,
            message: "missing field `catalog`".into(),
        });
    }
    if errors.is_empty() {
        return first.into();
    }
    errors.sort_by_key(|e| (e.line, e.column));
    errors.dedup();
    CatalogErrors(errors)
}

/// Catalog texts are printed by every command: a key or a value with a control character (other
/// than a line end or a tab in a longer text), a bidirectional override or a line separator
/// could act on a terminal or a log reader. Each is a problem at its place.
fn hostile_text(text: &str, path: &str, lang: Lang) -> Vec<CatalogError> {
    use crate::yaml::{Node, Value};
    let source = crate::source::Source::new(path.into(), path.into(), text.into());
    let Ok(root) = crate::yaml::parse(&source) else {
        return Vec::new();
    };
    let bad = |s: &str, one_line: bool| {
        s.chars().any(|c| {
            crate::render::console::is_hostile(c) || (one_line && matches!(c, '\n' | '\t'))
        })
    };
    let mut errors = Vec::new();
    let mut push = |span: crate::source::Span| {
        let at = source.position(span.start);
        errors.push(CatalogError {
            path: path.to_string(),
            line: at.line as u64,
            column: at.column as u64,
            message: t(
                lang,
                "text holds a control character, a bidirectional override or a line separator",
                "le texte contient un caractère de contrôle, un contrôle de direction ou un séparateur de ligne",
            ),
        });
    };
    let mut stack: Vec<&Node> = vec![&root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    if bad(&k.name, true) {
                        push(k.span);
                    }
                    stack.push(v);
                }
            }
            Value::Seq(items) => stack.extend(items),
            Value::Str(s) if bad(s, false) => push(node.span),
            _ => {}
        }
    }
    errors.sort_by_key(|e| (e.line, e.column));
    errors
}

/// A reading problem in a language: serde's messages (`missing field`, `unknown field`,
/// `unknown variant`, `invalid type`) are in English; their French wording is given here. Any
/// other message is kept as it is.
pub fn message_in(message: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return message.to_string();
    }
    let patterns: [(&str, &str); 5] = [
        ("unknown field ", "champ inconnu "),
        ("missing field ", "champ manquant : "),
        ("unknown variant ", "valeur inconnue "),
        ("invalid type: ", "type invalide : "),
        ("invalid value: ", "valeur invalide : "),
    ];
    for (en, fr) in patterns {
        if let Some(rest) = message.strip_prefix(en) {
            return format!("{fr}{}", french_tail(rest));
        }
    }
    message.to_string()
}

fn french_tail(rest: &str) -> String {
    rest.replace(", expected one of ", " ; valeurs possibles : ")
        .replace(", expected ", " ; attendu : ")
        .replace(", there are no fields", " ; ce bloc n'a pas de champs")
}

/// A node's span with the brackets of a flow collection (`{…}`, `[…]`), which the node tree's
/// spans leave out.
fn with_brackets(text: &str, span: crate::source::Span) -> crate::source::Span {
    let before = text[..span.start.min(text.len())].trim_end_matches([' ', '\t', '\r', '\n']);
    let start = if text[span.start.min(text.len())..].starts_with(['{', '[']) {
        span.start
    } else if before.ends_with(['{', '[']) {
        before.len() - 1
    } else {
        return span;
    };
    let (mut depth, mut quote) = (0usize, None::<char>);
    for (i, c) in text[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => {
                depth -= 1;
                if depth == 0 {
                    return crate::source::Span::new(start, start + i + 1);
                }
            }
            (None, _) => {}
        }
    }
    span
}

/// What the types cannot say: source keys exist, ids are unique, every purpose has what a
/// rule needs.
fn check(catalog: &Catalog, path: &str, origins: &Origins, lang: Lang) -> Vec<CatalogError> {
    let tr = |en: String, fr: String| t(lang, en, fr);
    let mut errors = Vec::new();
    let at = |span: Option<&Spanned<String>>| {
        span.map_or((0, 0), |s| (s.referenced.line(), s.referenced.column()))
    };
    // a problem with a purpose as a whole: at its `id:` when the file being loaded has it
    let of = |id: &str| origins.get(id).copied().unwrap_or((0, 0));
    let mut err = |(line, column): (u64, u64), message: String| {
        errors.push(CatalogError {
            path: path.to_string(),
            line,
            column,
            message,
        });
    };
    let ids: HashSet<&str> = catalog.purposes.iter().map(|p| p.id.as_str()).collect();
    if let Some(lists) = &catalog.dpia_lists {
        for list in [&lists.required, &lists.exempt] {
            for r in &list.sources {
                if !catalog.sources.contains_key(&r.value) {
                    err(
                        at(Some(r)),
                        tr(
                            format!("unknown source `{}`", r.value),
                            format!("source inconnue `{}`", r.value),
                        ),
                    );
                }
            }
            for item in &list.items {
                for p in item.when.iter().flat_map(|w| &w.purposes) {
                    if !ids.contains(p.as_str()) {
                        err(
                            (0, 0),
                            tr(
                                format!("DPIA list item {}: unknown purpose `{p}`", item.item),
                                format!(
                                    "élément {} de la liste AIPD : finalité inconnue `{p}`",
                                    item.item
                                ),
                            ),
                        );
                    }
                }
            }
        }
    }
    let mut seen = HashSet::new();
    for p in &catalog.purposes {
        if !seen.insert(p.id.as_str()) {
            err(
                of(&p.id),
                tr(
                    format!("two purposes have the id `{}`", p.id),
                    format!("deux finalités ont l'identifiant `{}`", p.id),
                ),
            );
        }
    }
    let mut names: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for p in &catalog.purposes {
        let all = [&p.id, &p.label.en, &p.label.fr]
            .into_iter()
            .chain(&p.aliases);
        for name in all {
            if let Some(other) = names.insert(crate::manifest::vocab::fold(name).into(), &p.id)
                && other != p.id
            {
                err(
                    of(&p.id),
                    tr(
                        format!(
                            "`{name}` names both purpose `{other}` and purpose `{}`",
                            p.id
                        ),
                        format!(
                            "`{name}` désigne à la fois la finalité `{other}` et la finalité `{}`",
                            p.id
                        ),
                    ),
                );
            }
        }
    }
    for p in &catalog.purposes {
        let mut refs: Vec<&Spanned<String>> = p.sources.iter().collect();
        for b in &p.legal_bases {
            refs.extend(&b.sources);
            if b.status == super::BasisStatus::Conditional && b.condition.is_none() {
                err(
                    of(&p.id),
                    tr(
                        format!(
                            "purpose `{}`: conditional basis `{}` states no condition",
                            p.id, b.basis
                        ),
                        format!(
                            "finalité `{}` : la base conditionnelle `{}` n'énonce aucune condition",
                            p.id, b.basis
                        ),
                    ),
                );
            }
        }
        for n in &p.not_consistent {
            refs.extend(&n.sources);
            if let Some(see) = &n.see
                && !ids.contains(see.value.as_str())
            {
                err(
                    at(Some(see)),
                    tr(
                        format!("unknown purpose `{}`", see.value),
                        format!("finalité inconnue `{}`", see.value),
                    ),
                );
            }
        }
        refs.extend(&p.dpia.sources);
        for c in &p.implies_criteria {
            refs.extend(&c.sources);
        }
        for r in &p.retention {
            refs.extend(&r.sources);
            if r.data
                .as_ref()
                .is_some_and(|k| k.words.iter().all(|w| w.trim().is_empty()))
            {
                let span = r.sources.first().map_or(of(&p.id), |s| at(Some(s)));
                err(
                    span,
                    tr(
                        format!(
                            "purpose `{}`: a kind of data needs `words` that recognise it in `data_categories`",
                            p.id
                        ),
                        format!(
                            "finalité `{}` : un type de données doit avoir des `words` qui le reconnaissent dans `data_categories`",
                            p.id
                        ),
                    ),
                );
            }
            if r.duration.is_none() && r.applies_to != super::AppliesTo::Informative {
                let span = r.sources.first().map_or(of(&p.id), |s| at(Some(s)));
                err(
                    span,
                    tr(
                        format!(
                            "purpose `{}`: a retention figure compared with manifests needs a `duration`",
                            p.id
                        ),
                        format!(
                            "finalité `{}` : une durée de conservation comparée aux manifestes doit avoir une `duration`",
                            p.id
                        ),
                    ),
                );
            }
        }
        for n in &p.notes {
            refs.extend(&n.sources);
        }
        for r in refs {
            if !catalog.sources.contains_key(&r.value) {
                err(
                    at(Some(r)),
                    tr(
                        format!("unknown source `{}`", r.value),
                        format!("source inconnue `{}`", r.value),
                    ),
                );
            }
        }
        if p.recommended().next().is_none() {
            err(
                of(&p.id),
                tr(
                    format!("purpose `{}` has no recommended legal basis", p.id),
                    format!("la finalité `{}` n'a aucune base légale recommandée", p.id),
                ),
            );
        }
    }
    errors.sort_by_key(|e| (e.line, e.column));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a release build of [`builtin`] does not check again: the built-in catalog passes
    /// every check an organisation's catalog is put to (this test runs in any profile).
    #[test]
    fn the_built_in_catalog_passes_its_check() {
        let catalog: Catalog = serde_json::from_str(CNIL_JSON).unwrap();
        let errors = check(&catalog, "cnil.yaml", &HashMap::new(), Lang::En);
        assert!(errors.is_empty(), "{errors:?}");
        // and the check does look: a source key the catalog does not hold is one error
        let mut broken = catalog;
        let purpose = &mut broken.purposes[0];
        let key = purpose.sources.first().cloned();
        purpose.sources.push(Spanned {
            value: "no-such-source".to_string(),
            ..key.unwrap()
        });
        assert_eq!(
            check(&broken, "cnil.yaml", &HashMap::new(), Lang::En).len(),
            1
        );
    }
}
