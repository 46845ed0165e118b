import MetalicCore
import Foundation
import XCTest
@testable import StudyStore

/// A fresh directory per test, removed afterwards, and the studies, plans and outcomes the tests share.
class StudyStoreTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("metalic-studystore-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func path(_ name: String = "study.sqlite") -> String { directory.appendingPathComponent(name).path }

    /// Two parameters, so that contexts have more than one value.
    static let parameterNames = ["beta", "nu"]

    func configuration(family: String = "advection", mode: String = "query", warmup: Int = 2, rounds: Int = 3,
                       settings: [String: String] = ["adam": "2000", "lbfgs": "20000"]) -> StudyConfiguration {
        StudyConfiguration(family: family, parameterNames: Self.parameterNames, mode: mode, heuristic: "ucb",
                           warmupRounds: warmup, rounds: rounds, seed: 42, settings: settings)
    }

    static func context(_ values: [Double]) -> ParameterValues {
        ParameterValues(names: parameterNames, values: values)
    }

    static func arms(_ masks: UInt16...) -> [InterfaceArm] { masks.map { InterfaceArm(mask: $0) } }

    /// A plan that depends on the round, so a reclaimed trial can be checked to be unchanged.
    static func plan(mode: String = "query") -> ([Trial], Int) throws -> TrialPlan {
        { _, round in
            TrialPlan(context: context([Double(round) + 0.25, 1.0 / Double(round + 3)]),
                      arms: mode == "step" ? arms(UInt16(round % 512), 511) : arms(UInt16((round * 37) % 512)),
                      seed: UInt64(1000 + round))
        }
    }

    static func outcome(_ round: Int) -> TrialOutcome {
        TrialOutcome(stageErrors: [0.1 * Double(round + 1), 0.01 * Double(round + 1)], stageRewards: [-1, -2],
                     error: 0.01 * Double(round + 1), reward: -Double(round), seconds: 1.5)
    }

    /// A lenient policy for tests that do not exercise reclaiming.
    static let patient = ClaimPolicy(gracePeriod: 3600, maxAttempts: 3)

    /// The pid of a process that has exited and been reaped: certainly not alive.
    func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let pid = process.processIdentifier
        XCTAssertEqual(kill(pid, 0), -1)
        XCTAssertEqual(errno, ESRCH)
        return pid
    }

    /// Runs `body(0..<count)` on `count` dedicated threads at once (not a pool sized to the CPU count,
    /// which on a 2-core machine would run only two at a time) and waits for all of them.
    func runConcurrently(_ count: Int, _ body: @escaping (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.start()
        }
        group.wait()
    }

    /// Polls until `condition` holds or `timeout` passes.
    @discardableResult
    func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}

extension ClaimResult {
    /// The lease of a `.claimed` result.
    var lease: TrialLease? {
        if case .claimed(let lease, _) = self { return lease }
        return nil
    }

    var reclaimed: Bool {
        if case .claimed(_, let reclaimed) = self { return reclaimed }
        return false
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
