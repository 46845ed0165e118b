import MetalicCore
import Foundation
import XCTest
import Bandit
import Sampling

final class ArmTests: XCTestCase {
    func testBitOrderFollowsTheNineCharacterString() throws {
        XCTAssertEqual(InterfaceArm.everyArm.count, 512)
        XCTAssertEqual(Set(InterfaceArm.everyArm).count, 512)
        let u = try XCTUnwrap(try? InterfaceArm(parsing: "100000000"))
        XCTAssertEqual(u.mask, 256)
        XCTAssertEqual(u.bits, [1, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertTrue(u.contains(InterfaceCondition(rawValue: 0)!))
        let uavgRc = try XCTUnwrap(try? InterfaceArm(parsing: "010100000"))
        XCTAssertEqual(uavgRc.bits, [0, 1, 0, 1, 0, 0, 0, 0, 0])
        XCTAssertEqual(InterfaceCondition.allCases.map(\.name).enumerated().filter { uavgRc.contains(InterfaceCondition(rawValue: $0.offset)!) }.map(\.element), ["uavg", "rc"])
        let uxx = InterfaceArm(mask: 1)
        XCTAssertEqual(uxx.bitString, "000000001")
        for arm in InterfaceArm.everyArm { XCTAssertEqual(try? InterfaceArm(parsing: arm.bitString), arm) }
        XCTAssertNil(try? InterfaceArm(parsing: "10000000"))
        XCTAssertNil(try? InterfaceArm(parsing: "1000000002"))
        XCTAssertNil(try? InterfaceArm(parsing: "10000000x"))
    }

    func testCodableAsBitString() throws {
        let arms = [InterfaceArm(mask: 256), InterfaceArm(mask: 0), InterfaceArm(mask: 511)]
        let data = try JSONEncoder().encode(arms)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["100000000","000000000","111111111"]"#)
        XCTAssertEqual(try JSONDecoder().decode([InterfaceArm].self, from: data), arms)
        XCTAssertThrowsError(try JSONDecoder().decode([InterfaceArm].self, from: Data(#"["12"]"#.utf8)))
    }
}

final class ContextSpaceTests: XCTestCase {
    /// 1-D: mean and population std of np.linspace(2, 7, 100) (4.5 and 1.4578823256425313, numpy).
    func testOneDimensionalStandardisationUsesLinspace() {
        let space = ContextSpace(lower: 2, upper: 7)
        XCTAssertEqual(space.mean[0], 4.5, accuracy: 1e-12)
        XCTAssertEqual(space.scale[0], 1.4578823256425313, accuracy: 1e-12)
        XCTAssertEqual(space.standardise([4.5])[0], 0, accuracy: 1e-12)
        XCTAssertEqual(space.standardise([7])[0], 2.5 / 1.4578823256425313, accuracy: 1e-12)
    }

    /// Multi-dimensional: Latin hypercube statistics close to the uniform box's (mid, width/√12);
    /// a degenerate dimension gets scale 1; draws stay in the box.
    func testMultiDimensionalStandardisationUsesLatinHypercube() {
        let space = ContextSpace(lower: [0, -1, 3], upper: [1, 3, 3], designPoints: 200, seed: 4)
        XCTAssertEqual(space.mean[0], 0.5, accuracy: 0.01)
        XCTAssertEqual(space.mean[1], 1, accuracy: 0.04)
        XCTAssertEqual(space.scale[0], 1 / 12.0.squareRoot(), accuracy: 0.01)
        XCTAssertEqual(space.scale[1], 4 / 12.0.squareRoot(), accuracy: 0.04)
        XCTAssertEqual(space.mean[2], 3)
        XCTAssertEqual(space.scale[2], 1)
        XCTAssertEqual(ContextSpace(lower: [0, -1], upper: [1, 3], seed: 9), ContextSpace(lower: [0, -1], upper: [1, 3], seed: 9))
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<100 {
            let s = space.sample(using: &rng)
            XCTAssertTrue(s[0] >= 0 && s[0] <= 1 && s[1] >= -1 && s[1] <= 3 && s[2] == 3)
        }
    }

    /// β_t = 2 log(|A| t² π² / 6δ): values computed independently in Python.
    func testGPUCBSchedule() {
        XCTAssertEqual(UCBSchedule.gpUCB(delta: 0.1).coefficient(round: 1, armCount: 512), 4.251731416847565, accuracy: 1e-12)
        XCTAssertEqual(UCBSchedule.gpUCB(delta: 0.05).coefficient(round: 10, armCount: 512), 5.354797360694863, accuracy: 1e-12)
        XCTAssertEqual(UCBSchedule.constant(1).coefficient(round: 50, armCount: 512), 1)
    }
}
