//! The vendor catalog (`catalogs/vendors.yaml`, built in): which packages belong to which
//! processor, and what the catalog knows of where it processes data.

use std::collections::HashMap;

use serde::Deserialize;

/// A package registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Npm,
    Pypi,
    Go,
    Cargo,
    Gem,
    Composer,
    Maven,
}

impl Ecosystem {
    /// The registry's spelling of a name, as the catalog stores it: Python names are
    /// case-insensitive with `-`, `_` and `.` alike (PEP 503); a Go module's major-version
    /// suffix (`/v76`) is dropped.
    pub fn normalize(self, name: &str) -> String {
        match self {
            Ecosystem::Pypi => name
                .to_ascii_lowercase()
                .chars()
                .map(|c| if c == '_' || c == '.' { '-' } else { c })
                .collect(),
            Ecosystem::Go => {
                let name = name.trim_end_matches('/');
                match name.rsplit_once("/v") {
                    Some((head, major))
                        if major.chars().all(|c| c.is_ascii_digit()) && !major.is_empty() =>
                    {
                        head.to_string()
                    }
                    _ => name.to_string(),
                }
            }
            _ => name.to_string(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    version: u32,
    vendors: Vec<Vendor>,
}

/// One vendor of the catalog.
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub service: String,
    pub role: String,
    #[serde(default)]
    pub packages: HashMap<String, Vec<String>>,
    /// `EEA`, a country code, or `None` when the catalog does not know.
    pub location: Option<String>,
    /// The transfer mechanism the vendor states (`adequacy`, `dpf`, `scc`), `None` when the
    /// catalog does not know.
    pub transfer: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    pub privacy: String,
    /// `unverified`: not read in a primary text for this catalog.
    pub evidence: String,
}

impl Vendor {
    /// Whether the catalog places the vendor's processing outside the EEA.
    pub fn outside_eea(&self) -> Option<bool> {
        self.location.as_deref().map(|l| l != "EEA")
    }
}

/// The vendors, with an index by package.
#[derive(Debug)]
pub struct Catalog {
    pub vendors: Vec<Vendor>,
    by_package: HashMap<(Ecosystem, String), usize>,
}

/// The longest text a vendor entry may hold (a name, a URL).
const MAX_TEXT: usize = 256;
/// The most packages one vendor may list.
const MAX_PACKAGES: usize = 1_000;

/// The built-in catalog, as the build turned `catalogs/vendors.yaml` into JSON (build.rs): the
/// YAML took about half of a one-manifest run's instructions to parse, on every run.
const BUILT_IN: &str = include_str!(concat!(env!("OUT_DIR"), "/vendors.json"));

fn ecosystem(key: &str) -> Option<Ecosystem> {
    Some(match key {
        "npm" => Ecosystem::Npm,
        "pypi" => Ecosystem::Pypi,
        "go" => Ecosystem::Go,
        "cargo" => Ecosystem::Cargo,
        "gem" => Ecosystem::Gem,
        "composer" => Ecosystem::Composer,
        "maven" => Ecosystem::Maven,
        _ => return None,
    })
}

impl Catalog {
    /// The built-in catalog (checked by a test: it always loads).
    pub fn built_in() -> Catalog {
        let file: File =
            serde_json::from_str(BUILT_IN).expect("the built-in vendor catalog's shape");
        Catalog::checked(file)
            .map_err(|(message, _)| message)
            .expect("the built-in vendor catalog loads")
    }

    pub fn parse(text: &str) -> Result<Catalog, String> {
        Catalog::parse_located(text).map_err(|(message, _)| message)
    }

    /// [`Catalog::parse`], with the line and column of a YAML or shape error.
    pub fn parse_located(text: &str) -> Result<Catalog, (String, Option<(usize, usize)>)> {
        let options = serde_saphyr::options! {
            budget: serde_saphyr::budget! { max_depth: 16, max_nodes: 250_000, max_aliases: 0 },
        };
        let file: File = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
            let at = e
                .location()
                .filter(|l| l.line() > 0)
                .map(|l| (l.line() as usize, l.column() as usize));
            (e.without_snippet().to_string(), at)
        })?;
        Catalog::checked(file)
    }

    /// A catalog read from its file: bounded, and each package's ecosystem known.
    fn checked(file: File) -> Result<Catalog, (String, Option<(usize, usize)>)> {
        // what a catalog says ends up in every finding about its vendors: bounded
        for v in &file.vendors {
            let texts = [&v.id, &v.name, &v.service, &v.role, &v.privacy, &v.evidence]
                .into_iter()
                .chain(v.location.iter())
                .chain(v.transfer.iter())
                .chain(v.categories.iter());
            let packages = v.packages.values().map(Vec::len).sum::<usize>();
            if texts.clone().any(|t| t.len() > MAX_TEXT) || packages > MAX_PACKAGES {
                return Err((
                    format!(
                        "vendor `{}`: a text over {MAX_TEXT} bytes, or over {MAX_PACKAGES} packages",
                        v.id.chars().take(64).collect::<String>()
                    ),
                    None,
                ));
            }
        }
        let mut by_package = HashMap::new();
        for (i, v) in file.vendors.iter().enumerate() {
            for (key, names) in &v.packages {
                let eco = ecosystem(key).ok_or_else(|| {
                    (
                        format!(
                            "vendor `{}`: unknown ecosystem `{key}` (npm, pypi, go, cargo, gem, composer, maven)",
                            v.id
                        ),
                        None,
                    )
                })?;
                for name in names {
                    by_package.insert((eco, eco.normalize(name)), i);
                }
            }
        }
        Ok(Catalog {
            vendors: file.vendors,
            by_package,
        })
    }

    /// Adds an organisation's vendors: a vendor with an id already known replaces it.
    pub fn merge(&mut self, other: Catalog) {
        for v in other.vendors {
            match self.vendors.iter().position(|x| x.id == v.id) {
                Some(i) => self.vendors[i] = v,
                None => self.vendors.push(v),
            }
        }
        self.by_package.clear();
        for (i, v) in self.vendors.iter().enumerate() {
            for (key, names) in &v.packages {
                if let Some(eco) = ecosystem(key) {
                    for name in names {
                        self.by_package.insert((eco, eco.normalize(name)), i);
                    }
                }
            }
        }
    }

    /// The vendor a package belongs to.
    pub fn vendor_of(&self, eco: Ecosystem, name: &str) -> Option<&Vendor> {
        let i = *self.by_package.get(&(eco, eco.normalize(name)))?;
        Some(&self.vendors[i])
    }
}

/// The built-in catalog with the organisation's (`coverage.vendors` in `ropa.yaml`), and what
/// kept one of them from being read (each a problem: the run exits 2).
pub fn load(settings: &crate::config::Settings) -> (Catalog, Vec<crate::diag::Problem>) {
    use crate::diag::{Problem, ProblemKind};
    let mut catalog = Catalog::built_in();
    let mut problems = Vec::new();
    let lang = settings.lang.value;
    for file in &settings.coverage_vendors {
        let path = &file.value;
        let shown = crate::source::display_path(path);
        let policy =
            crate::engine::read::Policy::within(&settings.root, crate::engine::MAX_SETTINGS_BYTES);
        let text = match crate::engine::read::text(path, &policy) {
            Ok(text) => text,
            Err(e) => {
                problems.push(Problem::new(ProblemKind::Catalog, e.message(lang)).on(shown));
                continue;
            }
        };
        match Catalog::parse_located(&text) {
            Ok(other) => catalog.merge(other),
            Err((message, at)) => {
                let source = std::sync::Arc::new(crate::source::Source::new(
                    shown.clone(),
                    path.clone(),
                    text,
                ));
                let message = crate::i18n::t(
                    lang,
                    format!("invalid vendor catalog: {message}"),
                    format!("catalogue de fournisseurs invalide : {message}"),
                );
                let problem = Problem::new(ProblemKind::Catalog, message);
                problems.push(match at {
                    Some((line, column)) => {
                        let offset = source.offset(line, column);
                        problem.at(source, crate::source::Span::new(offset, offset))
                    }
                    None => problem.on(shown),
                });
            }
        }
    }
    (catalog, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_catalog_loads_and_every_vendor_has_a_source() {
        let c = Catalog::built_in();
        assert!(c.vendors.len() >= 25);
        for v in &c.vendors {
            assert!(v.privacy.starts_with("https://"), "{}", v.id);
            assert_eq!(v.evidence, "unverified", "{}", v.id);
            assert!(!v.packages.is_empty(), "{}", v.id);
        }
        assert_eq!(c.vendor_of(Ecosystem::Npm, "stripe").unwrap().id, "stripe");
        assert_eq!(
            c.vendor_of(Ecosystem::Pypi, "Sentry_SDK").unwrap().id,
            "sentry"
        );
        assert_eq!(
            c.vendor_of(Ecosystem::Go, "github.com/stripe/stripe-go/v76")
                .unwrap()
                .id,
            "stripe"
        );
        assert!(c.vendor_of(Ecosystem::Npm, "left-pad").is_none());
    }

    /// The JSON the build made of `catalogs/vendors.yaml` is the catalog the YAML reads as, as
    /// an organisation's catalog is read: the same vendors, in order, each field alike, and the
    /// same packages found.
    #[test]
    fn the_built_in_catalog_reads_as_its_yaml() {
        let yaml = Catalog::parse(include_str!("../../catalogs/vendors.yaml")).unwrap();
        let json = Catalog::built_in();
        let shape = |c: &Catalog| serde_json::to_value(&c.vendors).unwrap();
        assert_eq!(shape(&json), shape(&yaml));
        let packages = |c: &Catalog| {
            let mut p: Vec<_> = c.by_package.iter().map(|(k, v)| (k.clone(), *v)).collect();
            p.sort();
            p
        };
        assert_eq!(packages(&json), packages(&yaml));
    }
}
