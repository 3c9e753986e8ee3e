//! Diagnostics are data: rules and the parse layer produce them, the sink orders and counts
//! them, and only renderers turn them into text.

pub mod deviations;
pub mod sink;

use serde::Serialize;

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A citation: where a legal fact comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A secondary place in a file that explains a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A documented departure that turned a finding into a note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppliedDeviation {
    pub justification: String,
    pub approved_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule code, e.g. `LB001`.
    pub code: &'static str,
    pub severity: Severity,
    /// One line, lowercase start, no trailing period.
    pub message: String,
    /// Index of the file in the run's file list.
    pub file: usize,
    /// The YAML the diagnostic is about; `None` for a whole-file problem.
    pub span: Option<Span>,
    /// Text under the primary span.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    pub sources: Vec<Citation>,
    /// The activity's id, when the diagnostic is about one.
    pub activity: Option<String>,
    /// The activity's position in its file, to match deviations.
    pub activity_index: Option<usize>,
    pub deviation: Option<AppliedDeviation>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, file: usize, message: String) -> Self {
        Self {
            code,
            severity,
            message,
            file,
            span: None,
            label: None,
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            sources: Vec::new(),
            activity: None,
            activity_index: None,
            deviation: None,
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn cite(mut self, sources: impl IntoIterator<Item = Citation>) -> Self {
        for s in sources {
            if !self.sources.contains(&s) {
                self.sources.push(s);
            }
        }
        self
    }
}
