import ArgumentParser
import Foundation
import MetaTraining
import PINN
import StudyStore

/// Where a study lives, as typed on the command line: `--storage URL --study-name NAME`, or
/// `--study FILE` (a SQLite file and its only study).
struct StudyReference: CustomStringConvertible {
    let storage: StudyStorage
    let name: String?

    var description: String { name.map { "\(storage)#\($0)" } ?? storage.description }

    /// A short label for tables: the study name, or the file's name for a one-study file.
    var label: String {
        if let name { return name }
        if case .sqlite(let path) = storage { return (path as NSString).lastPathComponent }
        return storage.description
    }

    /// Commands that only read a study give an unreachable server this long; meta-train workers
    /// keep the store's standard minute, to ride out a server restart.
    static let readRetry = ConnectionRetry(totalTime: 10)

    func open() throws -> Study {
        if case .sqlite(let path) = storage, !FileManager.default.fileExists(atPath: path) {
            throw CLIError("study file \(path) does not exist")
        }
        do { return try Study.open(storage: storage, name: name, families: MetalicCommand.families, retry: Self.readRetry) } catch {
            throw CLIError("\(self): \(error)")
        }
    }
}

/// The studies a command works on.
struct StudyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where studies are stored: sqlite:///path.db (or a plain file path) or postgresql://user@host:port/dbname.",
                               valueName: "url"))
    var storage: String?

    @Option(name: .customLong("study-name"), help: "A study in --storage (repeatable where several studies are compared; default: the storage's only study).")
    var studyNames: [String] = []

    @Option(name: .customLong("study"), help: ArgumentHelp("A study file: shorthand for --storage FILE with its only study (repeatable where several studies are compared).", valueName: "file"))
    var studyFiles: [String] = []

    func validate() throws {
        if storage == nil && !studyNames.isEmpty { throw ValidationError("--study-name needs --storage (the database the study is in)") }
        if let storage { _ = try Self.parse(storage) }
        guard Set(studyFiles).count == studyFiles.count, Set(studyNames).count == studyNames.count else {
            throw ValidationError("a study is given twice")
        }
    }

    static func parse(_ text: String) throws -> StudyStorage {
        do { return try StudyStorage(parsing: text) } catch { throw ValidationError(String(describing: error)) }
    }

    /// Every study named, in the order given: files first, then the names in --storage.
    func references() throws -> [StudyReference] {
        var result = try studyFiles.map { StudyReference(storage: try Self.parse($0), name: nil) }
        if let storage {
            let parsed = try Self.parse(storage)
            result += studyNames.isEmpty ? [StudyReference(storage: parsed, name: nil)] : studyNames.map { StudyReference(storage: parsed, name: $0) }
        }
        return result
    }

    /// The one study of a command that works on one study (nil if none was named).
    func single() throws -> StudyReference? {
        let all = try references()
        guard all.count <= 1 else { throw ValidationError("give one study, not \(all.count)") }
        return all.first
    }

    /// The one study of a command that needs one.
    func required() throws -> StudyReference {
        guard let reference = try single() else {
            throw ValidationError("name the study: --storage sqlite:///path.db (or postgresql://…) [--study-name NAME], or --study FILE")
        }
        return reference
    }
}

/// How a meta-training worker keeps its trials alive and waits for others.
struct WorkerPolicyOptions: ParsableArguments {
    @Option(help: "Seconds between heartbeats of a running trial.")
    var heartbeatInterval: Double = 30

    @Option(help: "A trial whose heartbeat is older than this many seconds is abandoned and re-run (default: 5 heartbeat intervals).")
    var gracePeriod: Double?

    @Option(help: "A round abandoned this many times is marked failed instead of re-run.")
    var maxAttempts: Int = 3

    @Flag(help: "With nothing left to claim, wait for trials running elsewhere to finish or go stale (and re-run those) instead of exiting.")
    var wait = false

    func validate() throws {
        guard heartbeatInterval.isFinite, heartbeatInterval > 0 else { throw ValidationError("--heartbeat-interval must be a positive number of seconds") }
        if let g = gracePeriod, !(g.isFinite && g > heartbeatInterval) {
            throw ValidationError("--grace-period must be longer than --heartbeat-interval (\(heartbeatInterval) s), or every trial would look abandoned")
        }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
    }

    var policy: WorkerPolicy {
        var p = WorkerPolicy()
        p.heartbeatInterval = heartbeatInterval
        p.gracePeriod = gracePeriod ?? 5 * heartbeatInterval
        p.maxAttempts = maxAttempts
        p.waitForRunning = wait
        p.pollInterval = min(heartbeatInterval, 5)
        return p
    }
}

extension Heuristic: ExpressibleByArgument {}
extension StudyMode: ExpressibleByArgument {}
extension WarmStart: ExpressibleByArgument {}
