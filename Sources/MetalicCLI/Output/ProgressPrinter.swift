import Foundation
import PINN

/// One line of progress every few seconds during a long training: iteration, loss, error, ETA.
final class ProgressPrinter {
    let total: Int
    let enabled: Bool
    private let start = Date()
    private var lastPrint = Date.distantPast

    init(total: Int, enabled: Bool) {
        self.total = max(total, 1)
        self.enabled = enabled
    }

    func update(_ r: TrainingRecord) {
        guard enabled, Date().timeIntervalSince(lastPrint) >= 2 else { return }
        lastPrint = Date()
        let elapsed = Date().timeIntervalSince(start)
        let eta = elapsed / Double(max(r.iteration, 1)) * Double(max(total - r.iteration, 0))
        let error = r.error.map { String(format: "%.3e", $0) } ?? "-"
        print(String(format: "  %@ %6d/%d  loss %.3e  error %@  elapsed %.0fs  eta ≤%.0fs", r.stage, r.iteration, total, r.loss, error, elapsed, eta))
        fflush(stdout)
    }

    func finish() { if enabled { fflush(stdout) } }
}
