import Foundation
import Testing

@testable import ResultsStore

/// Two hotline-sim processes on one database, each with its own connection, lose nothing.
@Suite("Two writers")
struct ConcurrencyTests {
  @Test(arguments: TestBackend.all)
  func twoStoresOnOneDatabaseLoseNothing(backend: TestBackend) throws {
    try withDatabase(backend) { path throws in
      let stores = [try ResultsStore(path: path), try ResultsStore(path: path)]
      let shared = try stores[0].begin(Sample.session(trainee: "Shared"))
      let own = try stores.indices.map { index in
        try stores[index].begin(Sample.session(trainee: "Writer \(index)"))
      }
      let failures = Collector<String>()

      DispatchQueue.concurrentPerform(iterations: 2) { writer in
        let store = stores[writer]
        do {
          // 300 to its own session and 100 to the shared one, interleaved.
          for step in 0..<400 {
            let toShared = step % 4 == 3
            let entry = JournalEntry(
              kind: .verb, text: "w\(writer)-\(step)", simulatedSeconds: step,
              wallTime: Sample.date(Double(step)))
            _ = try store.append(entry, to: toShared ? shared.id : own[writer].id)
          }
        } catch {
          failures.add("writer \(writer): \(error)")
        }
      }
      #expect(failures.all.isEmpty)

      let reader = try ResultsStore(path: path)
      for writer in 0..<2 {
        let journal = try reader.journal(of: own[writer].id)
        #expect(journal.map(\.seq) == Array(1...300))
        let expected = (0..<400).filter { $0 % 4 != 3 }.map { "w\(writer)-\($0)" }
        #expect(journal.map(\.text) == expected)
      }
      let sharedJournal = try reader.journal(of: shared.id)
      #expect(sharedJournal.map(\.seq) == Array(1...200))
      let texts = sharedJournal.map(\.text)
      #expect(Set(texts).count == 200)
      for writer in 0..<2 {
        let expected = (0..<400).filter { $0 % 4 == 3 }.map { "w\(writer)-\($0)" }
        // Each writer's entries appear once, in the order it wrote them.
        #expect(texts.filter { $0.hasPrefix("w\(writer)-") } == expected)
      }
    }
  }
}
