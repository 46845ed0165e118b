import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// A real worker process for the multi-process tests.
///
/// XCTest cannot fork, so the test binary re-runs itself with only `ChildWorkerEntry/testWorkerLoop`
/// selected and the storage in the environment. That child claims rounds with the real store
/// until the study is finished, "trains" each by sleeping while a `TrialHeartbeat` stamps it, and
/// completes it. It logs a line after each step has returned — so the log is a lower bound of
/// what must be durable:
///
///     claimed <trial id> <round> <token>
///     completed <trial id> <round> <token>
///     lost <trial id> <round> <token>        (complete refused: the trial was reclaimed meanwhile)
enum ChildWorker {
    static let storageVariable = "METALIC_STUDYSTORE_CHILD_STORAGE"
    static let studyVariable = "METALIC_STUDYSTORE_CHILD_STUDY"
    static let logVariable = "METALIC_STUDYSTORE_CHILD_LOG"
    static let pauseVariable = "METALIC_STUDYSTORE_CHILD_PAUSE_US"
    static let graceVariable = "METALIC_STUDYSTORE_CHILD_GRACE"

    struct Options {
        /// Microseconds each trial "trains".
        var pauseMicroseconds = 0
        /// The claim policy's grace period; heartbeats come every tenth of it.
        var gracePeriod: TimeInterval = 3600
    }

    static func spawn(storage: StudyStorage, study: String, log: String, options: Options = Options()) throws -> Process {
        #if os(Linux)
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        #else
        throw XCTSkip("re-running the test binary as a worker is only wired up on Linux")
        #endif
        _ = FileManager.default.createFile(atPath: log, contents: Data())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["StudyStoreTests.ChildWorkerEntry/testWorkerLoop"]
        var environment = ProcessInfo.processInfo.environment
        environment[storageVariable] = {
            if case .postgres(let url) = storage { return url }
            return storage.description
        }()
        environment[studyVariable] = study
        environment[logVariable] = log
        environment[pauseVariable] = String(options.pauseMicroseconds)
        environment[graceVariable] = String(options.gracePeriod)
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: log + ".stderr", contents: Data())
        process.standardError = FileHandle(forWritingAtPath: log + ".stderr")
        try process.run()
        return process
    }

    struct Entry: Equatable {
        var event: String
        var trialID: Int64
        var round: Int
        var token: String
    }

    static func entries(log: String) throws -> [Entry] {
        try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 4, let id = Int64(fields[1]), let round = Int(fields[2]) else { return nil }
            return Entry(event: String(fields[0]), trialID: id, round: round, token: String(fields[3]))
        }
    }

    static func completedIDs(log: String) throws -> [Int64] {
        try entries(log: log).filter { $0.event == "completed" }.map(\.trialID)
    }
}

/// Entry point of the child worker; does nothing when run as part of the normal suite.
final class ChildWorkerEntry: XCTestCase {
    func testWorkerLoop() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let storageText = environment[ChildWorker.storageVariable], let logPath = environment[ChildWorker.logVariable] else {
            return  // not a child: nothing to do
        }
        let pause = UInt32(environment[ChildWorker.pauseVariable] ?? "0") ?? 0
        let grace = TimeInterval(environment[ChildWorker.graceVariable] ?? "") ?? 3600
        let policy = ClaimPolicy(gracePeriod: grace, maxAttempts: 1000)
        let log = try XCTUnwrap(FileHandle(forWritingAtPath: logPath))
        func write(_ event: String, _ lease: TrialLease) {
            log.seekToEndOfFile()
            log.write(Data("\(event) \(lease.trial.id) \(lease.trial.round) \(lease.token)\n".utf8))
        }
        let store = try StudyStorage(parsing: storageText).open(study: environment[ChildWorker.studyVariable])
        while true {
            let result = try store.claimRound(worker: .current, policy: policy) { existing, round in
                XCTAssertEqual(existing.map(\.round), Array(0..<round))
                return try StudyStoreTestCase.plan()(existing, round)
            }
            switch result {
            case .finished:
                return
            case .busy:
                usleep(50_000)  // the last rounds run elsewhere; one of them may yet be abandoned
            case .claimed(let lease, _):
                write("claimed", lease)
                if pause > 0 {
                    let heartbeat = TrialHeartbeat(store: store, lease: lease, interval: grace / 10)
                    usleep(pause)
                    heartbeat.stop()
                }
                do {
                    try store.complete(lease, outcome: StudyStoreTestCase.outcome(lease.trial.round))
                    write("completed", lease)
                } catch StudyStoreError.leaseLost {
                    write("lost", lease)
                }
            }
        }
    }
}
