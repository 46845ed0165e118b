import XCTest
import PINN

final class InterfaceArmTests: XCTestCase {
    func testAllArmsRoundTripThroughNamesAndBits() throws {
        XCTAssertEqual(InterfaceArm.everyArm.count, 512)
        var names = Set<String>()
        for arm in InterfaceArm.everyArm {
            XCTAssertEqual(try InterfaceArm(parsing: arm.name), arm)
            XCTAssertEqual(try InterfaceArm(parsing: arm.bitString), arm)
            names.insert(arm.name)
            XCTAssertEqual(arm.bits.reduce(0, +), Double(arm.conditions.count))
        }
        XCTAssertEqual(names.count, 512)
    }

    func testSpecExamples() throws {
        XCTAssertEqual(try InterfaceArm(parsing: "100100001").conditions, [.u, .rc, .uxx])
        XCTAssertEqual(try InterfaceArm(parsing: "u,rc,flux").conditions, [.u, .rc, .flux])
        XCTAssertEqual(try InterfaceArm(parsing: "uavg+rc").bitString, "010100000")
        XCTAssertEqual(try InterfaceArm(parsing: "none"), .none)
        XCTAssertEqual(try InterfaceArm(parsing: "all").conditions.count, 9)
        XCTAssertEqual(InterfaceCondition.allCases.map(\.name), ["u", "uavg", "residual", "rc", "flux", "uyy", "gres", "ux", "uxx"])
    }

    func testMalformedArmsAreRejectedWithReasons() {
        XCTAssertThrowsError(try InterfaceArm(parsing: "u,bogus")) { XCTAssertEqual($0 as? ArmParseError, .unknownCondition("bogus", "u,bogus")) }
        XCTAssertThrowsError(try InterfaceArm(parsing: "1001")) { XCTAssertEqual($0 as? ArmParseError, .wrongBitCount("1001", 4)) }
        XCTAssertThrowsError(try InterfaceArm(parsing: "1001000011"))
        XCTAssertThrowsError(try InterfaceArm(parsing: "")) { XCTAssertEqual($0 as? ArmParseError, .empty) }
    }
}

extension InterfaceArmTests {
    func testMaskIsTheBitStringReadAsBinary() throws {
        XCTAssertEqual(try InterfaceArm(parsing: "100100001").mask, 0b100100001)
        XCTAssertEqual(InterfaceArm([.uxx]).mask, 1)
        XCTAssertEqual(InterfaceArm([.u]).bitString, "100000000")
    }
}
