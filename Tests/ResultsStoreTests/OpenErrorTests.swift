import Foundation
import Testing

@testable import ResultsStore

/// A store that cannot be opened says which file and why, in words a coordinator can act on.
@Suite("Opening errors")
struct OpenErrorTests {
  func openError(_ path: String) -> StoreError? {
    do {
      _ = try ResultsStore(path: path)
      return nil
    } catch {
      return error
    }
  }

  @Test func aFolderThatCannotBeCreated() throws {
    try withTemporaryFolder { folder throws in
      let blocker = folder.appendingPathComponent("notes.txt")
      try Data("a file where a folder should be\n".utf8).write(to: blocker)
      let path = blocker.appendingPathComponent("sub/results.sqlite").path
      let error = try #require(openError(path))
      let sub = blocker.appendingPathComponent("sub").path
      #expect(
        error
          == .cannotOpen(
            path: path,
            reason: "cannot create its folder \(sub) (\(blocker.path) is a file, not a folder)"))
      #expect(
        error.description
          == "cannot open the results store \(path): cannot create its folder \(sub) "
          + "(\(blocker.path) is a file, not a folder)")
    }
  }

  @Test func aParentThatIsAFile() throws {
    try withTemporaryFolder { folder throws in
      let blocker = folder.appendingPathComponent("notes.txt")
      try Data("text\n".utf8).write(to: blocker)
      let path = blocker.appendingPathComponent("results.sqlite").path
      let error = try #require(openError(path))
      #expect(
        error.description
          == "cannot open the results store \(path): \(blocker.path) is a file, not a folder")
    }
  }

  @Test func aPathThatIsAFolder() throws {
    try withTemporaryFolder { folder throws in
      let error = try #require(openError(folder.path))
      #expect(
        error.description
          == "cannot open the results store \(folder.path): it is a folder, not a database file")
    }
  }

  @Test func aTextFileIsNotADatabaseAndIsLeftAlone() throws {
    try withTemporaryFolder { folder throws in
      let file = folder.appendingPathComponent("results.sqlite")
      let text = String(repeating: "These are my notes, not a database.\n", count: 20)
      try Data(text.utf8).write(to: file)
      let error = try #require(openError(file.path))
      #expect(
        error.description
          == "cannot open the results store \(file.path): it is not an SQLite database")
      #expect(try String(contentsOf: file, encoding: .utf8) == text)
    }
  }

  @Test func anEmptyPath() throws {
    let error = try #require(openError(""))
    #expect(error.description == "cannot open the results store : no file name was given")
  }

  /// SQLite's failures that tests cannot provoke on demand (a full disk, a lock held for 30
  /// seconds) still read as sentences naming the file.
  @Test(arguments: [
    (Int32(26), "it is not an SQLite database"),
    (11, "the database file is damaged"),
    (8, "the file or its folder is read-only"),
    (3, "permission denied"),
    (23, "permission denied"),
    (14, "SQLite cannot open or create the file"),
    (13, "the disk is full"),
    (10, "a disk read or write failed"),
    (5, "another hotline-sim kept it locked for more than 30 seconds"),
    (6, "another hotline-sim kept it locked for more than 30 seconds"),
    (19, "UNIQUE constraint failed: journal.session_id, journal.seq"),
  ])
  func sqliteFailuresReadAsSentences(code: Int32, reason: String) {
    let message = code == 19 ? "UNIQUE constraint failed: journal.session_id, journal.seq" : nil
    #expect(SQLiteBackend.reason(sqliteCode: code, message: message) == reason)
    #expect(
      StoreError.database(path: "/srv/results.sqlite", reason: reason).description
        == "the results store /srv/results.sqlite failed: \(reason)")
  }

  @Test func anUnknownSQLiteFailureWithoutAMessageGivesItsCode() {
    #expect(SQLiteBackend.reason(sqliteCode: 1, message: nil) == "SQLite error 1")
  }
}
