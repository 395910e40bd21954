import GRDB

/// The schema, built only through named migrations.
///
/// Migrations are append-only: a file in the field has applied every migration its build knew,
/// so editing or removing a shipped one would leave such files with a schema no build
/// describes. Change the schema by registering "v2", "v3"... at the end.
enum Schema {
  static let migrator: DatabaseMigrator = {
    var migrator = DatabaseMigrator()

    migrator.registerMigration("v1") { db in
      try db.create(table: TraineeRow.databaseTableName) { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("name", .text).notNull().unique()
        t.column("cohort", .text)
        t.column("created_at", .datetime).notNull()
      }
      try db.create(indexOn: TraineeRow.databaseTableName, columns: ["cohort"])

      try db.create(table: SessionRow.databaseTableName) { t in
        t.primaryKey("id", .text)
        t.column("trainee_id", .integer).notNull()
          .references(TraineeRow.databaseTableName, onDelete: .restrict)
        t.column("scenario_id", .text).notNull()
        t.column("scenario_version", .integer).notNull()
        t.column("scenario_sha256", .text).notNull()
        t.column("scenario_path", .text).notNull()
        t.column("ruleset_version", .text).notNull()
        t.column("ruleset_sha256", .text).notNull()
        t.column("mode", .text).notNull()
        t.column("audience", .text).notNull()
        // Text, because a UInt64 seed above Int64.max does not fit an SQLite integer.
        t.column("seed", .text).notNull()
        t.column("as_of", .text).notNull()
        t.column("real_time", .boolean).notNull()
        t.column("curriculum_id", .text)
        t.column("curriculum_version", .integer)
        t.column("part_id", .text)
        t.column("started_at", .datetime).notNull()
        t.column("pid", .integer).notNull()
        t.column("host", .text).notNull()
        t.column("status", .text).notNull()
          .check { SessionStatus.allCases.map(\.rawValue).contains($0) }
        t.column("end_reason", .text)
        t.column("ended_at", .datetime)
      }
      try db.create(
        index: "session_on_trainee_started", on: SessionRow.databaseTableName,
        columns: ["trainee_id", "started_at"])
      try db.create(
        index: "session_on_started", on: SessionRow.databaseTableName,
        columns: ["started_at", "id"])

      try db.create(table: JournalRow.databaseTableName) { t in
        t.column("session_id", .text).notNull()
          .references(SessionRow.databaseTableName, onDelete: .cascade)
        t.column("seq", .integer).notNull().check { $0 >= 1 }
        t.column("kind", .text).notNull()
          .check { ["verb", "end"].contains($0) }
        t.column("text", .text).notNull()
        t.column("simulated_seconds", .integer).notNull()
        t.column("wall_time", .datetime).notNull()
      }
      // Unique, so two writers who computed the same next seq could never both succeed: the
      // journal has no gaps and no duplicates even if the locking ever failed.
      try db.create(
        index: "journal_on_session_seq", on: JournalRow.databaseTableName,
        columns: ["session_id", "seq"], options: .unique)

      try db.create(table: ScoreRow.databaseTableName) { t in
        t.primaryKey("session_id", .text)
          .references(SessionRow.databaseTableName, onDelete: .cascade)
        t.column("score", .integer).notNull()
        t.column("compliance", .text).notNull()
        t.column("accuracy_revealed", .double).notNull()
        t.column("accuracy_truth", .double).notNull()
        t.column("record", .text).notNull()
      }

      try db.create(table: DeviationRow.databaseTableName) { t in
        t.column("session_id", .text).notNull()
          .references(ScoreRow.databaseTableName, onDelete: .cascade)
        t.column("ordinal", .integer).notNull()
        t.column("severity", .text).notNull()
        t.column("category", .text).notNull()
        t.column("at", .integer).notNull()
        t.column("message", .text).notNull()
        t.column("because", .text).notNull()
        t.primaryKey(["session_id", "ordinal"])
      }
    }

    // Evaluators' ratings of a workshop's objectives (P/S/M/U, as in exercise evaluation
    // guides), kept with the session the team played.
    migrator.registerMigration("v2") { db in
      try db.create(table: RatingRow.databaseTableName) { t in
        t.column("session_id", .text).notNull()
          .references(SessionRow.databaseTableName, onDelete: .cascade)
        t.column("seq", .integer).notNull().check { $0 >= 1 }
        t.column("objective", .integer).notNull().check { $0 >= 1 }
        t.column("rating", .text).notNull()
          .check { Rating.Level.allCases.map(\.rawValue).contains($0) }
        t.column("evaluator", .text).notNull()
        t.column("comment", .text).notNull()
        t.column("simulated_seconds", .integer).notNull()
        t.column("wall_time", .datetime).notNull()
        t.primaryKey(["session_id", "seq"])
      }
    }

    return migrator
  }()
}
