import ProtocolEngine
import ScenarioKit

/// The personal-data lint: training files must not carry real phone numbers, e-mail
/// addresses, Social Security numbers or street addresses, because trainees copy what they
/// read into practice calls and screenshots travel.
///
/// The scan reads a file's raw text line by line, comments included, so it works on any
/// training file (scenario YAML, directory CSV, Markdown) before or without parsing it.
///
/// - Phone numbers (HS0040) are North American numbers (area code `2xx`-`9xx` and exchange
///   `2xx`-`9xx`), with or without the area code and a leading `1` or `+1`:
///   `512-555-0142`, `(512) 555-0142`, `512.555.0142`, `+1 512 555 0142`, `5125550142`,
///   `555-0142`. The fictional `555-0100` to `555-0199` numbers are fine.
/// - E-mail addresses (HS0041) are fine at `example.com`, `example.org`, `example.net` and
///   their subdomains, and under the reserved `.example`, `.test`, `.invalid` and
///   `.localhost` names (RFC 2606, RFC 6761).
/// - Social Security numbers (HS0042) are `123-45-6789` and `123 45 6789`.
/// - Street addresses (HS0043) are a house number, one to four capitalised (or ordinal) name
///   words and a street suffix: `4400 S Congress Ave`, `77 W. Elm St. Apt 4`. A number that
///   belongs to the word before it (`Highway 290 Frontage Rd`, `Suite 200`) or reads as a
///   year (`in 2024 Texas Highway Patrol ...`) is not a house number.
///
/// A number is only taken whole: digits, letters or a `-`, `.`, `/` or `:` joining more
/// digits on either side make it part of something else (a date, a time, a statute section
/// such as `Ind. Code 31-34-1-3.5`, a version, an id), which is never flagged. Nor is a
/// number after `§` or a citation word (`Haw. Rev. Stat. § 712-1202`, `Ley 246-2011`): it is
/// a section of a law, however much it looks like a phone number.
///
/// `# lint: allow HS0040` on a line (or `<!-- lint: allow HS0040 -->` in Markdown) silences
/// the codes it names on that line only; words after the codes are a free-text reason. The
/// `#` must start a comment as in YAML (at the start of the line or after a space), so an
/// example in Markdown code (`` `# lint: allow HS0040` ``) is not an allow. An allow that
/// names no personal-data code is itself reported (HS0044, a warning).
public enum PersonalData {
  /// The codes the scan reports, and the only ones a `# lint: allow` comment may name.
  public static let codes: [ScenarioCode] = [.realPhone, .realEmail, .ssnLike, .streetAddress]

  /// Scans one file's text.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - path: the file name used in the diagnostics.
  /// - Returns: HS0040-HS0043 errors and HS0044 warnings, sorted by line, column and code.
  ///   Columns are 1-based and count Unicode scalars, like the YAML loader's.
  /// - Complexity: linear in the length of `text`.
  public static func scan(_ text: String, path: String) -> [ScenarioDiagnostic] {
    var text = text
    let findings = text.withUTF8 { bytes in
      var scanner = Scanner(bytes: bytes)
      scanner.run()
      return scanner.findings
    }
    return findings.map { finding in
      ScenarioDiagnostic(
        finding.code == .badAllow ? .warning : .error, finding.code,
        at: SourceLocation(file: path, line: finding.line, column: finding.column),
        finding.message)
    }.sorted()
  }

  /// What to say about a finding: what was found and what to write instead.
  static func message(_ code: ScenarioCode, _ found: String) -> String {
    switch code {
    case .realPhone:
      return
        "a phone number (\(found)): use a fictional 555-0100 to 555-0199 number, or add `# lint: allow HS0040` if it is a public hotline number on purpose"
    case .realEmail:
      return
        "an e-mail address (\(found)): use an address at example.org (or another RFC 2606 example domain), or add `# lint: allow HS0041` if it is a public address on purpose"
    case .ssnLike:
      return
        "a number shaped like a Social Security number (\(found)): leave it out or write XXX-XX-XXXX"
    case .streetAddress:
      return
        "a street address (\(found)): name the street or a landmark without a house number (\"a motel off South Congress\"), or add `# lint: allow HS0043` if it is a public place on purpose"
    default:
      return found
    }
  }
}

extension PersonalData {
  /// One finding, by line and scalar column.
  struct Finding {
    var code: ScenarioCode
    var line: Int
    var column: Int
    var message: String
  }

  /// The byte scanner. It holds the file's bytes only for the duration of `scan`.
  struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var findings: [Finding] = []
    /// The current line: its number and its bytes `lineStart..<lineEnd` (without `\r\n`).
    var line = 0
    var lineStart = 0
    var lineEnd = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
      self.bytes = bytes
    }

    mutating func run() {
      var start = 0
      line = 0
      while start <= bytes.count {
        var end = start
        while end < bytes.count, bytes[end] != Byte.newline { end += 1 }
        line += 1
        lineStart = start
        lineEnd = end > start && bytes[end - 1] == Byte.carriageReturn ? end - 1 : end
        scanLine()
        if end >= bytes.count { break }
        start = end + 1
      }
    }

    /// The byte at `index`, or 0 outside the current line (so look-around needs no checks).
    @inline(__always)
    func byte(_ index: Int) -> UInt8 {
      index >= lineStart && index < lineEnd ? bytes[index] : 0
    }

    /// The 1-based column of a byte of the current line, in Unicode scalars.
    func column(of index: Int) -> Int {
      var column = 1
      for position in lineStart..<index where bytes[position] & 0xC0 != 0x80 { column += 1 }
      return column
    }

    func text(_ range: Range<Int>) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    mutating func report(_ code: ScenarioCode, _ range: Range<Int>) {
      findings.append(
        Finding(
          code: code, line: line, column: column(of: range.lowerBound),
          message: PersonalData.message(code, text(range))))
    }

    mutating func scanLine() {
      var found: [(code: ScenarioCode, range: Range<Int>)] = []
      var index = lineStart
      while index < lineEnd {
        let current = bytes[index]
        if current == Byte.at {
          if let range = email(around: index) {
            found.append((.realEmail, range))
            index = range.upperBound
            continue
          }
        } else if Byte.isDigit(current) || current == Byte.plus || current == Byte.openParen,
          numberStarts(at: index)
        {
          if let match = phone(at: index) {
            if !match.fictional, !isCitation(before: index) {
              found.append((.realPhone, index..<match.end))
            }
            index = match.end
            continue
          }
          if let end = ssn(at: index) {
            if !isCitation(before: index) { found.append((.ssnLike, index..<end)) }
            index = end
            continue
          }
          if Byte.isDigit(current), let end = address(at: index) {
            found.append((.streetAddress, index..<end))
            index = end
            continue
          }
        }
        index += 1
      }
      let allowed = allows()
      for (code, range) in found where !allowed.contains(code) { report(code, range) }
    }
  }
}

// MARK: - Phone numbers and Social Security numbers

extension PersonalData.Scanner {
  /// Whether a number may start at `index`: not inside a word, nor joined by `-`, `.` or
  /// `/` to a word before it (a date, a section number, an id like `I-35`), nor by `:` to
  /// digits (`12:00`), nor after `$`. A comma is a CSV field's start (`24/7,512-...`).
  func numberStarts(at index: Int) -> Bool {
    let before = byte(index - 1)
    if Byte.isWord(before) || before == Byte.dollar { return false }
    if before == Byte.colon { return !Byte.isDigit(byte(index - 2)) }
    if Byte.joinsNumbers(before) { return !Byte.isWord(byte(index - 2)) }
    return true
  }

  /// Whether a number may end at `index` (the first byte after it).
  func numberEnds(at index: Int) -> Bool {
    let after = byte(index)
    if Byte.isWord(after) || after == Byte.at { return false }
    if Byte.joinsNumbers(after) { return !Byte.isDigit(byte(index + 1)) }
    return true
  }

  /// Exactly `count` digits at `index`, as a number.
  func digits(at index: Int, count: Int) -> Int? {
    var value = 0
    for position in index..<index + count {
      let digit = byte(position)
      guard Byte.isDigit(digit) else { return nil }
      value = value * 10 + Int(digit - Byte.zero)
    }
    return Byte.isDigit(byte(index + count)) ? nil : value
  }

  /// A North American number starting at `index`, and whether it is a fictional one.
  func phone(at index: Int) -> (end: Int, fictional: Bool)? {
    if let match = tenDigitPhone(at: index, countryCode: true) { return match }
    if let match = tenDigitPhone(at: index, countryCode: false) { return match }
    // Seven digits without an area code, separated by `-` or `.` only (spaces are too
    // common between ordinary numbers).
    guard let exchange = digits(at: index, count: 3), exchange >= 200,
      let length = separator(at: index + 3), byte(index + 3) != Byte.space,
      byte(index + 3) != 0xC2, let number = digits(at: index + 3 + length, count: 4),
      numberEnds(at: index + 7 + length)
    else { return nil }
    return (index + 7 + length, PersonalData.isFictional(exchange: exchange, number: number))
  }

  /// The length of a separator between groups of a phone number at `index`: `-`, `.`, a
  /// space, a no-break space, or a Unicode hyphen or dash (U+2010 to U+2015, as pasted from
  /// a word processor); nil when there is none.
  func separator(at index: Int) -> Int? {
    switch byte(index) {
    case Byte.hyphen, Byte.period, Byte.space: return 1
    case 0xC2 where byte(index + 1) == 0xA0: return 2
    case 0xE2 where byte(index + 1) == 0x80 && (0x90...0x95).contains(byte(index + 2)): return 3
    default: return nil
    }
  }

  /// `[+]1 sep` (when `countryCode`), then `(area) ` or `area sep`, `exchange sep`, `number`;
  /// or the same digits with no separators at all.
  private func tenDigitPhone(at index: Int, countryCode: Bool) -> (end: Int, fictional: Bool)? {
    var position = index
    var bare = false
    if countryCode {
      if byte(position) == Byte.plus { position += 1 }
      guard byte(position) == Byte.one else { return nil }
      position += 1
      if let length = separator(at: position) {
        position += length
      } else if Byte.isDigit(byte(position)) {
        // `15125550142` is bare throughout; `+1(512) 555-0142` and `+1512...` too.
        bare = byte(index) != Byte.plus
      } else if byte(position) != Byte.openParen {
        return nil
      }
    }
    let area: Int
    if byte(position) == Byte.openParen {
      guard !bare, let value = threeDigits(at: position + 1), byte(position + 4) == Byte.closeParen
      else { return nil }
      area = value
      position += 5
      if byte(position) == Byte.space { position += 1 }
    } else {
      guard let value = threeDigits(at: position) else { return nil }
      area = value
      position += 3
      if let length = separator(at: position), !bare {
        position += length
      } else if Byte.isDigit(byte(position)) {
        bare = true
      } else {
        return nil
      }
    }
    guard let exchange = threeDigits(at: position) else { return nil }
    position += 3
    if bare {
      guard Byte.isDigit(byte(position)) else { return nil }
    } else {
      guard let length = separator(at: position) else { return nil }
      position += length
    }
    guard let number = digits(at: position, count: 4), numberEnds(at: position + 4),
      area >= 200, exchange >= 200
    else { return nil }
    return (position + 4, PersonalData.isFictional(exchange: exchange, number: number))
  }

  /// Three digits at `index`, whatever follows (a bare number runs on).
  private func threeDigits(at index: Int) -> Int? {
    var value = 0
    for position in index..<index + 3 {
      let digit = byte(position)
      guard Byte.isDigit(digit) else { return nil }
      value = value * 10 + Int(digit - Byte.zero)
    }
    return value
  }

  /// `123-45-6789` or `123 45 6789` starting at `index`.
  func ssn(at index: Int) -> Int? {
    let separator = byte(index + 3)
    guard separator == Byte.hyphen || separator == Byte.space,
      digits(at: index, count: 3) != nil, digits(at: index + 4, count: 2) != nil,
      byte(index + 6) == separator, digits(at: index + 7, count: 4) != nil,
      numberEnds(at: index + 11)
    else { return nil }
    return index + 11
  }
}

extension PersonalData.Scanner {
  /// Whether the number at `index` is a section of a law: it follows `§`, a citation word
  /// (`Stat.`, `Code`, `Ley`), or another section in a list that does (`§ 712-1202, 712-1203`,
  /// `§§ 1 and 2`). Hawaii's `712-1202` and Florida's `943.0583` look like phone numbers.
  func isCitation(before index: Int) -> Bool {
    var position = index
    for _ in 0..<8 {
      while position > lineStart, Byte.isCitationGap(bytes[position - 1]) { position -= 1 }
      guard position > lineStart else { return false }
      // `§` is U+00A7, C2 A7 in UTF-8.
      if bytes[position - 1] == 0xA7, position - 2 >= lineStart, bytes[position - 2] == 0xC2 {
        return true
      }
      let start = wordStart(before: position)
      guard start < position else { return false }
      let word = text(start..<position).lowercased()
      if word.hasSuffix("."), PersonalData.citationAbbreviations.contains(String(word.dropLast())) {
        return true
      }
      let bare = word.hasSuffix(".") ? String(word.dropLast()) : word
      if PersonalData.citationWords.contains(bare) {
        // "area code 512, 467-2290" is a phone number.
        var before = start
        while before > lineStart, Byte.isCitationGap(bytes[before - 1]) { before -= 1 }
        return bare != "code" || text(wordStart(before: before)..<before).lowercased() != "area"
      }
      // A section before this one, or a word joining two sections: look further back.
      guard word.contains(where: \.isNumber) || PersonalData.citationJoiners.contains(bare)
      else { return false }
      position = start
    }
    return false
  }

  /// Where the word (any ASCII run up to a space, comma or semicolon) ending at `end` starts.
  func wordStart(before end: Int) -> Int {
    var start = end
    while start > lineStart, !Byte.isCitationGap(bytes[start - 1]), bytes[start - 1] < 0x80 {
      start -= 1
    }
    return start
  }
}

extension PersonalData {
  /// Words a section number follows in a citation, lower-cased, without a final period.
  static let citationWords: Set<String> = [
    "code", "ley", "law", "laws", "act", "chapter", "article", "section", "sections", "title",
    "rule", "rules", "ordinance", "cfr", "u.s.c", "usc", "ilcs", "rcw", "mcl", "ors", "rsa",
    "nrs", "ars", "crs", "ksa", "wac", "oac", "aac",
  ]
  /// Abbreviations that do the same, only with their period (`Art.`, not the name `Art`).
  static let citationAbbreviations: Set<String> = [
    "stat", "stats", "ann", "ch", "chap", "art", "sec", "tit", "reg", "regs", "pub", "p.l",
    "ord", "gen", "rev", "comp", "cons", "cent", "crim", "proc", "fam", "admin",
  ]
  /// Words that join the sections of a list.
  static let citationJoiners: Set<String> = ["and", "or", "to", "through", "thru", "&", "y"]

  /// The numbers reserved for fiction: 555-0100 through 555-0199 in every area code.
  static func isFictional(exchange: Int, number: Int) -> Bool {
    exchange == 555 && (100...199).contains(number)
  }
}

// MARK: - E-mail addresses

extension PersonalData.Scanner {
  /// The address around an `@` at `index`, if it is one and not at an example domain.
  func email(around index: Int) -> Range<Int>? {
    var start = index
    while start > lineStart, Byte.isLocalPart(bytes[start - 1]) { start -= 1 }
    while start < index, bytes[start] == Byte.period { start += 1 }
    var end = index + 1
    while end < lineEnd, Byte.isDomain(bytes[end]) { end += 1 }
    while end > index + 1, bytes[end - 1] == Byte.period || bytes[end - 1] == Byte.hyphen {
      end -= 1
    }
    guard start < index, end > index + 1 else { return nil }
    let domain = text(index + 1..<end).lowercased()
    let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2, !labels.contains(where: \.isEmpty), let top = labels.last,
      top.count >= 2, top.allSatisfy({ $0.isLetter })
    else { return nil }
    if PersonalData.isExampleDomain(domain) { return nil }
    return start..<end
  }
}

extension PersonalData {
  static let reservedTopLevel: Set<Substring> = ["example", "test", "invalid", "localhost"]
  static let exampleDomains = ["example.com", "example.org", "example.net"]

  /// RFC 2606 and RFC 6761 names: `example.com`/`.org`/`.net` and their subdomains, and
  /// anything under `.example`, `.test`, `.invalid` or `.localhost`.
  static func isExampleDomain(_ domain: String) -> Bool {
    if let top = domain.split(separator: ".").last, reservedTopLevel.contains(top) { return true }
    return exampleDomains.contains { domain == $0 || domain.hasSuffix("." + $0) }
  }
}

// MARK: - Street addresses

extension PersonalData.Scanner {
  /// A word of the line: its bytes without a trailing period, and whether it had one.
  struct Word {
    var range: Range<Int>
    var text: String
    var period: Bool
  }

  /// The words after `index` separated by spaces only, at most `limit` of them.
  func words(from index: Int, limit: Int) -> [Word] {
    var result: [Word] = []
    var position = index
    while result.count < limit {
      let spaces = position
      while byte(position) == Byte.space || byte(position) == Byte.tab { position += 1 }
      guard position > spaces else { break }
      let start = position
      // Non-ASCII bytes are letters here (`Peña`).
      while Byte.isWord(byte(position)) || byte(position) >= 0x80
        || byte(position) == Byte.apostrophe || byte(position) == Byte.hyphen
      {
        position += 1
      }
      guard position > start else { break }
      let period = byte(position) == Byte.period
      result.append(Word(range: start..<position, text: text(start..<position), period: period))
      if period {
        position += 1
        // A period that ends a sentence ends the address too.
        guard byte(position) == Byte.space else { break }
      }
    }
    return result
  }

  /// The word that ends just before `index` (skipping spaces), lower-cased.
  func wordBefore(_ index: Int) -> String {
    var end = index
    while byte(end - 1) == Byte.space || byte(end - 1) == Byte.tab { end -= 1 }
    if byte(end - 1) == Byte.period { end -= 1 }
    var start = end
    while Byte.isWord(byte(start - 1)) { start -= 1 }
    return text(start..<end).lowercased()
  }

  /// A house number at `index` followed by a street name and suffix; the end of the match.
  func address(at index: Int) -> Int? {
    let before = byte(index - 1)
    // After a comma only as a CSV field (`...,4400 S Congress Ave,...`), not in `1,200`.
    guard
      before == 0 || Byte.opensAddress(before)
        || before == Byte.comma && !Byte.isDigit(byte(index - 2))
    else { return nil }
    var end = index
    while Byte.isDigit(byte(end)) { end += 1 }
    guard end - index <= 6, byte(end) == Byte.space || byte(end) == Byte.tab,
      byte(index) != Byte.zero
    else { return nil }
    let previous = wordBefore(index)
    if PersonalData.numberedBy.contains(previous) { return nil }
    if end - index == 4, let year = digits(at: index, count: 4), (1900...2099).contains(year),
      PersonalData.beforeYears.contains(previous)
    {
      return nil
    }
    let following = words(from: end, limit: 7)
    for suffixIndex in following.indices.dropFirst().prefix(4) {
      let suffix = following[suffixIndex]
      guard PersonalData.isSuffix(suffix.text),
        following[..<suffixIndex].allSatisfy({ PersonalData.isNameWord($0.text) })
      else { continue }
      // `Apt 4`, `Suite 200`, `Unit 3B` after the suffix belong to the address.
      let rest = following.dropFirst(suffixIndex + 1)
      if let unit = rest.first, PersonalData.units.contains(unit.text.lowercased()),
        let number = rest.dropFirst().first, number.text.first?.isNumber == true
      {
        return number.range.upperBound
      }
      return suffix.range.upperBound
    }
    return nil
  }
}

extension PersonalData {
  /// Street suffixes (USPS Publication 28's common ones), lower-cased, without periods.
  static let suffixes: Set<String> = [
    "street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "lane", "ln",
    "drive", "dr", "way", "court", "ct", "place", "pl", "parkway", "pkwy", "highway", "hwy",
    "circle", "cir", "terrace", "ter", "trail", "trl", "plaza", "plz", "square", "sq", "alley",
    "loop", "pike", "crossing", "xing", "expressway", "expy", "freeway", "fwy", "row", "cove",
    "path", "run", "walk",
  ]
  /// Suffixes plain enough to count in lower case ("123 Main street").
  static let lowerCaseSuffixes: Set<String> = ["street", "avenue", "road", "boulevard", "lane"]
  /// Words whose number follows them, so the number is no house number.
  static let numberedBy: Set<String> = [
    "highway", "hwy", "route", "rte", "interstate", "i", "us", "sh", "fm", "rm", "loop", "spur",
    "suite", "ste", "room", "apt", "apartment", "unit", "exit", "box", "no", "number", "gate",
    "floor", "mile", "bus", "flight", "terminal", "building", "bldg", "lot", "space", "pier",
    "dock", "platform", "page", "chapter", "section", "sec", "code", "stat", "ch", "art", "tit",
    "title", "rule", "ward", "district", "precinct", "channel", "station", "county", "road",
    "rd", "street", "st",
  ]
  /// Words that make a four-digit number a year ("in 2024 Texas Highway Patrol ...").
  static let beforeYears: Set<String> = [
    "in", "since", "by", "of", "until", "till", "before", "after", "from", "to", "through",
    "around", "circa", "year", "early", "late", "mid", "summer", "winter", "spring", "fall",
    "autumn", "during",
  ]
  static let units: Set<String> = ["apt", "apartment", "suite", "ste", "unit", "#"]

  static func isSuffix(_ word: String) -> Bool {
    let lower = word.lowercased()
    guard suffixes.contains(lower), let first = word.first else { return false }
    return first.isUppercase || lowerCaseSuffixes.contains(lower)
  }

  /// A capitalised word (`Congress`, `S`, `MLK`, `O'Connor`) or an ordinal (`5th`, `42nd`).
  static func isNameWord(_ word: String) -> Bool {
    guard let first = word.unicodeScalars.first else { return false }
    if ("A"..."Z").contains(first) { return true }
    let digits = word.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty else { return false }
    return ["st", "nd", "rd", "th"].contains(word.dropFirst(digits.count).lowercased())
  }
}

// MARK: - Allow comments

extension PersonalData.Scanner {
  /// The codes `# lint: allow ...` silences on the current line, reporting HS0044 for an
  /// allow that names an unknown code, a code the scan does not report, or no code at all.
  mutating func allows() -> Set<ScenarioCode> {
    var allowed = Set<ScenarioCode>()
    var index = lineStart
    while index < lineEnd {
      var position: Int
      // A `#` opens a comment at the start of a line or after a space, as in YAML; one in
      // Markdown code ("add `# lint: allow HS0040`") is an example, not an allow.
      let before = byte(index - 1)
      if bytes[index] == Byte.hash, before == 0 || before == Byte.space || before == Byte.tab {
        position = index + 1
      } else if bytes[index] == Byte.less, matches("<!--", at: index) {
        position = index + 4
      } else {
        index += 1
        continue
      }
      while byte(position) == Byte.space { position += 1 }
      guard matches("lint:", at: position) else {
        index += 1
        continue
      }
      position += 5
      while byte(position) == Byte.space { position += 1 }
      guard matches("allow", at: position), !Byte.isWord(byte(position + 5)) else {
        index += 1
        continue
      }
      let marker = index
      position += 5
      var named = 0
      while true {
        while byte(position) == Byte.space || byte(position) == Byte.comma { position += 1 }
        let start = position
        while Byte.isWord(byte(position)) { position += 1 }
        let token = text(start..<position).uppercased()
        guard PersonalData.looksLikeCode(token) else { break }
        named += 1
        if let code = ScenarioCode(rawValue: token), PersonalData.codes.contains(code) {
          allowed.insert(code)
        } else {
          let why =
            ScenarioCode(rawValue: token) == nil
            ? "\(token) is not a diagnostic code"
            : "\(token) is not a personal-data check"
          findings.append(
            PersonalData.Finding(
              code: .badAllow, line: line, column: column(of: start),
              message: "\(why); `# lint: allow` takes \(PersonalData.allowList)"))
        }
      }
      if named == 0 {
        findings.append(
          PersonalData.Finding(
            code: .badAllow, line: line, column: column(of: marker),
            message: "`# lint: allow` names no code; it takes \(PersonalData.allowList)"))
      }
      index = max(position, index + 1)
    }
    return allowed
  }

  func matches(_ literal: StaticString, at index: Int) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard index + count <= lineEnd else { return false }
    let pointer = literal.utf8Start
    for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
    return true
  }
}

extension PersonalData {
  static let allowList = "HS0040, HS0041, HS0042 or HS0043"

  /// Two letters and four digits (`HS0040`, `HR0001`): a code, known or not.
  static func looksLikeCode(_ token: String) -> Bool {
    let scalars = Array(token.unicodeScalars)
    guard scalars.count == 6 else { return false }
    return scalars.prefix(2).allSatisfy { ("A"..."Z").contains($0) }
      && scalars.dropFirst(2).allSatisfy { ("0"..."9").contains($0) }
  }
}

extension PersonalData.Scanner {
  /// The ASCII bytes the scanner looks at.
  enum Byte {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let at = UInt8(ascii: "@")
    static let plus = UInt8(ascii: "+")
    static let hyphen = UInt8(ascii: "-")
    static let period = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let dollar = UInt8(ascii: "$")
    static let hash = UInt8(ascii: "#")
    static let less = UInt8(ascii: "<")
    static let apostrophe = UInt8(ascii: "'")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let zero = UInt8(ascii: "0")
    static let one = UInt8(ascii: "1")

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }

    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    /// ASCII letters, digits and `_`. Non-ASCII bytes are not: next to a number they are far
    /// more often punctuation (a dash, a curly quote, `§`) than letters.
    @inline(__always)
    static func isWord(_ byte: UInt8) -> Bool {
      isDigit(byte) || isLetter(byte) || byte == UInt8(ascii: "_")
    }

    /// Bytes that join two numbers into one (`2026-11-29`, `261.101`, `11/29`, `12:00`).
    @inline(__always)
    static func joinsNumbers(_ byte: UInt8) -> Bool {
      byte == hyphen || byte == period || byte == UInt8(ascii: "/") || byte == colon
    }

    /// What may come right before a house number: a space, an opening bracket or quote.
    static func opensAddress(_ byte: UInt8) -> Bool {
      switch byte {
      case space, tab, openParen, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\""),
        apostrophe, UInt8(ascii: "`"), UInt8(ascii: ">"), UInt8(ascii: "*"), UInt8(ascii: "|"):
        true
      default: false
      }
    }

    /// What separates the words of a citation list.
    static func isCitationGap(_ byte: UInt8) -> Bool {
      byte == space || byte == tab || byte == comma || byte == UInt8(ascii: ";")
    }

    static func isLocalPart(_ byte: UInt8) -> Bool {
      isDigit(byte) || isLetter(byte) || byte == period || byte == UInt8(ascii: "_")
        || byte == UInt8(ascii: "%") || byte == plus || byte == hyphen
    }

    static func isDomain(_ byte: UInt8) -> Bool {
      isDigit(byte) || isLetter(byte) || byte == period || byte == hyphen
    }
  }
}
