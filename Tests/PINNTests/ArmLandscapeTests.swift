import XCTest
import PINN

final class ArmLandscapeTests: XCTestCase {
    func testRanksOracleAndQuantilesAgreeWithSorting() {
        var landscape = ArmLandscape()
        var rng = SystemRandomNumberGenerator()
        // Errors with deliberate ties (values on a coarse grid).
        var errors = [InterfaceArm: Double]()
        for arm in InterfaceArm.everyArm {
            let e = Double(Int.random(in: 1...40, using: &rng)) / 10
            errors[arm] = e
            landscape.record(arm, error: e)
        }
        XCTAssert(landscape.isComplete)
        let minimum = errors.values.min()!
        XCTAssertEqual(landscape.oracle?.error, minimum)
        XCTAssertEqual(landscape.oracle?.arm, InterfaceArm.everyArm.first { errors[$0] == minimum })
        for arm in InterfaceArm.everyArm.prefix(64) {
            // Rank by counting strictly better arms, computed independently of `ranked`.
            let better = InterfaceArm.everyArm.filter { errors[$0]! < errors[arm]! }.count
            XCTAssertEqual(landscape.rank(of: arm), better + 1)
        }
        let sorted = errors.values.sorted()
        XCTAssertEqual(landscape.quantile(0), sorted.first)
        XCTAssertEqual(landscape.quantile(1), sorted.last)
        XCTAssertEqual(landscape.quantile(0.5), sorted[256])
        XCTAssertEqual(landscape.ranked.map(\.error), sorted)
    }

    func testPartialLandscape() {
        var landscape = ArmLandscape()
        landscape.record(.all, error: 0.5)
        landscape.record(.none, error: 0.2)
        XCTAssertFalse(landscape.isComplete)
        XCTAssertNil(landscape.rank(of: InterfaceArm([.u])))
        XCTAssertEqual(landscape.rank(of: .all), 2)
        XCTAssertEqual(landscape.oracle?.arm, InterfaceArm.none)
    }
}
