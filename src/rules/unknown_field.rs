declare_rule! {
    /// ## What it checks
    /// Every key must be part of manifest format v1. A key that is close to a known one comes
    /// with a "did you mean" suggestion.
    ///
    /// ## Why
    /// A misspelled key is silently ignored by most YAML tools, so a field the team believes it
    /// declared (a retention period, a DPIA decision) would not be there at all. ropa never
    /// passes such a file silently.
    ///
    /// ## Example
    /// ```yaml
    ///     retension:
    ///       active: 3 years
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     retention:
    ///       active: 3 years
    /// ```
    code: "MF002",
    name: "unknown-field",
    severity: Error,
    summary: "a key is not part of the format",
    check: None,
}
