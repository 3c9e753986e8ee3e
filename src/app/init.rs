//! `ropa init [DIR] --purpose ID`: a commented manifest pre-filled from the catalog. Values the
//! team must supply are `TODO…` placeholders, which `ropa lint` reports until they are filled.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::Failure;
use crate::catalog::load::Loaded;
use crate::catalog::lookup::Found;
use crate::catalog::{AppliesTo, BasisStatus, Bound, Duty, Purpose};
use crate::i18n::Lang;
use crate::manifest::vocab::LegalBasis;

/// Comment lines, wrapped like all prose.
fn comment(out: &mut String, indent: &str, text: &str) {
    let prefix = format!("{indent}# ");
    out.push_str(&crate::render::wrap(text, &prefix, &prefix));
}

/// A YAML double-quoted string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The manifest text for a purpose.
pub fn template(catalog: &Loaded, p: &Purpose, lang: Lang) -> String {
    let t = |en: &'static str, fr: &'static str| crate::i18n::s(lang, en, fr);
    let mut out = String::new();
    comment(
        &mut out,
        "",
        &format!(
            "{} `ropa init --purpose {}` ({}). {}",
            t(
                "Record of processing activity written by",
                "Activité de traitement écrite par"
            ),
            p.id,
            catalog.name(),
            t(
                "Replace every TODO value, check the choices below with your DPO, then run `ropa lint`.",
                "Remplacez chaque valeur TODO, validez les choix ci-dessous avec votre DPO, puis lancez `ropa lint`."
            )
        ),
    );
    out.push_str("version: 1\nactivities:\n");
    out.push_str(&format!("  - id: {}\n", p.id));
    out.push_str(&format!("    name: {}\n", quoted(p.label.get(lang))));
    out.push_str(&format!("    purpose: {}\n", p.id));
    out.push_str(&format!(
        "    description: {}\n",
        quoted(t(
            "TODO: what this activity does, in a sentence",
            "TODO: ce que fait cette activité, en une phrase"
        ))
    ));

    let basis = p
        .recommended()
        .next()
        .map_or(LegalBasis::Consent, |b| b.basis);
    for b in &p.legal_bases {
        let head = match b.status {
            BasisStatus::Recommended => t("Recommended basis", "Base recommandée"),
            BasisStatus::Consistent => t("Also consistent", "Également cohérente"),
            BasisStatus::Conditional => t("Only under a condition", "Sous condition seulement"),
        };
        let cond = b
            .condition
            .as_ref()
            .map_or(String::new(), |c| format!(" ({})", c.get(lang)));
        comment(
            &mut out,
            "    ",
            &format!(
                "{head}: {}{cond}. {}",
                b.basis.describe(lang),
                b.why.get(lang)
            ),
        );
    }
    out.push_str(&format!("    legal_basis: {basis}\n"));
    match basis {
        LegalBasis::LegitimateInterests => {
            out.push_str("    legitimate_interests:\n");
            out.push_str(&format!(
                "      interest: {}\n      balancing_test: {}\n",
                quoted(t("TODO: the interest pursued", "TODO: l'intérêt poursuivi")),
                quoted(t(
                    "TODO: path or URL of the documented balancing test",
                    "TODO: chemin ou URL de la mise en balance documentée"
                ))
            ));
        }
        LegalBasis::Consent => {
            out.push_str("    consent:\n");
            out.push_str(&format!(
                "      collection: {}\n      withdrawal: {}\n",
                quoted(t(
                    "TODO: how consent is collected",
                    "TODO: comment le consentement est recueilli"
                )),
                quoted(t(
                    "TODO: how people withdraw it",
                    "TODO: comment les personnes le retirent"
                ))
            ));
        }
        LegalBasis::LegalObligation => {
            out.push_str("    legal_obligation:\n");
            out.push_str(&format!(
                "      reference: {}\n",
                quoted(t(
                    "TODO: the statute and article",
                    "TODO: le texte et l'article"
                ))
            ));
        }
        LegalBasis::Contract | LegalBasis::VitalInterests | LegalBasis::PublicTask => {}
    }
    out.push_str(&format!(
        "    data_subjects: [{}]\n    data_categories: [{}]\n",
        quoted(t("TODO: whose data", "TODO: les personnes concernées")),
        quoted(t("TODO: which data", "TODO: les catégories de données"))
    ));

    comment(
        &mut out,
        "    ",
        &format!(
            "{} ({}): {}",
            t("DPIA", "AIPD"),
            p.dpia.duty.as_str(),
            p.dpia.why.get(lang)
        ),
    );
    out.push_str("    dpia:\n");
    match p.dpia.duty {
        Duty::Always => out.push_str(&format!(
            "      required: true\n      reference: {}\n",
            quoted(t("TODO: path or URL of the DPIA", "TODO: chemin ou URL de l'AIPD"))
        )),
        Duty::Never | Duty::Assess => out.push_str(&format!(
            "      required: false  # {}\n",
            t(
                "true if the processing meets two or more WP248 criteria (see `ropa explain DP004`)",
                "true si le traitement remplit au moins deux critères du WP248 (voir `ropa explain DP004`)"
            )
        )),
    }

    for f in &p.retention {
        comment(
            &mut out,
            "    ",
            &format!("{}: {}", t("Retention", "Conservation"), f.what.get(lang)),
        );
    }
    let figure = |applies: AppliesTo, bound: Bound| {
        p.retention
            .iter()
            .find(|f| f.applies_to == applies && f.bound == bound)
            .and_then(|f| f.duration.map(|d| (d, f.starts.clone())))
    };
    out.push_str("    retention:\n");
    // a statutory minimum is kept in intermediate archiving, as the texts put it: the time the
    // data stay in use is the team's to say
    let statutory_minimum = p.retention.iter().find(|f| {
        f.applies_to == AppliesTo::Total
            && f.bound == Bound::Minimum
            && f.nature == crate::catalog::Nature::Statutory
            && f.duration.is_some()
    });
    let todo_active = || {
        format!(
            "      active: {}\n",
            quoted(t(
                "TODO: how long the data stay in use, e.g. 3 years",
                "TODO: durée d'utilisation active, p. ex. 3 ans"
            ))
        )
    };
    let mut archived = false;
    match (figure(AppliesTo::Active, Bound::Maximum), statutory_minimum) {
        (Some((d, starts)), _) => {
            out.push_str(&format!("      active: {d}\n"));
            if let Some(s) = starts {
                out.push_str(&format!("      starts: {s}\n"));
            }
        }
        (None, Some(min)) => {
            out.push_str(&todo_active());
            if let Some(s) = &min.starts {
                out.push_str(&format!("      starts: {s}\n"));
            }
            let reason = catalog
                .cite(&min.sources)
                .next()
                .map_or_else(|| min.what.get(lang).to_string(), |c| c.title);
            if let Some(d) = min.duration {
                out.push_str(&format!(
                    "      archive: {d}\n      archive_reason: {}\n",
                    quoted(&reason)
                ));
                archived = true;
            }
        }
        (None, None) => out.push_str(&todo_active()),
    }
    if let Some((d, _)) = figure(AppliesTo::Archive, Bound::Maximum).filter(|_| !archived) {
        out.push_str(&format!(
            "      archive: {d}\n      archive_reason: {}\n",
            quoted(t(
                "TODO: the legal obligation or proof this archive serves",
                "TODO: l'obligation légale ou la preuve que sert cette archive"
            ))
        ));
    }
    out.push_str("      then: delete\n");
    out
}

/// Finds the purpose: by name when given, else by asking on a terminal.
fn choose<'a>(
    catalog: &'a Loaded,
    purpose: Option<&str>,
    lang: Lang,
) -> Result<&'a Purpose, Failure> {
    let t = |en: String, fr: String| crate::i18n::t(lang, en, fr);
    let query = match purpose {
        Some(q) => q.to_string(),
        None => {
            if !std::io::stdin().is_terminal() {
                return Err(Failure::usage(t(
                    "`--purpose ID` is required when standard input is not a terminal; `ropa catalog list` shows the purposes".into(),
                    "`--purpose ID` est obligatoire quand l'entrée standard n'est pas un terminal ; `ropa catalog list` liste les finalités".into(),
                )));
            }
            prompt(
                crate::i18n::s(
                    lang,
                    "Purpose (id, label or a few words): ",
                    "Finalité (identifiant, libellé ou quelques mots) : ",
                ),
                lang,
            )?
        }
    };
    match catalog.search(&query) {
        Found::Exact(i) => Ok(&catalog.purposes()[i]),
        Found::Close(v) if purpose.is_none() => {
            let mut menu = String::new();
            for (n, &i) in v.iter().take(9).enumerate() {
                let p = &catalog.purposes()[i];
                menu.push_str(&format!("  {}. {} — {}\n", n + 1, p.id, p.label.get(lang)));
            }
            let which = crate::i18n::s(lang, "Which one? [1] ", "Laquelle ? [1] ");
            let answer = prompt(&format!("{menu}{which}"), lang)?;
            let n: usize = if answer.trim().is_empty() {
                1
            } else {
                answer.trim().parse().map_err(|_| {
                    Failure::usage(t(
                        format!("not a number: {answer}"),
                        format!("ce n'est pas un nombre : {answer}"),
                    ))
                })?
            };
            v.get(n.wrapping_sub(1))
                .filter(|_| n <= 9)
                .map(|&i| &catalog.purposes()[i])
                .ok_or_else(|| {
                    Failure::usage(t(format!("no choice {n}"), format!("pas de choix {n}")))
                })
        }
        Found::Close(v) => Err(super::recommend::not_found(catalog, &query, &v, lang)),
        Found::Nothing => Err(super::recommend::not_found(catalog, &query, &[], lang)),
    }
}

fn prompt(question: &str, lang: Lang) -> Result<String, Failure> {
    super::say(question, false);
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        let why = crate::i18n::io_error(lang, &e);
        Failure::usage(crate::i18n::t(
            lang,
            format!("cannot read the answer: {why}"),
            format!("lecture de la réponse impossible : {why}"),
        ))
    })?;
    Ok(line.trim().to_string())
}

/// Writes `DIR/processing.yaml`; never overwrites. Returns the path written.
pub fn run(
    catalog: &Loaded,
    dir: &Path,
    purpose: Option<&str>,
    lang: Lang,
) -> Result<PathBuf, Failure> {
    let t = |en: String, fr: String| crate::i18n::t(lang, en, fr);
    let p = choose(catalog, purpose, lang)?;
    let path = dir.join("processing.yaml");
    let shown = crate::source::display_path(&path);
    let cannot = |e: std::io::Error| {
        let why = crate::i18n::io_error(lang, &e);
        Failure::usage(t(
            format!("cannot write {shown}: {why}"),
            format!("écriture de {shown} impossible : {why}"),
        ))
    };
    std::fs::create_dir_all(dir).map_err(cannot)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Failure::usage(t(
                format!("{shown} already exists; ropa init never overwrites a file"),
                format!("{shown} existe déjà ; ropa init n'écrase jamais un fichier"),
            )),
            _ => cannot(e),
        })?;
    file.write_all(template(catalog, p, lang).as_bytes())
        .map_err(cannot)?;
    Ok(path)
}
