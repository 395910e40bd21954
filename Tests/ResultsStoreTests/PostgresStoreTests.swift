import Foundation
import Testing

@testable import ResultsStore

/// What only the PostgreSQL backend has: URLs, passwords that must never show, a server that
/// may be down, connections the server may drop.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
  static let enabled = TestBackend.postgresURL != nil
  static let skipped = Comment(rawValue: TestBackend.skipReason)

  func openError(_ location: String) -> StoreError? {
    do {
      _ = try ResultsStore(path: location)
      return nil
    } catch {
      return error
    }
  }

  @Test func aURLIsReadWithItsDefaults() throws {
    let full = try #require(
      try PostgresLocation(parsing: "postgresql://ana:p%40ss@db.example.org:6543/results"))
    #expect(full.user == "ana")
    #expect(full.password == "p@ss")
    #expect(full.host == "db.example.org")
    #expect(full.port == 6543)
    #expect(full.database == "results")
    #expect(full.tls == .prefer)
    #expect(full.redacted == "postgres://ana:***@db.example.org:6543/results")
    let short = try #require(try PostgresLocation(parsing: "POSTGRES://ana@[::1]?sslmode=disable"))
    #expect(short.host == "::1")
    #expect(short.port == 5432)
    #expect(short.database == "ana")
    #expect(short.tls == .disable)
    #expect(short.redacted == "postgres://ana@[::1]:5432/ana?sslmode=disable")
    #expect(try PostgresLocation(parsing: "/srv/results.sqlite") == nil)
    #expect(try PostgresLocation(parsing: "postgres-results.sqlite") == nil)
  }

  @Test(arguments: [
    (
      "postgres://ana:secret@/results",
      "cannot open the results store postgres://ana:***@/results: the URL names no host "
        + "(postgres://user:password@host:port/database)"
    ),
    (
      "postgres://db.example.org/results",
      "cannot open the results store postgres://db.example.org/results: the URL names no user "
        + "(postgres://user:password@host:port/database)"
    ),
    (
      "postgres://ana:secret@db.example.org:5432/results?sslmode=sometimes",
      "cannot open the results store postgres://ana:***@db.example.org:5432/results"
        + "?sslmode=sometimes: sslmode must be one of disable, prefer, require, verify-full"
    ),
    (
      "postgres://ana:secret@db.example.org/results?password=secret",
      "cannot open the results store postgres://ana:***@db.example.org/results?password=secret"
        + ": the URL parameter 'password' is not supported (only sslmode is)"
    ),
    (
      "postgres://ana:secret@db.example.org:99999/results",
      "cannot open the results store postgres://ana:***@db.example.org:99999/results: the port "
        + "99999 is not between 1 and 65535"
    ),
    (
      "postgres://ana:sec ret@db example/results",
      "cannot open the results store postgres://ana:***@db example/results: it is not a valid "
        + "postgres://user:password@host:port/database URL"
    ),
  ])
  func aMalformedURLIsRefusedWithoutItsPassword(url: String, message: String) {
    let error = openError(url)
    #expect(error?.description == message)
  }

  /// Nothing listens on port 1: the error names the server and never the password, and comes
  /// from the open, before anything is played.
  @Test func anUnreachableServerIsNamedAndThePasswordRedacted() throws {
    let error = try #require(openError("postgres://coordinator:Sup3r-S3cret@127.0.0.1:1/results"))
    #expect(
      error
        == .cannotOpen(
          path: "postgres://coordinator:***@127.0.0.1:1/results",
          reason:
            "cannot connect to the PostgreSQL server at 127.0.0.1:1 (connection refused: is the "
            + "server running and accepting TCP connections?)"))
    #expect(error.description.contains("127.0.0.1:1"))
    #expect(!error.description.contains("Sup3r-S3cret"))
  }

  @Test func anUnknownHostIsNamed() throws {
    let error = try #require(
      openError("postgres://coordinator:Sup3r-S3cret@no-such-host.invalid:5432/results"))
    #expect(
      error.description
        == "cannot open the results store postgres://coordinator:***@no-such-host.invalid:5432/"
        + "results: cannot connect to the PostgreSQL server at no-such-host.invalid:5432 (the "
        + "host name 'no-such-host.invalid' cannot be resolved)")
  }

  @Test(.enabled(if: enabled, skipped))
  func aWrongPasswordIsRefusedAndNotShown() throws {
    var place = try TestBackend.server()
    place.password = "not-the-password-\(UUID().uuidString)"
    let error = try #require(openError(place.url))
    #expect(
      error
        == .cannotOpen(
          path: place.redacted,
          reason: "the server refused the password of the user '\(place.user)'"))
    #expect(!error.description.contains(place.password ?? ""))
  }

  @Test(.enabled(if: enabled, skipped))
  func aMissingDatabaseIsNamed() throws {
    let place = try TestBackend.server().with(database: "hs_test_missing_\(UUID().uuidString)")
    let error = try #require(openError(place.url))
    #expect(
      error
        == .cannotOpen(
          path: place.redacted,
          reason: "the server has no database named '\(place.database)'"))
  }

  @Test(.enabled(if: enabled, skipped))
  func theStoreShowsItsURLWithoutThePassword() throws {
    try withPostgresDatabase { place throws in
      let store = try ResultsStore(path: place.url)
      #expect(store.path == place.redacted)
      if let password = place.password, !password.isEmpty {
        #expect(!store.path.contains(":\(password)@"))
      }
      #expect(store.path.hasPrefix("postgres://\(place.user)"))
    }
  }

  /// The server restarted or dropped idle clients: the store's kept connections are dead, and
  /// the next call makes a new one rather than failing.
  @Test(.enabled(if: enabled, skipped))
  func aConnectionTheServerDroppedIsReplaced() throws {
    try withPostgresDatabase { place throws in
      let store = try ResultsStore(path: place.url)
      let session = try store.begin(Sample.session())
      let other = try ResultsStore(path: place.url)
      let ended = try other.sql(
        "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity "
          + "WHERE datname = current_database() AND pid <> pg_backend_pid()")
      #expect(!ended.isEmpty)
      let entry = try store.append(
        JournalEntry(kind: .verb, text: "greet", simulatedSeconds: 0, wallTime: Sample.date(1)),
        to: session.id)
      #expect(entry.seq == 1)
      #expect(try store.journal(of: session.id) == [entry])
    }
  }

  /// A write waits for another process's transaction; the error for one that waited too long
  /// says so, like SQLite's busy timeout.
  @Test(arguments: [
    ("55P03", "lock timeout", "another hotline-sim kept it locked for more than 30 seconds"),
    (
      "28P01", "password authentication failed", "the server refused the password of the user 'ana'"
    ),
    ("3D000", "database \"x\" does not exist", "the server has no database named 'results'"),
    ("53100", "could not extend file", "the server's disk is full"),
    (
      "42501", "permission denied for table journal",
      "permission denied: permission denied for table journal"
    ),
    (
      "23505", "duplicate key value violates unique constraint \"journal_on_session_seq\"",
      "duplicate key value violates unique constraint \"journal_on_session_seq\" (SQLSTATE 23505)"
    ),
    ("XX000", "", "the server reported an error (SQLSTATE XX000)"),
  ])
  func serverFailuresReadAsSentences(state: String, message: String, reason: String) throws {
    let place = try #require(try PostgresLocation(parsing: "postgres://ana:pw@db:5432/results"))
    #expect(PostgresBackend.reason(sqlState: state, message: message, at: place) == reason)
  }

  @Test func whatTheServerSaysIsScrubbedOfThePassword() throws {
    let place = try #require(
      try PostgresLocation(parsing: "postgres://ana:Tr%C3%A8s%20secret@db:5432/results"))
    #expect(place.password == "Très secret")
    #expect(
      place.scrubbed("role ana with Très secret and Tr%C3%A8s%20secret")
        == "role ana with *** and ***")
    #expect(
      PostgresLocation.redacting("postgres://ana:p@ss:word@db/x?y")
        == "postgres://ana:***@db/x?y")
  }
}
