import Foundation
import MetaTraining
import PINN

/// The live lines a long command keeps at the bottom of a terminal: one per running training
/// (unit, stage, iteration, loss, rate, ETA) and an overall bar. A value type that only renders;
/// `ProgressLog` decides when and where the lines are drawn.
struct LiveDisplay {
    struct Training {
        var unit: String
        var record: TrainingRecord
        var totalIterations: Int
        var startedAt: Date
        /// The last error measured (records carry one every `errorEvery` iterations, if at all).
        var lastError: Double?
    }

    struct Overall {
        var done: Int
        var total: Int
        /// The first count seen and when: the ETA extrapolates from the units finished since.
        var firstDone: Int
        var firstSeenAt: Date
    }

    /// What the units of the overall bar are called ("rounds", "trainings", "arms").
    var unitName: String
    var trainings: [Int: Training] = [:]
    var overall: Overall?

    init(unitName: String) { self.unitName = unitName }

    mutating func update(_ progress: WorkProgress, now: Date) {
        switch progress {
        case let .training(slot, unit, record, total):
            if let t = trainings[slot], t.unit == unit, record.iteration >= t.record.iteration {
                trainings[slot]?.record = record
            } else {
                trainings[slot] = Training(unit: unit, record: record, totalIterations: total, startedAt: now)
            }
            if let error = record.error { trainings[slot]?.lastError = error }
        case let .overall(done, total):
            if overall == nil { overall = Overall(done: done, total: total, firstDone: done, firstSeenAt: now) }
            overall?.done = done
            overall?.total = total
        }
    }

    /// The lines, each cut to `width` columns so that none wraps (a wrapped line would break
    /// the cursor arithmetic that redraws them).
    func lines(now: Date, width: Int) -> [String] {
        var lines = trainings.keys.sorted().map { trainingLine(trainings[$0]!, now: now) }
        if let overall { lines.append(overallLine(overall, now: now)) }
        return lines.map { String($0.prefix(max(width - 1, 10))) }
    }

    func trainingLine(_ t: Training, now: Date) -> String {
        let elapsed = now.timeIntervalSince(t.startedAt)
        let done = max(t.record.iteration, 0)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? " eta \(Self.duration(Double(max(t.totalIterations - done, 0)) / rate))" : ""
        let error = t.lastError.map { String(format: "  error %.3e", $0) } ?? ""
        return String(format: "  %@  %@ %d/%d  loss %.3e%@  %.0f it/s%@", t.unit, t.record.stage, done, t.totalIterations,
                      t.record.loss, error, rate, eta)
    }

    func overallLine(_ o: Overall, now: Date, barWidth: Int = 24) -> String {
        let fraction = o.total > 0 ? min(Double(o.done) / Double(o.total), 1) : 0
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        let finishedHere = o.done - o.firstDone
        let elapsed = now.timeIntervalSince(o.firstSeenAt)
        let eta = finishedHere > 0 && elapsed > 0
            ? "  eta \(Self.duration(elapsed / Double(finishedHere) * Double(max(o.total - o.done, 0))))" : ""
        return "[\(bar)] \(o.done)/\(o.total) \(unitName)\(eta)"
    }

    /// 42s, 3m05s, 2h10m.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}
