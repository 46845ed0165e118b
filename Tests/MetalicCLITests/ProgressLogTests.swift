import Foundation
import MetaTraining
@testable import MetalicCLI
import PINN
import XCTest

/// The live progress lines: what a terminal shows after the escape sequences are applied, and
/// that a file or pipe gets plain lines only.
final class ProgressLogTests: XCTestCase {
    /// A terminal that understands what `ProgressLog` writes: newline, cursor up, clear line.
    final class Screen: @unchecked Sendable {
        var lines = [""]
        var row = 0
        var raw = ""

        func apply(_ text: String) {
            raw += text
            var rest = Substring(text)
            while let c = rest.first {
                if rest.hasPrefix("\u{1B}[1A") { row = max(row - 1, 0); rest = rest.dropFirst(4); continue }
                if rest.hasPrefix("\u{1B}[2K") { lines[row] = ""; rest = rest.dropFirst(4); continue }
                rest = rest.dropFirst()
                if c == "\n" {
                    row += 1
                    if row == lines.count { lines.append("") }
                } else {
                    lines[row].append(c)
                }
            }
        }

        /// The lines above the cursor (the cursor sits at the start of an empty line).
        var shown: [String] { Array(lines[..<row]) }
    }

    func record(_ iteration: Int, stage: String = "adam", loss: Double = 0.5) -> TrainingRecord {
        TrainingRecord(iteration: iteration, stage: stage, loss: loss, error: nil)
    }

    func testLiveLinesStayBelowTheFinishedUnitsAndVanishAtTheEnd() {
        let screen = Screen()
        let log = ProgressLog(unitName: "rounds", live: true, sink: screen.apply)
        log.write("created study s.db")
        log.update(.training(slot: 1, unit: "round 2", record: record(10), totalIterations: 100))
        log.update(.training(slot: 0, unit: "round 1", record: record(20), totalIterations: 100))
        log.update(.overall(done: 0, total: 4))
        log.write("worker 1 round 1/4 error 1e-2")   // a finished unit: redraws the live lines below it
        XCTAssertEqual(screen.shown.count, 5, "\(screen.shown)")
        XCTAssertEqual(Array(screen.shown.prefix(2)), ["created study s.db", "worker 1 round 1/4 error 1e-2"])
        XCTAssert(screen.shown[2].contains("round 1") && screen.shown[2].contains("adam 20/100"), screen.shown[2])
        XCTAssert(screen.shown[3].contains("round 2") && screen.shown[3].contains("adam 10/100"), screen.shown[3])
        XCTAssert(screen.shown[4].hasPrefix("[") && screen.shown[4].contains("0/4 rounds"), screen.shown[4])

        log.update(.overall(done: 1, total: 4))
        log.write("worker 2 round 2/4 error 2e-2")
        XCTAssertEqual(screen.shown.count, 6)
        XCTAssert(screen.shown[5].contains("1/4 rounds"), screen.shown[5])
        log.finish()
        XCTAssertEqual(screen.shown, ["created study s.db", "worker 1 round 1/4 error 1e-2", "worker 2 round 2/4 error 2e-2"])
        XCTAssertEqual(screen.lines.last, "", "nothing left below the cursor")
    }

    func testWithoutATerminalOnlyPlainLines() {
        let screen = Screen()
        let log = ProgressLog(live: false, sink: screen.apply)
        for i in 1...500 { log.update(.training(slot: 0, unit: "arm u", record: record(i), totalIterations: 500)) }
        log.update(.overall(done: 1, total: 512))
        log.write("  1/512  u  error 1e-1")
        log.finish()
        XCTAssertEqual(screen.raw, "  1/512  u  error 1e-1\n")
    }

    func testASingleTrainingPrintsOneLinePerTenth() {
        let screen = Screen()
        let log = ProgressLog(milestones: true, live: false, sink: screen.apply)
        for i in 0...60 { log.update(.training(slot: 0, unit: "training", record: record(i), totalIterations: 100)) }
        for i in 0...40 { log.update(.training(slot: 0, unit: "training", record: record(60 + i, stage: "lbfgs"), totalIterations: 100)) }
        log.finish()
        XCTAssertEqual(screen.shown.count, 10, screen.raw)
        XCTAssert(screen.shown[0].contains("adam 10/100"), screen.shown[0])
        XCTAssert(screen.shown[9].contains("lbfgs 100/100"), screen.shown[9])
        XCTAssertFalse(screen.raw.contains("\u{1B}"))
    }

    func testQuietWritesNothing() {
        let screen = Screen()
        let log = ProgressLog(quiet: true, milestones: true, live: true, sink: screen.apply)
        log.write("a line")
        log.update(.training(slot: 0, unit: "training", record: record(50), totalIterations: 100))
        log.finish()
        XCTAssertEqual(screen.raw, "")
    }

    func testRatesBarAndWidth() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        var display = LiveDisplay(unitName: "rounds")
        display.update(.training(slot: 0, unit: "round 7", record: record(0), totalIterations: 3000), now: t0)
        display.update(.training(slot: 0, unit: "round 7", record: record(1000, loss: 2.5e-3), totalIterations: 3000), now: t0 + 2)
        display.update(.overall(done: 2, total: 24), now: t0)
        display.update(.overall(done: 6, total: 24), now: t0 + 40)
        let lines = display.lines(now: t0 + 2, width: 200)
        XCTAssertEqual(lines[0], "  round 7  adam 1000/3000  loss 2.500e-03  500 it/s eta 4s")
        // 6 of 24 done: a quarter of the bar; 4 rounds in 40 s, 18 left: 3 minutes.
        let bar = display.overallLine(display.overall!, now: t0 + 40, barWidth: 24)
        XCTAssertEqual(bar.filter { $0 == "█" }.count, 6)
        XCTAssertEqual(bar.filter { $0 == "░" }.count, 18)
        XCTAssert(bar.hasSuffix("6/24 rounds  eta 3m00s"), bar)
        // The last measured error stays on the line until the next measurement.
        display.update(.training(slot: 0, unit: "round 7", record: TrainingRecord(iteration: 1100, stage: "adam", loss: 2e-3, error: 0.01), totalIterations: 3000), now: t0 + 3)
        display.update(.training(slot: 0, unit: "round 7", record: record(1200), totalIterations: 3000), now: t0 + 4)
        XCTAssert(display.lines(now: t0 + 4, width: 200)[0].contains("error 1.000e-02"))
        // A new unit on the same slot restarts its clock.
        display.update(.training(slot: 0, unit: "round 8", record: record(0), totalIterations: 3000), now: t0 + 10)
        XCTAssertEqual(display.trainings[0]?.startedAt, t0 + 10)
        XCTAssert(display.lines(now: t0 + 11, width: 20).allSatisfy { $0.count <= 19 })
        XCTAssertEqual(LiveDisplay.duration(7530), "2h05m")
    }
}
