/// A law-enforcement contact, agency or service provider in the directory.
public struct Contact: Sendable, Hashable {
  public var id: String
  public var name: String
  public var role: Role
  public var jurisdiction: Jurisdiction
  public var topics: [String]
  public var languages: [String]
  public var hours: String
  public var phone: String
  public var email: String
  public var activeFrom: Day?
  /// The last day the contact is active, if any.
  public var activeUntil: Day?
  public var trainingData: Bool
  public var location: SourceLocation

  public func isActive(on day: Day) -> Bool {
    (activeFrom.map { $0 <= day } ?? true) && (activeUntil.map { day <= $0 } ?? true)
  }
}

/// The topics contacts and referrals may name.
public enum Topic {
  public static let all = [
    "sex_trafficking", "labor_trafficking", "minors", "adults", "forced_marriage", "immigration",
    "online_exploitation", "lgbtq", "spanish",
  ]
}

enum DirectoryParser {
  static let header = [
    "id", "name", "role", "jurisdiction", "topics", "languages", "hours", "phone", "email",
    "active_from", "active_until", "training_data",
  ]

  /// Reads one directory CSV file, reporting every bad row rather than stopping at the first.
  static func parse(_ text: String, file: String, geography: Geography) -> ([Contact], [Diagnostic])
  {
    let table: CSVTable
    do {
      table = try CSVTable(text, expected: header)
    } catch {
      return ([], [error.diagnostic(file: file)])
    }
    var contacts: [Contact] = []
    var diagnostics: [Diagnostic] = []
    for row in table.rows {
      do {
        contacts.append(try contact(row, table, file: file, geography: geography))
      } catch {
        diagnostics.append(error.diagnostic(file: file))
      }
    }
    return (contacts, diagnostics)
  }

  private static func contact(
    _ row: CSVRecord, _ table: CSVTable, file: String, geography: Geography
  ) throws(FieldIssue) -> Contact {
    func value(_ column: String) -> String { table.value(row, column) }
    func issue(_ column: String, _ message: String, _ code: DiagnosticCode = .invalidValue)
      -> FieldIssue
    {
      FieldIssue(code, at: table.position(row, column), field: column, message)
    }
    let id = value("id")
    // ASCII only: `isNumber` would also take Arabic-Indic or full-width digits.
    guard !id.isEmpty,
      id.unicodeScalars.allSatisfy({
        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
      })
    else { throw issue("id", "'\(id)' is not a contact id (lower-case letters, digits and '-')") }
    let name = value("name")
    guard !name.isEmpty else { throw issue("name", "empty name", .missingKey) }
    let roleText = value("role")
    guard let role = Role(rawValue: roleText) else {
      throw issue(
        "role", "'\(roleText)' is not a role\(suggestion(roleText, Role.allCases.map(\.rawValue)))")
    }
    let jurisdictionText = value("jurisdiction")
    guard let jurisdiction = Jurisdiction(jurisdictionText), jurisdiction.depth >= 1 else {
      throw issue("jurisdiction", "'\(jurisdictionText)' is not a jurisdiction like US/TX/Travis")
    }
    if let problem = ProtocolSetParser.jurisdictionProblem(jurisdiction, geography: geography) {
      throw issue("jurisdiction", problem)
    }
    let topics = list(value("topics"))
    for topic in topics where !Topic.all.contains(topic) {
      throw issue("topics", "'\(topic)' is not a topic\(suggestion(topic, Topic.all))")
    }
    let languages = list(value("languages")).map { $0.lowercased() }
    for language in languages
    where !(2...3).contains(language.count) || !language.allSatisfy({ $0.isASCII && $0.isLetter }) {
      throw issue("languages", "'\(language)' is not an ISO 639 language code")
    }
    func day(_ column: String) throws(FieldIssue) -> Day? {
      let text = value(column)
      guard !text.isEmpty else { return nil }
      guard let day = Day(text) else { throw issue(column, "'\(text)' is not a date (YYYY-MM-DD)") }
      return day
    }
    let activeFrom = try day("active_from")
    let activeUntil = try day("active_until")
    if let activeFrom, let activeUntil, activeUntil < activeFrom {
      throw issue("active_until", "\(activeUntil) is before active_from \(activeFrom)")
    }
    let trainingText = value("training_data").lowercased()
    guard trainingText == "true" || trainingText == "false" else {
      throw issue(
        "training_data", "expected true or false, found '\(value("training_data"))'", .wrongType)
    }
    return Contact(
      id: id, name: name, role: role, jurisdiction: canonical(jurisdiction, geography),
      topics: topics,
      languages: languages, hours: value("hours"), phone: value("phone"), email: value("email"),
      activeFrom: activeFrom, activeUntil: activeUntil, trainingData: trainingText == "true",
      location: SourceLocation(file: file, position: SourcePosition(line: row.line, column: 1)))
  }

  private static func list(_ text: String) -> [String] {
    text.split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
  }

  /// Spells the county as geography.csv does.
  static func canonical(_ jurisdiction: Jurisdiction, _ geography: Geography) -> Jurisdiction {
    var parts = jurisdiction.components
    if !parts.isEmpty { parts[0] = parts[0].uppercased() }
    if parts.count >= 2 { parts[1] = parts[1].uppercased() }
    if parts.count >= 3, let county = geography.county(named: parts[2], state: parts[1]) {
      parts[2] = county
    }
    return Jurisdiction(components: parts)
  }
}
