import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// A real worker process for the multi-process tests.
///
/// XCTest cannot fork, so the test binary re-runs itself with only `ChildWorkerEntry/testWorkerLoop`
/// selected and the study path in the environment. That child claims and completes rounds with the
/// real `SQLiteStudyStore` until the study is done, appending "completed <id>" to a log file only
/// after `complete` has returned — the log is therefore a lower bound of what must be durable.
enum ChildWorker {
    static let studyVariable = "METALIC_STUDYSTORE_CHILD_STUDY"
    static let logVariable = "METALIC_STUDYSTORE_CHILD_LOG"
    static let pauseVariable = "METALIC_STUDYSTORE_CHILD_PAUSE_US"

    static func spawn(study: String, log: String, pauseMicroseconds: Int) throws -> Process {
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
        environment[studyVariable] = study
        environment[logVariable] = log
        environment[pauseVariable] = String(pauseMicroseconds)
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func completedIDs(log: String) throws -> [Int64] {
        try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap { line in
            line.hasPrefix("completed ") ? Int64(line.dropFirst("completed ".count)) : nil
        }
    }
}

/// Entry point of the child worker; does nothing when run as part of the normal suite.
final class ChildWorkerEntry: XCTestCase {
    func testWorkerLoop() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let study = environment[ChildWorker.studyVariable], let logPath = environment[ChildWorker.logVariable] else {
            return  // not a child: nothing to do
        }
        let pause = UInt32(environment[ChildWorker.pauseVariable] ?? "0") ?? 0
        let log = try XCTUnwrap(FileHandle(forWritingAtPath: logPath))
        let store = try SQLiteStudyStore.open(at: study)
        while let claimed = try store.claimRound(worker: .current, staleAfter: 3600, plan: { existing, round in
            XCTAssertEqual(existing.map(\.round), Array(0..<round))
            return try StudyStoreTestCase.plan()(existing, round)
        }) {
            if pause > 0 { usleep(pause) }
            try store.heartbeat(trialID: claimed.trial.id)
            try store.complete(trialID: claimed.trial.id, outcome: StudyStoreTestCase.outcome(claimed.trial.round))
            log.seekToEndOfFile()
            log.write(Data("completed \(claimed.trial.id)\n".utf8))
        }
    }
}
