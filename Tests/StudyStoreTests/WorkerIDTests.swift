import Foundation
import XCTest
@testable import StudyStore

/// How a claim tells a crashed worker on this host from a live one.
final class WorkerIDTests: StudyStoreTestCase {
    func testWorkerIDLiveness() throws {
        XCTAssertFalse(WorkerID.current.isKnownDead)
        XCTAssertTrue(WorkerID(host: WorkerID.current.host, pid: try deadPID()).isKnownDead)
        XCTAssertFalse(WorkerID(host: "elsewhere", pid: try deadPID()).isKnownDead)
        XCTAssertTrue(WorkerID(host: WorkerID.current.host, pid: 0).isKnownDead, "pid 0 would address the process group")
        XCTAssertTrue(WorkerID(host: WorkerID.current.host, pid: -1).isKnownDead)
        XCTAssertFalse(WorkerID(host: WorkerID.current.host, pid: 1).isKnownDead, "init is alive even if we may not signal it")
        XCTAssertEqual(WorkerID(host: "h", pid: 12).description, "h:12")
        XCTAssertFalse(WorkerID.current.host.isEmpty)
    }
}
