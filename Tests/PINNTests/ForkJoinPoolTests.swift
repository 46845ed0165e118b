import Foundation
import XCTest
@testable import PINN

final class ForkJoinPoolTests: XCTestCase {
    /// Every index runs exactly once per fork, on distinct threads, also after the workers
    /// have gone to sleep, and the pool's threads end with it.
    func testEveryIndexRunsOncePerForkAndThreadsEndWithThePool() throws {
        func threadCount() -> Int? { try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count }
        let before = threadCount()
        var pool: ForkJoinPool? = ForkJoinPool(threads: 3)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 3)
        counts.initialize(repeating: 0, count: 3)
        defer { counts.deallocate() }
        let threads = UnsafeMutablePointer<pthread_t?>.allocate(capacity: 3)
        defer { threads.deallocate() }
        for round in 0..<2000 {
            pool!.run { i in
                counts[i] += 1
                threads[i] = pthread_self()
            }
            XCTAssertEqual((0..<3).map { counts[$0] }, [round + 1, round + 1, round + 1])
        }
        XCTAssertEqual(Set((0..<3).map { threads[$0].map { "\($0)" } ?? "nil" }).count, 3)
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
}
