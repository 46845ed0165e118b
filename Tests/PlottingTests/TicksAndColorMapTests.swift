import Foundation
import XCTest
@testable import Plotting

final class TicksTests: XCTestCase {
    /// True if v is 1, 2 or 5 times a power of ten (up to rounding).
    func isRoundStep(_ v: Double) -> Bool {
        let e = floor(log10(v))
        let m = v / pow(10, e)
        return [1.0, 2.0, 5.0, 10.0].contains { abs(m - $0) < 1e-9 }
    }

    /// Ticks are evenly spaced multiples of a round step and cover [lo, hi].
    func assertNice(_ ticks: [Double], step: Double, covering lo: Double, _ hi: Double,
                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(isRoundStep(step), "step \(step)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(ticks.count, 3, file: file, line: line)
        XCTAssertLessThanOrEqual(ticks.count, 12, file: file, line: line)
        XCTAssertLessThanOrEqual(ticks.first!, lo, file: file, line: line)
        XCTAssertGreaterThanOrEqual(ticks.last!, hi, file: file, line: line)
        for t in ticks {
            let k = t / step
            XCTAssertEqual(k, k.rounded(), accuracy: 1e-9, "\(t) is not a multiple of \(step)", file: file, line: line)
        }
        for (a, b) in zip(ticks, ticks.dropFirst()) {
            XCTAssertEqual(b - a, step, accuracy: step * 1e-9, file: file, line: line)
        }
    }

    func testNiceNumber() {
        XCTAssertEqual(Ticks.niceNumber(0.23, round: true), 0.2, accuracy: 1e-15)
        XCTAssertEqual(Ticks.niceNumber(0.23, round: false), 0.5, accuracy: 1e-15)
        XCTAssertEqual(Ticks.niceNumber(3.27, round: false), 5)
        XCTAssertEqual(Ticks.niceNumber(8, round: true), 10)
        XCTAssertEqual(Ticks.niceNumber(1.2e-7, round: true), 1e-7, accuracy: 1e-20)
    }

    func testLinearTicksZeroToOne() {
        let (ticks, step) = Ticks.linear(min: 0, max: 1)
        assertNice(ticks, step: step, covering: 0, 1)
        XCTAssertEqual(ticks.first, 0)
        XCTAssertEqual(ticks.last!, 1, accuracy: 1e-12)
        XCTAssertEqual(step, 0.2, accuracy: 1e-15)
        XCTAssertEqual(Ticks.labels(ticks, step: step), ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    func testLinearTicksAsymmetricRange() {
        let (ticks, step) = Ticks.linear(min: -0.37, max: 2.9)
        assertNice(ticks, step: step, covering: -0.37, 2.9)
        XCTAssertEqual(ticks, [-1, 0, 1, 2, 3])
        XCTAssertEqual(Ticks.labels(ticks, step: step), ["-1", "0", "1", "2", "3"])
        XCTAssertTrue(Ticks.labels(ticks, step: step).contains("0"))
    }

    func testLinearTicksVariousRanges() {
        for (lo, hi) in [(0.0, 1e-6), (-5.0, 5.0), (1234.0, 1250.0), (-3e7, 8e7), (0.999, 1.001), (2.0, 2.0), (-1.0, -0.5)] {
            let (ticks, step) = Ticks.linear(min: lo, max: hi)
            assertNice(ticks, step: step, covering: lo, hi)
            let labels = Ticks.labels(ticks, step: step)
            XCTAssertEqual(Set(labels).count, labels.count, "labels must be distinct: \(labels)")
        }
        let inside = Ticks.linearInside(min: -0.37, max: 2.9).ticks
        XCTAssertEqual(inside, [0, 1, 2])
        // Non-finite input never traps.
        XCTAssertGreaterThanOrEqual(Ticks.linear(min: .nan, max: .infinity).ticks.count, 2)
    }

    func testLogTicks() {
        let ticks = Ticks.powersOfTen(min: 1e-5, max: 3)
        XCTAssertEqual(ticks.count, 7)
        for (k, t) in ticks.enumerated() { XCTAssertEqual(t, pow(10, Double(k - 5)), accuracy: t * 1e-12) }
        XCTAssertLessThanOrEqual(ticks.first!, 1e-5)
        XCTAssertGreaterThanOrEqual(ticks.last!, 3)
        XCTAssertEqual(ticks.map(Ticks.logLabel), ["1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1", "10"])
        // Wide ranges skip decades but still cover the range.
        let wide = Ticks.powersOfTen(min: 1e-14, max: 1e3)
        XCTAssertLessThanOrEqual(wide.count, 10)
        XCTAssertLessThanOrEqual(wide.first!, 1e-14)
        XCTAssertGreaterThanOrEqual(wide.last!, 1e3)
        // Within one decade there are still two ticks.
        XCTAssertEqual(Ticks.powersOfTen(min: 2, max: 3), [1, 10])
        XCTAssertEqual(Ticks.powersOfTen(min: 0, max: -1).count, 2)
    }

    func testLabelsUseScientificNotationForTinyAndHugeValues() {
        XCTAssertEqual(Ticks.label(2e-5, step: 1e-5), "2e-5")
        XCTAssertEqual(Ticks.label(0, step: 1e-5), "0")
        XCTAssertEqual(Ticks.label(250_000, step: 50_000), "2.5e5")
        XCTAssertEqual(Ticks.label(-0.5, step: 0.5), "-0.5")
        XCTAssertEqual(Ticks.label(0.25, step: 0.05), "0.25")
    }
}

final class ColorMapTests: XCTestCase {
    func testColorMaps() {
        let v = ColorMap.viridis
        XCTAssertEqual(v.table.count, 256)
        XCTAssertEqual(v.color(at: 0), RGB(68, 1, 84))
        XCTAssertEqual(v.color(at: 1), RGB(253, 231, 37))
        XCTAssertEqual(v.color(at: -3), v.color(at: 0))
        XCTAssertEqual(v.color(at: .nan), RGB.missing)
        XCTAssertEqual(v.color(for: 5, in: 0...10), v.color(at: 0.5))
        XCTAssertEqual(v.color(for: .infinity, in: 0...10), v.color(at: 1))
        // Perceptual sequential map: luminance increases monotonically.
        func luma(_ c: RGB) -> Double { 0.2126 * Double(c.r) + 0.7152 * Double(c.g) + 0.0722 * Double(c.b) }
        for (a, b) in zip(v.table, v.table.dropFirst()) { XCTAssertLessThanOrEqual(luma(a), luma(b) + 0.5) }
        // Diverging: light in the middle, dark and distinct at the ends.
        let d = ColorMap.diverging
        XCTAssertTrue(d.isDiverging)
        let mid = d.color(at: 0.5)
        XCTAssertGreaterThan(luma(mid), 235)
        XCTAssertLessThan(luma(d.color(at: 0)), 80)
        XCTAssertLessThan(luma(d.color(at: 1)), 80)
        XCTAssertGreaterThan(d.color(at: 0).b, d.color(at: 0).r)
        XCTAssertGreaterThan(d.color(at: 1).r, d.color(at: 1).b)
    }
}
