//! English and French. Every text shown to people is written in both; `t` picks one.

/// The language of everything ropa writes for people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// Every language, in the order `--lang` lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The code used on the command line and in `ropa.yaml`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

/// The text in the chosen language.
pub fn t(lang: Lang, en: impl Into<String>, fr: impl Into<String>) -> String {
    match lang {
        Lang::En => en.into(),
        Lang::Fr => fr.into(),
    }
}

/// One of two static texts.
pub fn s(lang: Lang, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// What the system said of a failed file or stream operation, in a language. In English, the
/// system's own words (`No such file or directory (os error 2)`); in French, the same said in
/// French, with the system's error number, or the system's words after a French lead-in for an
/// error this table does not name.
pub fn io_error(lang: Lang, e: &std::io::Error) -> String {
    io_error_parts(lang, e.kind(), e.raw_os_error(), &e.to_string())
}

/// [`io_error`] from an error's parts, for an error kept without the `std::io::Error` itself.
pub fn io_error_parts(
    lang: Lang,
    kind: std::io::ErrorKind,
    code: Option<i32>,
    system: &str,
) -> String {
    use std::io::ErrorKind as K;
    if lang == Lang::En {
        return system.to_string();
    }
    let said = match kind {
        K::NotFound => "fichier ou dossier introuvable",
        K::PermissionDenied => "permission refusée",
        K::AlreadyExists => "le fichier existe déjà",
        K::NotADirectory => "ce n'est pas un dossier",
        K::IsADirectory => "c'est un dossier",
        K::DirectoryNotEmpty => "le dossier n'est pas vide",
        K::ReadOnlyFilesystem => "système de fichiers en lecture seule",
        K::StorageFull => "plus de place sur le disque",
        K::QuotaExceeded => "quota de disque dépassé",
        K::FileTooLarge => "fichier trop volumineux",
        K::ResourceBusy => "ressource occupée",
        K::CrossesDevices => "le lien traverserait deux systèmes de fichiers",
        K::InvalidFilename => "nom de fichier invalide (trop long, ou caractère refusé)",
        K::InvalidInput => "argument invalide",
        K::InvalidData => "données invalides",
        K::TimedOut => "délai dépassé",
        K::Interrupted => "opération interrompue",
        K::WouldBlock => "l'opération bloquerait",
        K::WriteZero => "rien n'a pu être écrit",
        K::UnexpectedEof => "fin de fichier inattendue",
        K::OutOfMemory => "mémoire insuffisante",
        K::BrokenPipe => "tube rompu (le lecteur est parti)",
        K::Unsupported => "opération non prise en charge",
        _ => return format!("erreur du système : {system}"),
    };
    match code {
        Some(code) => format!("{said} (erreur système {code})"),
        None => said.to_string(),
    }
}

/// French "de" before a noun phrase, contracted as French requires: "du dernier contact", "des
/// faits", "de la collecte", "de l'exercice".
pub fn de(phrase: &str) -> String {
    if let Some(rest) = phrase.strip_prefix("le ") {
        format!("du {rest}")
    } else if let Some(rest) = phrase.strip_prefix("les ") {
        format!("des {rest}")
    } else {
        format!("de {phrase}")
    }
}

#[cfg(test)]
mod io_tests {
    use super::*;

    #[test]
    fn system_errors_are_said_in_the_run_language() {
        let gone = std::fs::read("/nonexistent/ropa-test").unwrap_err();
        assert_eq!(io_error(Lang::En, &gone), gone.to_string());
        assert_eq!(
            io_error(Lang::Fr, &gone),
            "fichier ou dossier introuvable (erreur système 2)"
        );
        // made by ropa, with no system number; and a kind the table does not name
        let made = std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full");
        assert_eq!(io_error(Lang::Fr, &made), "plus de place sur le disque");
        let other = std::io::Error::other("no free temporary file name");
        assert_eq!(
            io_error(Lang::Fr, &other),
            "erreur du système : no free temporary file name"
        );
    }
}

#[cfg(test)]
mod de_tests {
    #[test]
    fn de_contracts_as_french_does() {
        assert_eq!(super::de("le paiement"), "du paiement");
        assert_eq!(super::de("les faits"), "des faits");
        assert_eq!(super::de("la collecte"), "de la collecte");
        assert_eq!(super::de("l'exercice"), "de l'exercice");
    }
}
