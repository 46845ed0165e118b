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

final class FontAndCanvasTests: XCTestCase {
    func testEveryPrintableGlyphIsNonEmpty() {
        var required = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,-+=()[]/:_|e^")
        required += Array("!?*%<>'\"#~@&$;{}\\`")
        for ch in required {
            XCTAssertTrue(BitmapFont.supports(ch), "missing glyph \(ch)")
            XCTAssertTrue(BitmapFont.glyph(for: ch).contains { $0 != 0 }, "empty glyph \(ch)")
        }
        for ch in BitmapFont.supportedCharacters where ch != " " {
            let g = BitmapFont.glyph(for: ch)
            XCTAssertEqual(g.count, BitmapFont.cellHeight)
            XCTAssertTrue(g.contains { $0 != 0 }, "empty glyph \(ch)")
            XCTAssertTrue(g.allSatisfy { $0 < 32 }, "glyph \(ch) wider than 5")
            // Drawn at scale 2, each glyph sets pixels.
            var c = Canvas(width: 20, height: 24)
            c.drawText(String(ch), x: 2, y: 2, scale: 2)
            XCTAssertGreaterThan(countPixels(c, .black), 0, "glyph \(ch) draws nothing")
        }
        XCTAssertFalse(BitmapFont.glyph(for: " ").contains { $0 != 0 })
        // Distinct characters have distinct glyphs (catches copy-paste slips).
        let letters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        XCTAssertEqual(Set(letters.map { BitmapFont.glyph(for: $0) }).count, letters.count)
        // Unsupported characters fall back to a visible box.
        XCTAssertTrue(BitmapFont.glyph(for: "€").contains { $0 != 0 })
    }

    func countPixels(_ c: Canvas, _ color: RGB) -> Int {
        var n = 0
        for y in 0..<c.height { for x in 0..<c.width where c.pixel(x: x, y: y) == color { n += 1 } }
        return n
    }

    func testTextScalingAndVerticalText() {
        var a = Canvas(width: 60, height: 30), b = Canvas(width: 120, height: 60)
        a.drawText("E1", x: 0, y: 0, scale: 1)
        b.drawText("E1", x: 0, y: 0, scale: 2)
        XCTAssertEqual(countPixels(b, .black), 4 * countPixels(a, .black))
        XCTAssertEqual(Canvas.textWidth("E1", scale: 2), 22)
        // "E" at scale 1: the top row spans columns 0...4.
        for x in 0..<5 { XCTAssertEqual(a.pixel(x: x, y: 0), .black) }
        XCTAssertEqual(a.pixel(x: 5, y: 0), .white)

        // Vertical text: taller than wide, and the same ink as the horizontal text.
        var v = Canvas(width: 40, height: 80)
        v.drawVerticalText("E1", centerX: 20, centerY: 40, scale: 2)
        XCTAssertEqual(countPixels(v, .black), countPixels(b, .black))
        var minX = Int.max, maxX = Int.min, minY = Int.max, maxY = Int.min
        for y in 0..<v.height { for x in 0..<v.width where v.pixel(x: x, y: y) == .black {
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        } }
        XCTAssertGreaterThan(maxY - minY, maxX - minX)
        // Reads bottom to top: the "E" (first character) is in the lower half; its top bar lies
        // along the left edge, rows spanning five pixels × 2.
        XCTAssertGreaterThan(minY, 20)
        XCTAssertEqual(v.pixel(x: minX, y: maxY), .black)
        XCTAssertEqual(v.pixel(x: minX, y: maxY - 9), .black)
    }

    func testLinesRectanglesAndClipping() {
        var c = Canvas(width: 20, height: 10)
        c.drawLine(x0: 0, y0: 0, x1: 19, y1: 9, color: .black)
        XCTAssertEqual(c.pixel(x: 0, y: 0), .black)
        XCTAssertEqual(c.pixel(x: 19, y: 9), .black)
        XCTAssertEqual(countPixels(c, .black), 20) // one pixel per column for a shallow line
        c.drawLine(from: (x: -1e300, y: 5), to: (x: .infinity, y: 5), color: .pureRed)
        XCTAssertEqual(countPixels(c, .pureRed), 20)
        c.drawLine(from: (x: .nan, y: 1), to: (x: 3, y: 1), color: .green)
        XCTAssertEqual(countPixels(c, .green), 0)
        c.fillRect(x: -5, y: -5, width: 8, height: 7, color: .blue)
        XCTAssertEqual(countPixels(c, .blue), 3 * 2)
        c.fillRect(x: 100, y: 100, width: Int.max, height: 3, color: .blue)
        XCTAssertNil(c.pixel(x: 20, y: 0))
        c.fillRect(x: 1, y: 0, width: Int.max, height: 1, color: .purple) // overflowing extent saturates
        XCTAssertEqual(countPixels(c, .purple), 19)
        // A clip rectangle restricts drawing.
        var d = Canvas(width: 20, height: 20)
        d.drawLine(from: (x: 0, y: 10), to: (x: 19, y: 10), color: .black, thickness: 3,
                   clip: PixelRect(x: 5, y: 5, width: 5, height: 10))
        XCTAssertEqual(countPixels(d, .black), 15)
    }

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
