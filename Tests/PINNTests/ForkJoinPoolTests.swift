import Foundation
import XCTest
@testable import PINN

final class ForkJoinPoolTests: XCTestCase {
    /// Every index runs exactly once per fork, the workers take part, also after they have gone
    /// to sleep, and the pool's threads end with it.
    func testEveryIndexRunsOncePerForkAndThreadsEndWithThePool() throws {
        // Threads of the process other than Dispatch's workers (which come and go on their own).
        func threadCount() -> Int? {
            guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return nil }
            return tasks.filter { !((try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8)) ?? "").contains("qos") }.count
        }
        let before = threadCount()
        var pool: ForkJoinPool? = ForkJoinPool(threads: 3)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 3)
        counts.initialize(repeating: 0, count: 3)
        defer { counts.deallocate() }
        // Whether an index ever ran on a worker thread (each index is written by one thread per fork).
        let caller = pthread_self()
        let onWorker = UnsafeMutablePointer<Bool>.allocate(capacity: 3)
        onWorker.initialize(repeating: false, count: 3)
        defer { onWorker.deallocate() }
        for round in 0..<2000 {
            pool!.run { i in
                var x = 0.0
                for k in 0..<2000 { x += Double(k).squareRoot() }   // ~ 5 µs, so workers get a chance to claim
                if x > 0 { counts[i] += 1 }
                if pthread_equal(pthread_self(), caller) == 0 { onWorker[i] = true }
            }
            XCTAssertEqual((0..<3).map { counts[$0] }, [round + 1, round + 1, round + 1])
        }
        // Indices are claimed, so the caller may run several (all, on a machine with no free
        // core); over 2000 forks the workers take part.
        XCTAssertTrue((1..<3).contains { onWorker[$0] }, "no index ever ran on a worker")
        // Past the spin limit the workers sleep; a fork must wake them.
        Thread.sleep(forTimeInterval: 0.2)
        for _ in 0..<10 { pool!.run { i in counts[i] += 1 } }
        XCTAssertEqual((0..<3).map { counts[$0] }, [2010, 2010, 2010])
        pool = nil
        if let before {
            // The two workers exit shortly after the pool goes.
            var after = threadCount() ?? 0
            for _ in 0..<100 where after > before {
                Thread.sleep(forTimeInterval: 0.01)
                after = threadCount() ?? 0
            }
            XCTAssertLessThanOrEqual(after, before)
        }
    }

    /// More threads than cores, jobs of uneven length: each index still runs exactly once per
    /// fork, and `run` returns only after all have returned (the sums are complete).
    func testOversubscribedPoolRunsEveryIndexOnce() {
        let n = 8
        let pool = ForkJoinPool(threads: n)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: n)
        counts.initialize(repeating: 0, count: n)
        defer { counts.deallocate() }
        for round in 0..<3000 {
            pool.run { i in
                var x = 0.0
                for k in 0..<((i * 37 + round) % 200) { x += Double(k).squareRoot() }
                if x >= 0 { counts[i] += 1 }
            }
            if round % 500 == 499 { Thread.sleep(forTimeInterval: 0.001) }
        }
        XCTAssertEqual((0..<n).map { counts[$0] }, [Int](repeating: 3000, count: n))
    }
}
