import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// Creating, opening and recognising study files.
final class StudyFileTests: StudyStoreTestCase {
    func testCreateThenOpenRoundTripsConfiguration() throws {
        var config = configuration(settings: ["protocol": "reference", "note": "ünïcode \"quoted\"; DROP TABLE trials"])
        config.seed = UInt64.max
        let created = try SQLiteStudyStore.create(at: path(), configuration: config)
        XCTAssertEqual(created.configuration, config)
        XCTAssertEqual(config.totalRounds, 5)
        let opened = try SQLiteStudyStore.open(at: path())
        XCTAssertEqual(opened.configuration, config)
        XCTAssertEqual(try opened.trials(), [])
        XCTAssertEqual(try opened.integrityProblems(), [])
        // No temporary files left next to the study.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("creating") }
        XCTAssertEqual(leftovers, [])
    }

    func testStudyFileUsesWALAndMarksItsHeader() throws {
        _ = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        let raw = try SQLiteConnection(path: path(), create: false, busyTimeout: 1)
        XCTAssertEqual(try raw.query("PRAGMA journal_mode") { $0.text(0) }, ["wal"])
        XCTAssertEqual(try raw.query("PRAGMA application_id") { $0.int64(0) }, [Int64(SQLiteStudyStore.applicationID)])
        XCTAssertEqual(try raw.query("PRAGMA user_version") { $0.int64(0) }, [Int64(SQLiteStudyStore.schemaVersion)])
    }

    func testConnectionIsDurableAndWaitsForOtherWriters() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        XCTAssertEqual(try store.pragma("journal_mode"), "wal")
        XCTAssertEqual(try store.pragma("synchronous"), "2", "FULL: every commit is fsynced")
        XCTAssertEqual(try store.pragma("busy_timeout"), "30000")
        XCTAssertEqual(try SQLiteStudyStore.open(at: path(), busyTimeout: 2.5).pragma("busy_timeout"), "2500")
    }

    func testCreateRefusesExistingFile() throws {
        _ = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        XCTAssertThrowsError(try SQLiteStudyStore.create(at: path(), configuration: configuration())) {
            XCTAssertEqual($0 as? StudyStoreError, .fileExists(path()))
        }
    }

    func testOpenMissingFile() {
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: path("absent.sqlite"))) {
            XCTAssertEqual($0 as? StudyStoreError, .fileNotFound(path("absent.sqlite")))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("absent.sqlite")), "open must not create a file")
    }

    func testOpenTextFile() throws {
        try "round,error\n0,0.01\n".repeated(200).write(toFile: path("notes.txt"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: path("notes.txt"))) {
            XCTAssertEqual($0 as? StudyStoreError, .notADatabase(path("notes.txt")))
        }
    }

    func testOpenDirectory() throws {
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: directory.path)) {
            XCTAssertEqual($0 as? StudyStoreError, .notADatabase(directory.path))
        }
    }

    func testOpenEmptyFileIsNotAStudy() throws {
        _ = FileManager.default.createFile(atPath: path("empty.sqlite"), contents: Data())
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: path("empty.sqlite"))) {
            XCTAssertEqual($0 as? StudyStoreError, .notAStudy(path("empty.sqlite")))
        }
    }

    func testOpenForeignDatabaseIsNotAStudyAndLeavesItUntouched() throws {
        let foreign = path("foreign.sqlite")
        do {
            let db = try SQLiteConnection(path: foreign, create: true, busyTimeout: 1)
            try db.execute("CREATE TABLE trials (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE study (x)")
            try db.run("INSERT INTO trials (name) VALUES (?)", [.text("someone else's data")])
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: foreign)) {
            XCTAssertEqual($0 as? StudyStoreError, .notAStudy(foreign))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: foreign)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: foreign + "-wal"))
        // Same tables but without our header mark is still foreign.
        XCTAssertThrowsError(try SQLiteStudyStore.openOrCreate(at: foreign, configuration: configuration())) {
            XCTAssertEqual($0 as? StudyStoreError, .notAStudy(foreign))
        }
    }

    func testNewerSchemaVersionIsRefused() throws {
        _ = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        do {
            let db = try SQLiteConnection(path: path(), create: false, busyTimeout: 1)
            try db.run("UPDATE study SET schema_version = ?", [.integer(99)])
        }
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: path())) {
            XCTAssertEqual($0 as? StudyStoreError, .unsupportedVersion(99))
        }
    }

    func testDamagedConfigurationIsReportedNotCrashed() throws {
        _ = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        do {
            let db = try SQLiteConnection(path: path(), create: false, busyTimeout: 1)
            try db.run("UPDATE study SET configuration = ?", [.text("{\"family\": 3")])
        }
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: path())) { error in
            guard case .corrupted = error as? StudyStoreError else { return XCTFail("got \(error)") }
        }
    }

    func testDamagedTrialRowIsReportedNotCrashed() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        let claimed = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan()))
        do {
            let db = try SQLiteConnection(path: path(), create: false, busyTimeout: 1)
            try db.run("UPDATE trials SET context = ? WHERE id = ?", [.text("not json"), .integer(claimed.trial.id)])
        }
        XCTAssertThrowsError(try store.trials()) { error in
            guard case .corrupted = error as? StudyStoreError else { return XCTFail("got \(error)") }
        }
    }

    func testDamagedPagesGiveErrorsNotCrashes() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 50, rounds: 50))
        for _ in 0..<60 {
            let trial = try XCTUnwrap(store.claimRound(worker: .current, staleAfter: 3600, plan: Self.plan())).trial
            try store.complete(trialID: trial.id, outcome: Self.outcome(trial.round))
        }
        XCTAssertEqual(try store.pragma("wal_checkpoint"), "0")
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path())[.size] as? Int)
        XCTAssertGreaterThan(size, 3 * 4096)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path()))
        handle.seek(toFileOffset: 4096)
        handle.write(Data((0..<(size - 4096)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }))
        try handle.close()
        do {
            let damaged = try SQLiteStudyStore.open(at: path())
            XCTAssertThrowsError(try damaged.trials()) { XCTAssertNotNil($0 as? StudyStoreError, "\($0)") }
            XCTAssertNotEqual(try? damaged.integrityProblems(), [])
        } catch {
            XCTAssertNotNil(error as? StudyStoreError, "\(error)")
        }
        XCTAssertEqual(StudyConfiguration(family: "a", mode: "query", heuristic: "ucb", warmupRounds: .max, rounds: 5,
                                          seed: 0).totalRounds, .max)
    }

    func testOpenOrCreateCreatesThenOpens() throws {
        let first = try SQLiteStudyStore.openOrCreate(at: path(), configuration: configuration())
        XCTAssertTrue(first.created)
        _ = try first.store.claimRound(worker: .current, staleAfter: 60, plan: Self.plan())
        // Other fields may differ; the stored configuration wins.
        var other = configuration()
        other.heuristic = "ts"
        other.rounds = 100
        let second = try SQLiteStudyStore.openOrCreate(at: path(), configuration: other)
        XCTAssertFalse(second.created)
        XCTAssertEqual(second.store.configuration, configuration())
        XCTAssertEqual(try second.store.trials().count, 1)
        XCTAssertEqual(configuration().differences(from: other).count, 2)
    }

    func testOpenOrCreateRefusesDifferentFamilyAndMode() throws {
        _ = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        XCTAssertThrowsError(try SQLiteStudyStore.openOrCreate(at: path(), configuration: configuration(family: "burgers"))) { error in
            guard case .configurationMismatch(let what)? = error as? StudyStoreError else { return XCTFail("got \(error)") }
            XCTAssertTrue(what.contains("family") && what.contains("burgers") && !what.contains("mode"), what)
        }
        XCTAssertThrowsError(try SQLiteStudyStore.openOrCreate(at: path(), configuration: configuration(family: "kdv", mode: "step"))) { error in
            guard case .configurationMismatch(let what)? = error as? StudyStoreError else { return XCTFail("got \(error)") }
            XCTAssertTrue(what.contains("family") && what.contains("mode") && what.contains("step"), what)
        }
    }

    func testConcurrentOpenOrCreateCreatesExactlyOnce() throws {
        let count = 6
        let results = Locked<[Result<Bool, Error>]>([])
        let config = configuration()
        let target = path()
        runConcurrently(count) { _ in
            let result = Result { try SQLiteStudyStore.openOrCreate(at: target, configuration: config).created }
            results.mutate { $0.append(result) }
        }
        let created = try results.value.map { try $0.get() }
        XCTAssertEqual(created.filter { $0 }.count, 1)
        XCTAssertEqual(created.count, count)
        XCTAssertEqual(try SQLiteStudyStore.open(at: target).configuration, config)
    }

    func testErrorDescriptionsAreOneLine() {
        let errors: [StudyStoreError] = [.fileNotFound("/a"), .fileExists("/a"), .notADatabase("/a"), .notAStudy("/a"),
                                         .unsupportedVersion(2), .corrupted("x"), .configurationMismatch("family"),
                                         .invalidPlan("x"), .trialNotFound(3), .trialNotRunning(3),
                                         .sqlite(code: 5, message: "database is locked")]
        for error in errors {
            XCTAssertFalse(error.description.isEmpty)
            XCTAssertFalse(error.description.contains("\n"))
        }
    }
}

/// A value guarded by a lock, for collecting results from threads.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func mutate(_ body: (inout Value) -> Void) { lock.lock(); defer { lock.unlock() }; body(&stored) }
}

extension String {
    func repeated(_ count: Int) -> String { String(repeating: self, count: count) }
}
