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

    /// Encoded as the arm's name; decoded from a name, a bit string or an integer mask.
    func testCodableAsName() throws {
        let arms = [InterfaceArm(mask: 256), InterfaceArm(mask: 0), InterfaceArm(mask: 511), InterfaceArm(mask: 0b100100001)]
        let data = try JSONEncoder().encode(arms)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["u","none","all","u,rc,uxx"]"#)
        XCTAssertEqual(try JSONDecoder().decode([InterfaceArm].self, from: data), arms)
        XCTAssertEqual(try JSONDecoder().decode([InterfaceArm].self, from: Data(#"["100000000","000000000","111111111","100100001"]"#.utf8)), arms)
        XCTAssertEqual(try JSONDecoder().decode([InterfaceArm].self, from: Data("[256, 0, 511, 289]".utf8)), arms)
        XCTAssertThrowsError(try JSONDecoder().decode([InterfaceArm].self, from: Data(#"["12"]"#.utf8)))
        XCTAssertThrowsError(try JSONDecoder().decode([InterfaceArm].self, from: Data("[512]".utf8)))
    }
}

final class ContextSpaceTests: XCTestCase {
    /// 1-D: mean and population std of np.linspace(2, 7, 100) (4.5 and 1.4578823256425313, numpy).
    func testOneDimensionalStandardisationUsesLinspace() {
        let space = ContextSpace(lower: 2, upper: 7)
        XCTAssertEqual(space.mean[0], 4.5, accuracy: 1e-12)
        XCTAssertEqual(space.scale[0], 1.4578823256425313, accuracy: 1e-12)
        XCTAssertEqual(space.standardise(space.context([4.5]))[0], 0, accuracy: 1e-12)
        XCTAssertEqual(space.standardise(space.context([7]))[0], 2.5 / 1.4578823256425313, accuracy: 1e-12)
    }

    /// A space over a family's parameters is named after them (a box's parameters are s1, s2, …)
    /// and has the same statistics as the box with the same bounds.
    func testContextsAreOverTheSpaceParameterNames() {
        let named = ContextSpace(parameters: [FamilyParameter("beta", 2...7)])
        let box = ContextSpace(lower: 2, upper: 7)
        XCTAssertEqual(named.names, ["beta"])
        XCTAssertEqual(box.names, ["s1"])
        XCTAssertEqual(named.mean, box.mean)
        XCTAssertEqual(named.scale, box.scale)
        XCTAssertEqual(named.context([3]), ParameterValues(names: ["beta"], values: [3]))
        XCTAssertEqual(named.standardise(named.context([3])), box.standardise(box.context([3])))
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
            XCTAssertEqual(s.names, ["s1", "s2", "s3"])
            let v = s.values
            XCTAssertTrue(v[0] >= 0 && v[0] <= 1 && v[1] >= -1 && v[1] <= 3 && v[2] == 3)
        }
    }

    /// β_t = 2 log(|A| t² π² / 6δ): values computed independently in Python.
    func testGPUCBSchedule() {
        XCTAssertEqual(UCBSchedule.gpUCB(delta: 0.1).coefficient(round: 1, armCount: 512), 4.251731416847565, accuracy: 1e-12)
        XCTAssertEqual(UCBSchedule.gpUCB(delta: 0.05).coefficient(round: 10, armCount: 512), 5.354797360694863, accuracy: 1e-12)
        XCTAssertEqual(UCBSchedule.constant(1).coefficient(round: 50, armCount: 512), 1)
    }
}
