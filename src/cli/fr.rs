//! The command line's help in French (`ropa --help --lang fr`): every text clap shows is looked
//! up by its English wording, so that the English stays where clap's derive puts it (the doc
//! comments of `cli.rs`) and a text added or changed there without its French fails the test
//! `every_help_text_has_its_french`.

use clap::{Arg, ArgAction, Command};

/// English help text → French. The English is the text clap holds: a doc comment's first
/// paragraph (`help`), or a command's `about`, `long_about` and `after_help`.
const TEXTS: &[(&str, &str)] = &[
    // the command itself
    (
        "Lint GDPR records of processing activities (processing.yaml) against the CNIL's recommendations",
        "Vérifie les registres des activités de traitement RGPD (processing.yaml) au regard des recommandations de la CNIL",
    ),
    (
        "Lint GDPR records of processing activities kept as code.\n\nropa finds every processing.yaml manifest in a repository and checks its purpose, legal basis, DPIA decision and retention against a built-in catalog of CNIL recommendations, with the sources cited.\n\nExit status: 0 clean, 1 findings at or above --fail-on, 2 the tool could not do its job.",
        "Vérifie les registres des activités de traitement RGPD tenus avec le code.\n\nropa trouve chaque manifeste processing.yaml d'un dépôt et en vérifie la finalité, la base légale, la décision d'AIPD et la conservation au regard d'un catalogue intégré de recommandations de la CNIL, sources citées.\n\nCode de sortie : 0 rien à signaler, 1 des constats au niveau de --fail-on ou au-dessus, 2 l'outil n'a pas pu faire son travail.",
    ),
    (
        "Examples:\n  ropa lint\n  ropa lint services/ --format json\n  ropa recommend \"Gestion de clientèle : fiche client, courriers et relances\"\n  ropa explain LB001",
        "Exemples :\n  ropa lint\n  ropa lint services/ --format json\n  ropa recommend \"Gestion de clientèle : fiche client, courriers et relances\"\n  ropa explain LB001",
    ),
    // the commands
    (
        "Check manifests against the catalog",
        "Vérifie les manifestes au regard du catalogue",
    ),
    (
        "The catalog's answer for a purpose: legal bases, DPIA duty, retention, sources",
        "La réponse du catalogue pour une finalité : bases légales, obligation d'AIPD, conservation, sources",
    ),
    ("Browse the catalog", "Parcourt le catalogue"),
    ("List the purposes", "Liste les finalités"),
    (
        "The CNIL lists of processing that require a DPIA and that do not",
        "Les listes de la CNIL des traitements qui exigent une AIPD et de ceux qui n'en exigent pas",
    ),
    ("Show one purpose in full", "Montre une finalité en entier"),
    (
        "Write a manifest pre-filled from the catalog (never overwrites)",
        "Écrit un manifeste prérempli d'après le catalogue (sans jamais écraser un fichier)",
    ),
    (
        "Print the effective configuration and where each value comes from",
        "Affiche la configuration en vigueur et l'origine de chaque valeur",
    ),
    (
        "The record of processing activities (GDPR art. 30) built from the manifests",
        "Le registre des activités de traitement (RGPD art. 30) tiré des manifestes",
    ),
    (
        "Write the manifests in another format: fides `system` YAML",
        "Écrit les manifestes dans un autre format : YAML `system` de fides",
    ),
    (
        "What a change does to the record of processing: activities, bases, data, transfers, retention, DPIA and deviations changed, and the findings it introduces and fixes",
        "Ce qu'une modification change au registre : activités, bases, données, transferts, conservation, AIPD et dérogations modifiés, et les constats qu'elle introduit et corrige",
    ),
    (
        "What the code processes that no manifest declares: personal-data fields in data definitions and processor SDKs in the dependencies, matched against `code:`, `data_categories` and `recipients`",
        "Ce que le code traite sans qu'aucun manifeste le déclare : champs de données personnelles des définitions de données et SDK de sous-traitants des dépendances, rapprochés de `code:`, `data_categories` et `recipients`",
    ),
    (
        "Print a JSON Schema: manifest, config, catalog, report, diff or coverage",
        "Affiche un schéma JSON : manifest, config, catalog, report, diff ou coverage",
    ),
    (
        "What a rule checks and why, with a failing and a fixed example; without CODE, list the rules",
        "Ce qu'une règle vérifie et pourquoi, avec un exemple fautif et sa correction ; sans CODE, liste les règles",
    ),
    // the arguments and options
    (
        "Files or directories to lint [default: .]",
        "Fichiers ou dossiers à vérifier [par défaut : .]",
    ),
    (
        "Files or directories [default: .]",
        "Fichiers ou dossiers [par défaut : .]",
    ),
    (
        "Directories to scan [default: .]",
        "Dossiers à parcourir [par défaut : .]",
    ),
    (
        "Output format [default: human; github when GITHUB_ACTIONS=true]",
        "Format de sortie [par défaut : human ; github quand GITHUB_ACTIONS=true]",
    ),
    ("Output format", "Format de sortie"),
    (
        "Write the report to FILE instead of standard output",
        "Écrit le rapport dans FICHIER au lieu de la sortie standard",
    ),
    (
        "Write the register to FILE instead of standard output",
        "Écrit le registre dans FICHIER au lieu de la sortie standard",
    ),
    (
        "Write to FILE instead of standard output",
        "Écrit dans FICHIER au lieu de la sortie standard",
    ),
    (
        "Also write a SARIF report to FILE",
        "Écrit aussi un rapport SARIF dans FICHIER",
    ),
    (
        "Also append a Markdown summary to FILE (e.g. \"$GITHUB_STEP_SUMMARY\")",
        "Ajoute aussi un résumé Markdown à la fin de FICHIER (par exemple \"$GITHUB_STEP_SUMMARY\")",
    ),
    (
        "Also append the Markdown to FILE (e.g. \"$GITHUB_STEP_SUMMARY\")",
        "Ajoute aussi le Markdown à la fin de FICHIER (par exemple \"$GITHUB_STEP_SUMMARY\")",
    ),
    (
        "Also append `errors=N`, `warnings=N` and `notes=N` to FILE (e.g. \"$GITHUB_OUTPUT\")",
        "Ajoute aussi `errors=N`, `warnings=N` et `notes=N` à la fin de FICHIER (par exemple \"$GITHUB_OUTPUT\")",
    ),
    (
        "Report only on manifests changed since the git REF (and those whose referenced documents or code changed); cross-file rules still read the whole repository",
        "Ne rend compte que des manifestes modifiés depuis la référence git REF (et de ceux dont les documents cités ou le code ont changé) ; les règles qui portent sur plusieurs fichiers lisent toujours tout le dépôt",
    ),
    (
        "Report, and fail on, only the findings the git REF did not have (matched by their fingerprints): adopt ropa on an old repository without fixing everything first. Rules in ropa.yaml's `diff.always_report` are reported all the same; coverage findings near a change are too, as REF's coverage is not worked out",
        "Ne rend compte, et n'échoue, que sur les constats que la référence git REF n'avait pas (rapprochés par leurs empreintes) : adopter ropa sur un dépôt ancien sans tout corriger d'abord. Les règles de `diff.always_report` dans ropa.yaml sont rapportées quand même ; les constats de couverture proches d'une modification aussi, la couverture de REF n'étant pas calculée",
    ),
    (
        "When only files are named, walk the repository for duplicate ids instead of reading git's index and the id cache",
        "Quand seuls des fichiers sont nommés, parcourt le dépôt pour trouver les identifiants en double au lieu de lire l'index de git et le cache des identifiants",
    ),
    (
        "When only files are named, compare their ids with the other manifests as staged in git, without checking the work tree for unstaged edits or untracked manifests (pre-commit has set those edits aside, and a commit holds neither)",
        "Quand seuls des fichiers sont nommés, compare leurs identifiants aux autres manifestes tels qu'indexés dans git, sans regarder l'arbre de travail pour des modifications non indexées ou des manifestes non suivis (pre-commit a mis ces modifications de côté, et un commit ne contient ni les unes ni les autres)",
    ),
    (
        "Use this configuration file instead of looking for ropa.yaml or .ropa.yaml",
        "Utilise ce fichier de configuration au lieu de chercher ropa.yaml ou .ropa.yaml",
    ),
    (
        "Ignore every configuration file",
        "Ignore tout fichier de configuration",
    ),
    (
        "Load an extra catalog (repeatable): it adds purposes and changes built-in ones field by field",
        "Charge un catalogue de plus (option répétable) : il ajoute des finalités et modifie celles du catalogue intégré champ par champ",
    ),
    (
        "Language of everything ropa writes: messages, catalog texts, reports, errors, help [default: en]",
        "Langue de tout ce qu'écrit ropa : messages, textes du catalogue, rapports, erreurs, aide [par défaut : en]",
    ),
    (
        "Exit with status 1 when there are findings at or above this severity [default: error]",
        "Sort avec le code 1 s'il y a des constats de cette gravité ou au-dessus [par défaut : error]",
    ),
    ("As for `ropa lint`", "Comme pour `ropa lint`"),
    (
        "Print only the diagnostics, without the summary line",
        "N'affiche que les constats, sans la ligne de résumé",
    ),
    (
        "When to use colours (`auto` honours NO_COLOR, CLICOLOR, CLICOLOR_FORCE and TERM=dumb)",
        "Quand utiliser des couleurs (`auto` suit NO_COLOR, CLICOLOR, CLICOLOR_FORCE et TERM=dumb)",
    ),
    (
        "Purpose ids, labels or aliases (close spellings are matched)",
        "Identifiants, libellés ou alias de finalités (les orthographes proches sont reconnues)",
    ),
    (
        "Purpose id, label or alias",
        "Identifiant, libellé ou alias d'une finalité",
    ),
    (
        "Directory to write processing.yaml into [default: .]",
        "Dossier où écrire processing.yaml [par défaut : .]",
    ),
    (
        "Purpose id, label or alias; asked for on a terminal when missing",
        "Identifiant, libellé ou alias d'une finalité ; demandé sur un terminal s'il manque",
    ),
    (
        "Date the register: YYYY-MM-DD, or `today` (UTC). Without it the register carries no date, so that the same manifests always give the same file",
        "Date du registre : AAAA-MM-JJ, ou `today` (UTC). Sans elle, le registre ne porte pas de date, pour que les mêmes manifestes donnent toujours le même fichier",
    ),
    (
        "CSV only: the field separator. `semicolon` for spreadsheets set to a French (or other decimal-comma) locale, which split CSV files on semicolons",
        "CSV seulement : le séparateur des champs. `semicolon` pour les tableurs réglés en français (ou dans une autre langue à virgule décimale), qui découpent les fichiers CSV aux points-virgules",
    ),
    (
        "The old side: a git revision or a directory [default: the merge base of HEAD with the default branch]",
        "L'ancien côté : une révision git ou un dossier [par défaut : la base commune de HEAD et de la branche par défaut]",
    ),
    (
        "The new side: a git revision or a directory [default: the working tree]",
        "Le nouveau côté : une révision git ou un dossier [par défaut : l'arbre de travail]",
    ),
    (
        "Exit with status 1 when there are changes at this level (or above)",
        "Sort avec le code 1 s'il y a des changements à ce niveau (ou au-dessus)",
    ),
    (
        "Show editorial changes (level `none`) too",
        "Montre aussi les changements de rédaction (niveau `none`)",
    ),
    ("Which schema", "Quel schéma"),
    (
        "A rule code (LB001) or name (legal-basis-inconsistent)",
        "Le code (LB001) ou le nom (legal-basis-inconsistent) d'une règle",
    ),
    // the values of options
    (
        "rustc-style diagnostics with source snippets",
        "constats à la manière de rustc, avec des extraits du source",
    ),
    (
        "the JSON report (spec §6)",
        "le rapport JSON (spécification §6)",
    ),
    (
        "GitHub workflow commands (annotations on pull requests)",
        "commandes de workflow GitHub (annotations sur les pull requests)",
    ),
    ("SARIF 2.1.0 (code scanning)", "SARIF 2.1.0 (code scanning)"),
    (
        "JUnit XML (one suite per manifest, one case per activity)",
        "XML JUnit (une suite par manifeste, un cas par activité)",
    ),
    ("GitLab Code Quality JSON", "JSON Code Quality de GitLab"),
    ("text for people", "texte pour les personnes"),
    ("JSON", "JSON"),
    (
        "one self-contained, printable page",
        "une seule page autonome, imprimable",
    ),
    (
        "fides `system` manifests (fideslang)",
        "manifestes `system` de fides (fideslang)",
    ),
    (
        "Markdown for a pull-request comment or the job summary",
        "Markdown pour un commentaire de pull request ou le résumé du job",
    ),
    (
        "JSON (schemas/diff.schema.json)",
        "JSON (schemas/diff.schema.json)",
    ),
    (
        "changes the DPO must review",
        "changements que le DPO doit examiner",
    ),
    (
        "changes to review or to know",
        "changements à examiner ou à connaître",
    ),
];

/// The French of an English help text, if the table has it.
pub(super) fn french(english: &str) -> Option<&'static str> {
    TEXTS
        .iter()
        .find(|(en, _)| *en == english)
        .map(|(_, fr)| *fr)
}

/// Every English text the table translates (for the test that none is left unused).
#[cfg(test)]
pub(super) fn english_texts() -> impl Iterator<Item = &'static str> {
    TEXTS.iter().map(|(en, _)| *en)
}

/// The command line with its help in French: every command's description and every argument's
/// help, the values an option takes and its default (clap would write those in English), the
/// headings, and the `--help`, `--version` and `help` clap adds.
pub(super) fn command(cmd: Command) -> Command {
    let mut cmd = translated(cmd);
    cmd.build();
    builtins(cmd)
}

fn translated(mut cmd: Command) -> Command {
    let fr = |s: Option<&clap::builder::StyledStr>| s.and_then(|s| french(&s.to_string()));
    if let Some(about) = fr(cmd.get_about()) {
        cmd = cmd.about(about);
    }
    if let Some(long) = fr(cmd.get_long_about()) {
        cmd = cmd.long_about(long);
    }
    if let Some(after) = fr(cmd.get_after_help()) {
        cmd = cmd.after_help(after);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id, argument);
    }
    each_subcommand(cmd, translated)
        .help_template(TEMPLATE)
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
}

/// clap's own template, with the usage heading in French.
const TEMPLATE: &str =
    "{before-help}{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// The French headings in clap's `help` command and the commands below it, which clap makes as
/// it builds.
fn headings(cmd: Command) -> Command {
    let cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("Commandes");
    each_subcommand(cmd, |s| match s.get_name() {
        "help" => headings(s.about(HELP_COMMAND)),
        _ => headings(s),
    })
}

/// `cmd` with `f` applied to each of its commands.
fn each_subcommand(mut cmd: Command, f: impl Fn(Command) -> Command) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, &f);
    }
    cmd
}

/// What clap's `help` command does.
const HELP_COMMAND: &str = "Affiche ce message ou l'aide des sous-commandes données";

/// One argument's help in French, with its values and default written in French after it.
fn argument(arg: Arg) -> Arg {
    let Some(help) = arg.get_help().and_then(|h| french(&h.to_string())) else {
        return arg;
    };
    if !arg.get_action().takes_values() {
        return arg.help(help).long_help(help);
    }
    let arg = match placeholder(&arg) {
        Some(name) => arg.value_name(name),
        None => arg,
    };
    let (mut short, mut long) = (help.to_string(), help.to_string());
    let values = arg.get_possible_values();
    let shown: Vec<_> = values.iter().filter(|v| !v.is_hide_set()).collect();
    if !shown.is_empty() {
        let names: Vec<&str> = shown.iter().map(|v| v.get_name()).collect();
        let listed = format!(" [valeurs possibles : {}]", names.join(", "));
        short += &listed;
        if shown.iter().any(|v| v.get_help().is_some()) {
            long += "\n\nValeurs possibles :";
            for v in &shown {
                match v.get_help().and_then(|h| french(&h.to_string())) {
                    Some(h) => long += &format!("\n- {} : {h}", v.get_name()),
                    None => long += &format!("\n- {}", v.get_name()),
                }
            }
        } else {
            long += &listed;
        }
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() {
        let default = format!(" [par défaut : {}]", defaults.join(", "));
        short += &default;
        long += &default;
    }
    arg.help(short)
        .long_help(long)
        .hide_possible_values(true)
        .hide_default_value(true)
}

/// The French of the name an argument's value is shown by (`<FILE>`), when it needs one.
fn placeholder(arg: &Arg) -> Option<&'static str> {
    let name = match arg.get_value_names() {
        Some([name]) => name.to_string(),
        Some(_) => return None,
        None => arg.get_id().as_str().to_uppercase(),
    };
    Some(match name.as_str() {
        "FILE" => "FICHIER",
        "PATHS" => "CHEMINS",
        "PURPOSE" | "PURPOSES" => "FINALITÉ",
        "FAIL_ON" => "NIVEAU",
        "COLOR" => "COULEUR",
        "LANG" => "LANGUE",
        "DELIMITER" => "SÉPARATEUR",
        "NAME" => "NOM",
        "DIR" => "DOSSIER",
        _ => return None,
    })
}

/// The `--help` and `--version` options and the `help` command that clap adds as it builds the
/// command, in French, in every command.
fn builtins(mut cmd: Command) -> Command {
    let has = |cmd: &Command, id: &str| cmd.get_arguments().any(|a| a.get_id() == id);
    if has(&cmd, "help") {
        cmd = cmd.mut_arg("help", |a| {
            let long = matches!(a.get_action(), ArgAction::Help) && a.get_long_help().is_some();
            a.help("Affiche l'aide").long_help(if long {
                "Affiche l'aide (un résumé avec '-h')"
            } else {
                "Affiche l'aide"
            })
        });
    }
    if has(&cmd, "version") {
        cmd = cmd.mut_arg("version", |a| a.help("Affiche la version"));
    }
    each_subcommand(cmd, |s| {
        if s.get_name() == "help" {
            headings(s.about(HELP_COMMAND))
        } else {
            builtins(s)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Args, Lang, command, parse_from};
    use clap::CommandFactory;

    /// Every text clap shows from `cli.rs` (descriptions, argument help, values' help), and
    /// nothing else, is in the French table.
    #[test]
    fn every_help_text_has_its_french() {
        fn texts(cmd: &clap::Command, out: &mut Vec<String>) {
            let styled = [cmd.get_about(), cmd.get_long_about(), cmd.get_after_help()];
            out.extend(styled.into_iter().flatten().map(ToString::to_string));
            for arg in cmd.get_arguments() {
                out.extend(arg.get_help().map(ToString::to_string));
                out.extend(arg.get_long_help().map(ToString::to_string));
                for value in arg.get_possible_values() {
                    out.extend(value.get_help().map(ToString::to_string));
                }
            }
            for sub in cmd.get_subcommands() {
                texts(sub, out);
            }
        }
        let mut english = Vec::new();
        texts(&Args::command(), &mut english);
        let missing: Vec<_> = english
            .iter()
            .filter(|t| super::french(t).is_none())
            .collect();
        assert!(missing.is_empty(), "no French for: {missing:#?}");
        let unused: Vec<_> = super::english_texts()
            .filter(|t| !english.iter().any(|e| e == t))
            .collect();
        assert!(
            unused.is_empty(),
            "French for texts clap no longer shows: {unused:#?}"
        );
    }

    /// The French help of every command passes clap's own checks and holds none of clap's
    /// English (headings, defaults, values, its `--help`, `--version` and `help`).
    #[test]
    fn the_french_help_is_french_throughout() {
        let mut cmd = command(Lang::Fr);
        cmd.clone().debug_assert();
        let mut pages = vec![
            cmd.render_help().to_string(),
            cmd.render_long_help().to_string(),
        ];
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for name in names {
            let sub = cmd.find_subcommand_mut(&name).unwrap();
            pages.push(sub.render_help().to_string());
            pages.push(sub.render_long_help().to_string());
        }
        for page in &pages {
            assert!(page.contains("Utilisation : ropa"), "{page}");
            for english in [
                "Usage:",
                "Commands:",
                "[default:",
                "[possible values:",
                "Possible values:",
                "Print help",
                "Print version",
                "Print this message",
                "Examples:",
            ] {
                assert!(!page.contains(english), "`{english}` in:\n{page}");
            }
        }
        // and the values' own help, which only the long help shows
        assert!(
            pages
                .iter()
                .any(|p| p.contains("- human : constats à la manière de rustc"))
        );
    }

    /// The French help changes no parsing: the same command lines give the same arguments.
    #[test]
    fn the_french_command_line_parses_as_the_english_one() {
        for line in [
            &["lint", "--format", "json", "--lang", "fr", "a", "b"][..],
            &[
                "lint",
                "--lang=fr",
                "--fail-on",
                "warning",
                "--color",
                "never",
                "-q",
            ],
            &[
                "register",
                "--lang",
                "fr",
                "--format",
                "csv",
                "--delimiter",
                "semicolon",
            ],
            &[
                "diff",
                "main",
                "--lang",
                "fr",
                "--fail-on",
                "review",
                "--all",
            ],
            &[
                "recommend",
                "accounting",
                "--lang",
                "fr",
                "--format",
                "json",
            ],
            &["catalog", "show", "accounting", "--lang", "fr"],
            &["schema", "report"],
            &["explain", "--lang", "fr"],
        ] {
            let argv: Vec<&str> = std::iter::once("ropa")
                .chain(line.iter().copied())
                .collect();
            let english = <Args as clap::Parser>::try_parse_from(&argv).unwrap();
            let french = parse_from(&argv, Lang::Fr).unwrap();
            assert_eq!(format!("{french:?}"), format!("{english:?}"), "{line:?}");
        }
    }
}
