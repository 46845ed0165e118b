import Foundation
import XCTest

/// Live progress on a terminal (through `script`, which gives the command a pseudo-terminal) and
/// plain lines through a pipe.
extension CommandLineTests {
    /// Runs metalic on a pseudo-terminal; returns what the terminal received.
    func runOnTerminal(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = ([binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        p.arguments = ["-qefc", command, "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testSolveShowsALiveLineOnATerminalAndPlainLinesOtherwise() throws {
        let args = ["solve", "reaction", "--param", "rho=2", "--adam", "300", "--lbfgs", "100"]
        let terminal = try runOnTerminal(args + ["--out", path("tty")])
        XCTAssertEqual(terminal.status, 0, terminal.output)
        XCTAssert(terminal.output.contains("\u{1B}[2K"), "the live line is redrawn in place")
        XCTAssert(terminal.output.contains("it/s"), terminal.output)
        XCTAssert(terminal.output.contains("relative L2 error"))

        let piped = try run(args + ["--out", path("pipe")])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertFalse(piped.stdout.contains("\u{1B}"), "no escape sequences in a pipe")
        let milestones = piped.stdout.split(separator: "\n").filter { $0.contains("it/s") }
        XCTAssertEqual(milestones.count, 10, "one line per tenth of the training:\n\(piped.stdout)")
    }

    func testMetaTrainShowsTheRoundsBarOnATerminal() throws {
        let args = ["meta-train", "reaction", "--study", path("bar.db"), "--rounds", "2", "--warmup", "1", "--adam", "200", "--lbfgs", "0"]
        let terminal = try runOnTerminal(args)
        XCTAssertEqual(terminal.status, 0, terminal.output)
        XCTAssert(terminal.output.contains("/3 rounds"), terminal.output)
        XCTAssert(terminal.output.contains("round 1") && terminal.output.contains("adam "), terminal.output)
        // The live lines are erased before the summary, which comes last.
        let summary = try XCTUnwrap(terminal.output.range(of: "accumulated error"))
        XCTAssertFalse(terminal.output[summary.upperBound...].contains("rounds"), terminal.output)
    }
}
