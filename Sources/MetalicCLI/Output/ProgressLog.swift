import Foundation
import MetaTraining
import PINN

/// Where a long command's progress goes, safe to use from several worker threads at once.
///
/// On a terminal, finished units scroll as plain lines and the running trainings stay as live
/// lines at the bottom (`LiveDisplay`), redrawn at most ten times a second. Anywhere else (a
/// file, a pipe) only the plain lines are written, one per finished unit of work — and, when
/// `milestones` is set (a single training, as in `solve`), one per tenth of the training.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private let output: FileHandle
    private let quiet: Bool
    private let live: Bool
    private let milestones: Bool
    private var display: LiveDisplay
    private var drawnLines = 0
    private var lastDraw = Date.distantPast
    private var lastMilestone = [Int: Int]()
    private let emit: (String) -> Void

    /// - Parameters:
    ///   - toStandardError: progress on stderr (stdout carries JSON or CSV).
    ///   - live: draw live lines; default when the output is a terminal (and `TERM` is not `dumb`).
    ///   - sink: where the text goes (tests capture it); default the output's file handle.
    init(toStandardError: Bool = false, quiet: Bool = false, unitName: String = "trainings", milestones: Bool = false,
         live: Bool? = nil, sink: ((String) -> Void)? = nil) {
        output = toStandardError ? .standardError : .standardOutput
        self.quiet = quiet
        self.milestones = milestones
        display = LiveDisplay(unitName: unitName)
        self.live = !quiet && (live ?? Self.isTerminal(output.fileDescriptor))
        let handle = output
        emit = sink ?? { text in
            if handle === FileHandle.standardOutput { fflush(stdout) }
            handle.write(Data(text.utf8))
        }
    }

    static func isTerminal(_ fd: Int32) -> Bool {
        isatty(fd) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    /// A finished unit of work (or a notice): printed above the live lines.
    func write(_ line: String) {
        guard !quiet else { return }
        lock.withLock {
            emit(erase() + line + "\n" + draw(now: Date()))
        }
    }

    /// A running training advanced, or the overall count changed.
    func update(_ progress: WorkProgress) {
        guard !quiet else { return }
        lock.withLock {
            let now = Date()
            display.update(progress, now: now)
            if live {
                guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
                emit(erase() + draw(now: now))
            } else if milestones, case let .training(slot, _, record, total) = progress {
                let tenth = total > 0 ? record.iteration * 10 / total : 0
                guard tenth > lastMilestone[slot, default: 0], let t = display.trainings[slot] else { return }
                lastMilestone[slot] = tenth
                emit(display.trainingLine(t, now: now) + "\n")
            }
        }
    }

    /// Removes the live lines (call when the work is over, before printing results).
    func finish() {
        lock.withLock { emit(erase()) }
    }

    var handler: WorkProgressHandler { { [self] in update($0) } }

    // Both return escape sequences to write; the caller holds the lock.
    private func erase() -> String {
        defer { drawnLines = 0 }
        return String(repeating: "\u{1B}[1A\u{1B}[2K", count: drawnLines)
    }

    private func draw(now: Date) -> String {
        guard live else { return "" }
        lastDraw = now
        let lines = display.lines(now: now, width: Self.terminalWidth(output.fileDescriptor))
        drawnLines = lines.count
        return lines.map { $0 + "\n" }.joined()
    }

    static func terminalWidth(_ fd: Int32) -> Int {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }
}
