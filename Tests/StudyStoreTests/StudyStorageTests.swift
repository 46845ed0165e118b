import Foundation
import XCTest
@testable import StudyStore

/// The storage texts `--storage` accepts, and the errors for the ones it does not.
final class StudyStorageTests: StudyStoreTestCase {
    func testSQLiteForms() throws {
        XCTAssertEqual(try StudyStorage(parsing: "studies.db"), .sqlite(path: "studies.db"))
        XCTAssertEqual(try StudyStorage(parsing: "/data/runs/studies.db"), .sqlite(path: "/data/runs/studies.db"))
        XCTAssertEqual(try StudyStorage(parsing: "  results/ucb.db\n"), .sqlite(path: "results/ucb.db"))
        // Optuna's (SQLAlchemy's) rule: after sqlite:/// comes the path; a fourth slash makes it absolute.
        XCTAssertEqual(try StudyStorage(parsing: "sqlite:///relative/path.db"), .sqlite(path: "relative/path.db"))
        XCTAssertEqual(try StudyStorage(parsing: "sqlite:////abs/path.db"), .sqlite(path: "/abs/path.db"))
        XCTAssertEqual(try StudyStorage(parsing: "SQLite:///a.db"), .sqlite(path: "a.db"))
        // Something that only looks like a URL is a path.
        XCTAssertEqual(try StudyStorage(parsing: "./a://b.db"), .sqlite(path: "./a://b.db"))
    }

    func testPostgresForms() throws {
        for url in ["postgresql://postgres@127.0.0.1:54329/postgres", "postgres://user@db.example:5432/studies",
                    "postgresql:///studies?host=/var/run/postgresql", "postgresql://user:secret@host/db?sslmode=require",
                    "postgresql://localhost"] {
            XCTAssertEqual(try StudyStorage(parsing: url), .postgres(url: url))
        }
    }

    func testDescriptionParsesBackAndHidesPasswords() throws {
        for text in ["studies.db", "/abs/studies.db", "sqlite:///rel.db", "sqlite:////abs.db",
                     "postgresql://postgres@127.0.0.1:54329/postgres", "postgres:///db?host=/tmp"] {
            let storage = try StudyStorage(parsing: text)
            XCTAssertEqual(try StudyStorage(parsing: storage.description), storage, text)
        }
        XCTAssertEqual(StudyStorage.sqlite(path: "/abs.db").description, "sqlite:////abs.db")
        XCTAssertEqual(try StudyStorage(parsing: "postgresql://user:secret@host:5432/db").description, "postgresql://user:***@host:5432/db")
        XCTAssertEqual(try StudyStorage(parsing: "postgresql://host/db?user=u&password=secret&sslmode=require").description,
                       "postgresql://host/db?user=u&password=***&sslmode=require")
    }

    func testBadInputNamesTheForms() {
        let cases: [(String, String)] = [
            ("mysql://user@host/db", "unsupported storage 'mysql://user@host/db'"),
            ("file:///tmp/x.db", "unsupported storage"),
            ("", "empty storage"),
            ("sqlite://", "in-memory"),
            ("sqlite://relative/path.db", "sqlite:///relative/path.db"),
            ("sqlite:///", "names no file"),
            ("postgresql://host:notaport/db", "postgresql://user@host:port/dbname"),
            ("postgresql://user:secret@host/db?nonsense=1", "postgresql://user@host:port/dbname"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try StudyStorage(parsing: text), text) { error in
                guard case .invalidStorage(let message)? = error as? StudyStoreError else { return XCTFail("\(text): got \(error)") }
                XCTAssertTrue(message.contains(expected), "\(text): \(message)")
                XCTAssertFalse(message.contains("secret"), "passwords stay out of messages: \(message)")
                XCTAssertFalse(message.contains("\n"))
            }
        }
        XCTAssertThrowsError(try StudyStorage(parsing: "mysql://u@h/db")) {
            XCTAssertTrue("\($0)".contains("use sqlite:///"), "\($0)")
            XCTAssertTrue("\($0)".contains("postgresql://user@host:port/db"), "\($0)")
        }
    }

    func testOpenOrCreateThroughStorageMakesTheFile() throws {
        let storage = try StudyStorage(parsing: "sqlite:///" + path("via-url.db"))
        let (store, created) = try storage.openOrCreate(study: nil, configuration: configuration())
        XCTAssertTrue(created)
        XCTAssertTrue(store is SQLiteStudyStore)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("via-url.db")))
        XCTAssertEqual(try storage.studies().map(\.name), ["default"])
    }

    func testUnreachableServerFailsWithinTheRetryBudgetNamingTheFix() throws {
        // A port nothing listens on (connection refused at once), with a short budget.
        let start = Date()
        XCTAssertThrowsError(try PostgresStudyStore.open(url: "postgresql://metalic@127.0.0.1:9/none",
                                                         retry: ConnectionRetry(totalTime: 0.5, firstDelay: 0.05))) { error in
            guard case .unreachable(let message)? = error as? StudyStoreError else { return XCTFail("got \(error)") }
            XCTAssertTrue(message.contains("127.0.0.1:9") && message.contains("server is running"), message)
        }
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThan(elapsed, 5)
        XCTAssertGreaterThan(elapsed, 0.2, "it retried")
    }
}
