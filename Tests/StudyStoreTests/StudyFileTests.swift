import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// Creating, opening and recognising SQLite study files (what every backend does: `StoreConformanceTestCase`).
final class StudyFileTests: StudyStoreTestCase {
    func testCreateLeavesNoTemporaryFilesAndASoundFile() throws {
        let created = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        XCTAssertEqual(created.studyName, "default")
        XCTAssertEqual(try created.integrityProblems(), [])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("creating") }
        XCTAssertEqual(leftovers, [])
    }

    func testStudyFileUsesWALAndMarksItsHeader() throws {
        _ = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        let raw = try SQLiteConnection(path: path(), create: false, busyTimeout: 1)
        XCTAssertEqual(try raw.query("PRAGMA journal_mode") { $0.text(0) }, ["wal"])
        XCTAssertEqual(try raw.query("PRAGMA application_id") { $0.int64(0) }, [Int64(SQLiteStudyStore.applicationID)])
        XCTAssertEqual(try raw.query("PRAGMA user_version") { $0.int64(0) }, [Int64(StudySchema.version)])
        XCTAssertEqual(try raw.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
            $0.text(0)
        }, ["studies", "trials"])
    }

    func testConnectionIsDurableAndWaitsForOtherWriters() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        XCTAssertEqual(try store.pragma("journal_mode"), "wal")
        XCTAssertEqual(try store.pragma("synchronous"), "2", "FULL: every commit is fsynced")
        XCTAssertEqual(try store.pragma("busy_timeout"), "30000")
        XCTAssertEqual(try store.pragma("foreign_keys"), "1")
        XCTAssertEqual(try SQLiteStudyStore.open(at: path(), busyTimeout: 2.5).pragma("busy_timeout"), "2500")
    }

    func testCreateAddsStudiesToAnExistingFileButNotTwice() throws {
        _ = try SQLiteStudyStore.create(at: path(), study: "a", configuration: configuration())
        let b = try SQLiteStudyStore.create(at: path(), study: "b", configuration: configuration(family: "kdv"))
        XCTAssertEqual(b.configuration.family, "kdv")
        XCTAssertThrowsError(try SQLiteStudyStore.create(at: path(), study: "a", configuration: configuration())) {
            XCTAssertEqual($0 as? StudyStoreError, .studyExists("a"))
        }
        XCTAssertEqual(try SQLiteStudyStore.studies(at: path()).map(\.name), ["a", "b"])
    }

    func testOpenMissingFile() {
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: path("absent.sqlite"))) {
            XCTAssertEqual($0 as? StudyStoreError, .fileNotFound(path("absent.sqlite")))
        }
        XCTAssertThrowsError(try StudyStorage.sqlite(path: path("absent.sqlite")).studies())
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
            try db.execute("CREATE TABLE trials (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE studies (x)")
            try db.run("INSERT INTO trials (name) VALUES (?)", [.text("someone else's data")])
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: foreign)) {
            XCTAssertEqual($0 as? StudyStoreError, .notAStudy(foreign))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: foreign)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: foreign + "-wal"))
        // Same tables but without our header mark is still foreign, for every entry point.
        XCTAssertThrowsError(try SQLiteStudyStore.openOrCreate(at: foreign, configuration: configuration())) {
            XCTAssertEqual($0 as? StudyStoreError, .notAStudy(foreign))
        }
        XCTAssertThrowsError(try SQLiteStudyStore.create(at: foreign, study: "mine", configuration: configuration())) {
            XCTAssertEqual($0 as? StudyStoreError, .notAStudy(foreign))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: foreign)), before)
    }

    func testNewerSchemaVersionIsRefused() throws {
        _ = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        do {
            let db = try SQLiteConnection(path: path(), create: false, busyTimeout: 1)
            try db.execute("PRAGMA user_version = \(StudySchema.version + 1)")
        }
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: path())) {
            XCTAssertEqual($0 as? StudyStoreError, .unsupportedVersion(StudySchema.version + 1))
            XCTAssertTrue("\($0)".contains("upgrade metalic"))
        }
    }

    func testDamagedConfigurationIsReportedNotCrashed() throws {
        _ = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        do {
            let db = try SQLiteConnection(path: path(), create: false, busyTimeout: 1)
            try db.run("UPDATE studies SET configuration = ?", [.text("{\"family\": 3")])
        }
        XCTAssertThrowsError(try SQLiteStudyStore.open(at: path())) { error in
            guard case .corrupted(let what)? = error as? StudyStoreError else { return XCTFail("got \(error)") }
            XCTAssertTrue(what.contains(self.path()), "names the file: \(what)")
        }
    }

    func testDamagedTrialRowIsReportedNotCrashed() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration())
        let lease = try XCTUnwrap(store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease)
        do {
            let db = try SQLiteConnection(path: path(), create: false, busyTimeout: 1)
            try db.run("UPDATE trials SET context = ? WHERE id = ?", [.text("not json"), .integer(lease.trial.id)])
        }
        XCTAssertThrowsError(try store.trials()) { error in
            guard case .corrupted(let what)? = error as? StudyStoreError else { return XCTFail("got \(error)") }
            XCTAssertTrue(what.contains(self.path()) && what.contains("trial \(lease.trial.id) context"), what)
        }
    }

    func testDamagedPagesGiveErrorsNotCrashes() throws {
        let store = try SQLiteStudyStore.create(at: path(), configuration: configuration(warmup: 50, rounds: 50))
        for _ in 0..<60 {
            let lease = try XCTUnwrap(store.claimRound(worker: .current, policy: Self.patient, plan: Self.plan()).lease)
            try store.complete(lease, outcome: Self.outcome(lease.trial.round))
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
        XCTAssertEqual(StudyConfiguration(family: "a", parameterNames: ["s"], mode: "query", heuristic: "ucb",
                                          warmupRounds: .max, rounds: 5, seed: 0).totalRounds, .max)
    }

    func testErrorDescriptionsAreOneLineAndNameTheFix() {
        let errors: [StudyStoreError] = [
            .fileNotFound("/a"), .fileExists("/a"), .notADatabase("/a"), .notAStudy("/a"), .unsupportedVersion(3),
            .corrupted("x"), .configurationMismatch("family"), .invalidStorage("x"), .studyNotFound("a", available: ["b"]),
            .studyNameNeeded(available: []), .studyNameNeeded(available: ["a", "b"]), .studyExists("a"),
            .invalidStudyName("a\nb", problem: "contains control characters"), .invalidPlan("x"), .invalidPolicy("x"),
            .trialNotFound(3), .leaseLost(trialID: 3), .unreachable("x"),
            .sqlite(code: 5, message: "database is locked"), .postgres(state: "42501", message: "permission denied"),
        ]
        for error in errors {
            XCTAssertFalse(error.description.isEmpty)
            XCTAssertFalse(error.description.contains("\n"), error.description)
        }
        XCTAssertTrue(StudyStoreError.leaseLost(trialID: 3).description.contains("claim the next round"))
        XCTAssertTrue(StudyStoreError.studyNameNeeded(available: ["a", "b"]).description.contains("'a', 'b'"))
    }
}
