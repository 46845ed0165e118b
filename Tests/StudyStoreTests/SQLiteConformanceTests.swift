import Foundation
import XCTest
@testable import StudyStore

/// The conformance suite on a SQLite file (a new one per test).
final class SQLiteConformanceTests: StoreConformanceTestCase {
    override func makeStorage() throws -> StudyStorage { .sqlite(path: path("storage.db")) }

    func testCreateThenOpen() throws { try checkCreateThenOpen() }
    func testOpenOrCreateKeepsStoredConfigurationAndRefusesOtherFamilyOrMode() throws { try checkOpenOrCreateKeepsStoredConfigurationAndRefusesOtherFamilyOrMode() }
    func testManyStudiesInOneStorage() throws { try checkManyStudiesInOneStorage() }
    func testConcurrentOpenOrCreateCreatesExactlyOnce() throws { try checkConcurrentOpenOrCreateCreatesExactlyOnce() }
    func testClaimsRoundsInOrderThenBusyThenFinished() throws { try checkClaimsRoundsInOrderThenBusyThenFinished() }
    func testBusyUntilEveryRoundIsDoneThenFinished() throws { try checkBusyUntilEveryRoundIsDoneThenFinished() }
    func testClaimReturnsWhatIsStored() throws { try checkClaimReturnsWhatIsStored() }
    func testConcurrentClaimsWithOwnConnectionsTakeEachRoundOnce() throws { try checkConcurrentClaimsWithOwnConnectionsTakeEachRoundOnce() }
    func testInvalidOrThrowingPlanInsertsNothing() throws { try checkInvalidOrThrowingPlanInsertsNothing() }
    func testCompleteAndFailAreVisibleFromAnotherConnection() throws { try checkCompleteAndFailAreVisibleFromAnotherConnection() }
    func testLeaseIsLostAfterReclaimAndExactlyOneResultStands() throws { try checkLeaseIsLostAfterReclaimAndExactlyOneResultStands() }
    func testFailIsIdempotentUnderTheSameLease() throws { try checkFailIsIdempotentUnderTheSameLease() }
    func testGracePeriodDecidesStaleness() throws { try checkGracePeriodDecidesStaleness() }
    func testMaxAttemptsMarksTheRoundFailed() throws { try checkMaxAttemptsMarksTheRoundFailed() }
    func testTrialOfDeadWorkerOnThisHostIsReclaimedAtOnce() throws { try checkTrialOfDeadWorkerOnThisHostIsReclaimedAtOnce() }
    func testHeartbeatTimerStampsUntilStoppedAndReportsLostLease() throws { try checkHeartbeatTimerStampsUntilStoppedAndReportsLostLease() }
    func testOneStoreIsUsableFromSeveralThreads() throws { try checkOneStoreIsUsableFromSeveralThreads() }
    func testNumbersRoundTripExactlyIncludingNonFinite() throws { try checkNumbersRoundTripExactlyIncludingNonFinite() }
    func testContextsAndArmsRoundTrip() throws { try checkContextsAndArmsRoundTrip() }
    func testTrainedParametersAndWarmStartSourcesRoundTrip() throws { try checkTrainedParametersAndWarmStartSourcesRoundTrip() }

    /// Every check of the suite is listed here and in `PostgresConformanceTests`.
    func testEveryCheckRunsOnEveryBackend() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let suite = try String(contentsOf: folder.appendingPathComponent("StoreConformance.swift"), encoding: .utf8)
        let checks = suite.components(separatedBy: "func check").dropFirst().map { $0.prefix { $0.isLetter || $0.isNumber } }
        XCTAssertGreaterThan(checks.count, 15)
        for backend in ["SQLiteConformanceTests.swift", "PostgresConformanceTests.swift"] {
            let text = try String(contentsOf: folder.appendingPathComponent(backend), encoding: .utf8)
            for check in checks {
                XCTAssertTrue(text.contains("func test\(check)() throws { try check\(check)() }"), "\(backend) does not run check\(check)")
            }
        }
    }
}
