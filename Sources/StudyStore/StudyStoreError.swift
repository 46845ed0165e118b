/// Why a study file could not be opened or a store operation was refused.
///
/// The cases distinguish what a user can act on: a wrong path (`fileNotFound`), a file that is
/// something else entirely (`notADatabase`, `notAStudy`), a study written by a newer metalic
/// (`unsupportedVersion`), a study resumed with the wrong flags (`configurationMismatch`), and
/// programming errors of the caller (`trialNotRunning`, `invalidPlan`). Everything else SQLite
/// reports is passed through as `sqlite(code:message:)` with SQLite's primary result code.
public enum StudyStoreError: Error, Equatable, CustomStringConvertible {
    /// No file at this path.
    case fileNotFound(String)
    /// `create` refuses to overwrite: a file already exists at this path.
    case fileExists(String)
    /// The file exists but is not a SQLite database (e.g. a text file).
    case notADatabase(String)
    /// The file is a SQLite database, but not one written by this store (foreign schema).
    case notAStudy(String)
    /// The study was written with a newer schema version than this build understands.
    case unsupportedVersion(Int)
    /// The study's stored data cannot be decoded (damaged file or hand-edited rows).
    case corrupted(String)
    /// `openOrCreate` found a study whose configuration differs in the named fields.
    case configurationMismatch(String)
    /// A plan returned by the caller of `claimRound` cannot be stored.
    case invalidPlan(String)
    /// No trial has this id.
    case trialNotFound(Int64)
    /// The trial exists but is no longer running (already completed or failed).
    case trialNotRunning(Int64)
    /// The trial is no longer held with this lease: it went stale, was reclaimed by another
    /// worker (or finished). The holder should drop its result and move on.
    case leaseLost(trialID: Int64)
    /// Any other SQLite failure, with SQLite's primary result code (5 = busy, 13 = disk full, ...).
    case sqlite(code: Int32, message: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path): return "no study file at \(path)"
        case .fileExists(let path): return "a file already exists at \(path); refusing to overwrite it"
        case .notADatabase(let path): return "\(path) is not a SQLite database"
        case .notAStudy(let path): return "\(path) is a SQLite database but not a metalic study"
        case .unsupportedVersion(let version):
            return "study schema version \(version) is newer than this build supports (\(SQLiteStudyStore.schemaVersion)); upgrade metalic"
        case .corrupted(let what): return "study data is damaged: \(what)"
        case .configurationMismatch(let what): return "existing study has a different configuration: \(what)"
        case .invalidPlan(let what): return "invalid trial plan: \(what)"
        case .trialNotFound(let id): return "no trial with id \(id)"
        case .trialNotRunning(let id): return "trial \(id) is not running (already completed or failed)"
        case .leaseLost(let id): return "trial \(id) was reclaimed by another worker after its heartbeat went stale; this result is dropped"
        case .sqlite(let code, let message): return "SQLite error \(code): \(message)"
        }
    }
}
