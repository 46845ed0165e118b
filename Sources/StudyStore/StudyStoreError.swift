/// Why a storage or study could not be opened, or a store operation was refused.
///
/// The cases distinguish what a user can act on: a wrong path or URL (`fileNotFound`,
/// `invalidStorage`, `unreachable`), something that is not a study storage at all
/// (`notADatabase`, `notAStudy`), a storage written by a newer metalic (`unsupportedVersion`), a
/// study name that does not fit (`studyNotFound`, `studyNameNeeded`, `studyExists`), a study
/// resumed with the wrong flags (`configurationMismatch`), a worker whose trial was taken over
/// (`leaseLost`), and programming errors of the caller (`invalidPlan`, `invalidPolicy`,
/// `trialNotFound`). Everything else the database reports is passed through: `sqlite(code:message:)`
/// with SQLite's primary result code, `postgres(state:message:)` with PostgreSQL's SQLSTATE.
public enum StudyStoreError: Error, Equatable, CustomStringConvertible {
    /// No file at this path.
    case fileNotFound(String)
    /// A file creation refused to overwrite: a file already exists at this path.
    case fileExists(String)
    /// The file exists but is not a SQLite database (e.g. a text file).
    case notADatabase(String)
    /// The file or database holds data, but not written by this store (foreign schema).
    case notAStudy(String)
    /// The storage was written with a newer schema version than this build understands.
    case unsupportedVersion(Int)
    /// The study's stored data cannot be decoded (damaged file or hand-edited rows).
    case corrupted(String)
    /// `openOrCreate` found a study whose configuration differs in the named fields.
    case configurationMismatch(String)
    /// A storage text (`--storage`) that names no storage this build can open; the message names the forms it accepts.
    case invalidStorage(String)
    /// No study of this name in the storage; `available` lists the names it has.
    case studyNotFound(String, available: [String])
    /// No study name was given, and the storage does not hold exactly one study.
    case studyNameNeeded(available: [String])
    /// `create` was asked for a study name the storage already has.
    case studyExists(String)
    /// A study name that cannot be stored (empty, too long, control characters).
    case invalidStudyName(String, problem: String)
    /// A plan returned by the caller of `claimRound` cannot be stored.
    case invalidPlan(String)
    /// A `ClaimPolicy` that cannot be applied (negative grace period, fewer than one attempt).
    case invalidPolicy(String)
    /// No trial has this id in the study.
    case trialNotFound(Int64)
    /// The lease no longer holds the trial: it went stale and was reclaimed by another worker
    /// (or was marked failed after too many attempts), or it is already finished. Not fatal:
    /// the worker drops the trial and claims the next round.
    case leaseLost(trialID: Int64)
    /// The database server could not be reached (or the connection could not be re-established
    /// within the retry budget).
    case unreachable(String)
    /// Any other SQLite failure, with SQLite's primary result code (5 = busy, 13 = disk full, ...).
    case sqlite(code: Int32, message: String)
    /// Any other PostgreSQL failure, with its SQLSTATE (e.g. "42501" = permission denied).
    case postgres(state: String, message: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path): return "no study file at \(path)"
        case .fileExists(let path): return "a file already exists at \(path); refusing to overwrite it"
        case .notADatabase(let path): return "\(path) is not a SQLite database"
        case .notAStudy(let what): return "\(what) holds data but no metalic studies"
        case .unsupportedVersion(let version):
            return "study schema version \(version) is newer than this build supports (\(StudySchema.version)); upgrade metalic"
        case .corrupted(let what): return "study data is damaged: \(what)"
        case .configurationMismatch(let what): return "existing study has a different configuration: \(what)"
        case .invalidStorage(let why): return why
        case .studyNotFound(let name, let available):
            return "no study named '\(name)' in this storage (studies: \(Self.list(available)))"
        case .studyNameNeeded(let available):
            return available.isEmpty
                ? "this storage holds no study yet: give a study name and a configuration to create one"
                : "this storage holds several studies (\(Self.list(available))): name the one to open"
        case .studyExists(let name): return "a study named '\(name)' already exists in this storage; open it or choose another name"
        case .invalidStudyName(let name, let problem):
            return "study name \(name.debugDescription) \(problem): use a short printable name such as 'advection-ucb'"
        case .invalidPlan(let what): return "invalid trial plan: \(what)"
        case .invalidPolicy(let what): return "invalid claim policy: \(what)"
        case .trialNotFound(let id): return "no trial with id \(id) in this study"
        case .leaseLost(let id):
            return "trial \(id) was reclaimed by another worker after its heartbeat went stale (or is already finished); drop it and claim the next round"
        case .unreachable(let what): return what
        case .sqlite(let code, let message): return "SQLite error \(code): \(message)"
        case .postgres(let state, let message): return "PostgreSQL error \(state): \(message)"
        }
    }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
