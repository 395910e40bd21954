/// Terminal control input in a line: what arrow keys and other special keys leave in it when
/// nothing edits the line (`--plain`, `TERM=dumb`), e.g. ESC `[` `A` for Up, which the
/// terminal echoes as `^[[A`. Such a line is never sent as a verb: the cursor did not move
/// where the user thought, so what they typed around the keys is not what they meant.
public enum TerminalInput {
  static let escape: Unicode.Scalar = "\u{1B}"
  static let csi: Unicode.Scalar = "\u{9B}"

  /// Whether `line` holds an escape sequence, another control character (a tab aside), or an
  /// escape sequence in caret notation as the terminal echoes it (`^[[A`, `^[OB`).
  public static func hasControlInput(_ line: String) -> Bool {
    line.unicodeScalars.contains(where: isControl) || line.contains("^[[") || line.contains("^[O")
  }

  /// `line` without escape sequences (raw or in caret notation) and control characters.
  public static func stripped(_ line: String) -> String {
    var scalars = Array(line.unicodeScalars)
    var output = String.UnicodeScalarView()
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == "^", index + 2 < scalars.count, scalars[index + 1] == "[",
        scalars[index + 2] == "[" || scalars[index + 2] == "O"
      {
        // Caret notation: `^[` stands for ESC.
        scalars.replaceSubrange(index...index + 1, with: [escape])
        continue
      }
      if scalar == escape || scalar == csi {
        index = endOfSequence(scalars, from: index)
        continue
      }
      if !isControl(scalar) { output.append(scalar) }
      index += 1
    }
    return String(output)
  }

  /// The index after the escape sequence starting at `start` (ESC or CSI).
  private static func endOfSequence(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
    var index = start + 1
    let introducer: Unicode.Scalar?
    if scalars[start] == csi {
      introducer = "["
    } else {
      guard index < scalars.count else { return index }
      introducer = scalars[index]
      index += 1
    }
    switch introducer {
    case "[":
      // CSI: parameter and intermediate bytes, then one final byte.
      while index < scalars.count, (0x20...0x3F).contains(scalars[index].value) { index += 1 }
      return index < scalars.count && (0x40...0x7E).contains(scalars[index].value)
        ? index + 1 : index
    case "O":
      // SS3 (arrow and function keys in application mode): one more character.
      return min(index + 1, scalars.count)
    case "]", "P", "_", "^", "X":
      // A string (OSC, DCS, ...) up to BEL or ESC \.
      while index < scalars.count {
        if scalars[index] == "\u{07}" { return index + 1 }
        if scalars[index] == escape {
          return index + 1 < scalars.count && scalars[index + 1] == "\\" ? index + 2 : index + 1
        }
        index += 1
      }
      return index
    default:
      // ESC and one character (Alt+key).
      return index
    }
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar != "\t" && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
  }
}
