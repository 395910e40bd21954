/// The one sanitiser for text that reaches a terminal. Every string from content or input
/// (a report's values, a protocol's or scenario's text, a trainee's words, an echoed script
/// line, an error message quoting any of these) passes through `sanitized(_:)` before it is
/// printed as text, so that input can show characters but never drive the terminal:
/// `ESC]0;…BEL` cannot retitle it, `ESC[2J` cannot clear it, a carriage return cannot
/// overwrite a line already printed, and a right-to-left override cannot reorder what is
/// shown.
///
/// Machine output does not need it: JSON output escapes C0 controls itself (`\u001b`).
public enum TerminalText {
  /// The text with every character a terminal would act on rather than show written out as
  /// a Swift-style escape, `\u{1B}`:
  /// - C0 controls (U+0000 to U+001F) except newline and tab, so ESC, BEL, BS and CR;
  /// - DEL (U+007F) and the C1 controls (U+0080 to U+009F, among them CSI, U+009B);
  /// - the bidirectional embeddings and overrides (U+202A to U+202E) and isolates
  ///   (U+2066 to U+2069).
  /// An escape sequence is thereby shown, not run: `ESC[2J` prints as `\u{1B}[2J`. Text
  /// without such characters is returned as it is.
  ///
  /// - Complexity: O(n) in the text's length; one scan when nothing needs escaping.
  public static func sanitized(_ text: String) -> String {
    escaping(text) { needsEscape($0) }
  }

  /// Like `sanitized(_:)`, and newline and tab escaped too: for a value that must stay on
  /// one line (a value quoted in a one-line message, a title in a table).
  public static func sanitizedLine(_ text: String) -> String {
    escaping(text) { $0 == "\n" || $0 == "\t" || needsEscape($0) }
  }

  /// Whether a scalar is a control character: C0, DEL or C1.
  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  /// Whether `sanitized(_:)` escapes the scalar.
  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: false
    case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// `\u{1B}`: the scalar's code point in upper-case hexadecimal, at least two digits.
  static func escaped(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "\\u{" + (hex.count < 2 ? "0" + hex : hex) + "}"
  }

  private static func escaping(_ text: String, when escape: (Unicode.Scalar) -> Bool) -> String {
    guard text.unicodeScalars.contains(where: escape) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if escape(scalar) {
        out.append(contentsOf: escaped(scalar).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }
}
