extension Report {
  /// The limits on one report, wherever it comes from (`route`, the service, a scenario's
  /// truth, a protocol's inline test, a scenario's `known`/`reveals`). They are far above any
  /// real report and keep a hostile or broken one from costing seconds or gigabytes; over a
  /// limit is an error naming the field (`route` exits 64). Documented in
  /// `Protocols/README.md`, "Report limits".
  public enum Limits {
    /// The size of a report's text in bytes (1 MiB).
    public static let bytes = 1 << 20
    /// How deeply arrays and objects may nest in a JSON report (a valid report nests 3 deep).
    public static let nesting = 32
    /// Victims in one report; a fact path's victim index must be below it (0 to 99).
    public static let victims = 100
    /// Entries in `indicators` (there are nine indicators; repeats are allowed up to this).
    public static let indicators = 50
    /// Characters (Unicode scalars) in any text of a report. Every text field is a name, an
    /// id, a code or a timestamp; a report has no free-text fields.
    public static let textLength = 200
  }

  /// Checks one text fact against the limits: at most `Limits.textLength` characters and no
  /// control characters (C0, DEL, C1), which no name, id or code contains and which would
  /// reach a terminal raw.
  ///
  /// - Throws: `FieldIssue` at `position`, naming `field`.
  static func checkText(_ text: String, at position: SourcePosition, field: String)
    throws(FieldIssue)
  {
    // Fast path: at most `textLength` bytes is at most `textLength` scalars.
    if text.utf8.count > Limits.textLength {
      let length = text.unicodeScalars.count
      if length > Limits.textLength {
        throw FieldIssue(
          .invalidValue, at: position, field: field,
          "\(length) characters long, over the limit of \(Limits.textLength)")
      }
    }
    for scalar in text.unicodeScalars where TerminalText.isControl(scalar) {
      throw FieldIssue(
        .invalidValue, at: position, field: field,
        "contains the control character \(TerminalText.escaped(scalar)); text in a report "
          + "cannot hold control characters")
    }
  }

  /// Checks a victim index from a fact path (`victims[3].age`) against `Limits.victims`.
  static func checkVictimIndex(_ index: Int, at position: SourcePosition, field: String)
    throws(FieldIssue)
  {
    guard index >= Limits.victims || index < 0 else { return }
    throw FieldIssue(
      .invalidValue, at: position, field: field,
      "victim index \(index) is over the limit: a report has at most \(Limits.victims) "
        + "victims (indexes 0 to \(Limits.victims - 1))")
  }
}
