import Foundation
import XCTest
@testable import StudyStore

/// The conformance suite on a PostgreSQL server (`METALIC_TEST_POSTGRES_URL`), in a new database per test.
final class PostgresConformanceTests: StoreConformanceTestCase {
    private var database: PostgresTestServer.Database?

    override func setUpWithError() throws {
        try super.setUpWithError()
        database = try PostgresTestServer.createDatabase()
    }

    override func tearDownWithError() throws {
        try database?.drop()
        try super.tearDownWithError()
    }

    override func makeStorage() throws -> StudyStorage { .postgres(url: try XCTUnwrap(database).url) }

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
}
