import CLibPQ
import Foundation

/// Where studies live, named by one string — the one place the command line and the library turn
/// a `--storage` argument into a store.
///
/// Accepted forms:
/// - a plain path (`studies.db`, `/data/studies.db`): a SQLite file;
/// - `sqlite:///relative/path.db` and `sqlite:////absolute/path.db`: a SQLite file, following
///   SQLAlchemy's and Optuna's rule: everything after `sqlite:///` is the path, so a fourth slash
///   makes it absolute. `sqlite://host/...` (a host) and `sqlite://` (in memory) are refused;
/// - `postgresql://user@host:port/dbname` or `postgres://…`, with libpq's parameters, e.g.
///   `?host=/var/run/postgresql` for a Unix socket or `?sslmode=require`: a PostgreSQL database.
public enum StudyStorage: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    private static let forms = "use sqlite:///relative/path.db, sqlite:////absolute/path.db, a file path, or postgresql://user@host:port/db"

    /// - Throws: `.invalidStorage` with a message naming the accepted forms.
    public init(parsing text: String) throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StudyStoreError.invalidStorage("empty storage: \(Self.forms)") }
        guard let schemeEnd = text.range(of: "://"), Self.isScheme(text[..<schemeEnd.lowerBound]) else {
            self = .sqlite(path: text)
            return
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        switch scheme {
        case "sqlite":
            guard rest.hasPrefix("/") else {
                throw StudyStoreError.invalidStorage(rest.isEmpty
                    ? "storage '\(text)' is an in-memory database, which no other worker can see: \(Self.forms)"
                    : "storage '\(text)' names a host, but SQLite files have none: write sqlite:///\(rest) for a path relative to the working directory, or sqlite:////absolute/path.db")
            }
            let path = String(rest.dropFirst())
            guard !path.isEmpty else { throw StudyStoreError.invalidStorage("storage '\(text)' names no file: \(Self.forms)") }
            self = .sqlite(path: path)
        case "postgresql", "postgres":
            var message: UnsafeMutablePointer<CChar>?
            guard let options = PQconninfoParse(text, &message) else {
                let why = message.map { PostgresConnection.oneLine(String(cString: $0)) } ?? "cannot be parsed"
                if let message { PQfreemem(message) }
                throw StudyStoreError.invalidStorage("storage '\(Self.redacting(text))': \(why); write postgresql://user@host:port/dbname (or ?host=/socket/dir for a Unix socket)")
            }
            defer { PQconninfoFree(options) }
            // libpq checks the port only when connecting; a typo should fail here, at once.
            var option = options
            while let keyword = option.pointee.keyword {
                if String(cString: keyword) == "port", let value = option.pointee.val.map({ String(cString: $0) }),
                   !value.split(separator: ",", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
                    throw StudyStoreError.invalidStorage("storage '\(Self.redacting(text))': port '\(value)' is not a number; write postgresql://user@host:port/dbname")
                }
                option += 1
            }
            self = .postgres(url: text)
        default:
            throw StudyStoreError.invalidStorage("unsupported storage '\(Self.redacting(text))': \(Self.forms)")
        }
    }

    /// A form that parses back to this storage; a PostgreSQL password is shown as "***".
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:///" + path
        case .postgres(let url): return Self.redacting(url)
        }
    }

    /// Opens the study `name`; nil means the storage's only study (an error lists the names if
    /// there are several or none). Each call opens its own connection: give each worker thread its own.
    /// `retry` bounds how long a server store keeps reconnecting (at opening and on later faults).
    public func open(study name: String?, retry: ConnectionRetry = .standard) throws -> any StudyStore {
        switch self {
        case .sqlite(let path): return try SQLiteStudyStore.open(at: path, study: name)
        case .postgres(let url): return try PostgresStudyStore.open(url: url, study: name, retry: retry)
        }
    }

    /// Opens the study `name`, or creates it (and the storage) with `configuration`. A nil name
    /// means the storage's only study, or "default" in an empty storage. An existing study with
    /// another family or mode is refused (`.configurationMismatch`); other differences are
    /// allowed and the stored configuration wins.
    public func openOrCreate(study name: String?, configuration: StudyConfiguration,
                             retry: ConnectionRetry = .standard) throws -> (store: any StudyStore, created: Bool) {
        switch self {
        case .sqlite(let path):
            let (store, created) = try SQLiteStudyStore.openOrCreate(at: path, study: name, configuration: configuration)
            return (store, created)
        case .postgres(let url):
            let (store, created) = try PostgresStudyStore.openOrCreate(url: url, study: name, configuration: configuration, retry: retry)
            return (store, created)
        }
    }

    /// The studies in the storage, by name, with their progress. Only reads.
    public func studies(retry: ConnectionRetry = .standard) throws -> [StudySummary] {
        switch self {
        case .sqlite(let path): return try SQLiteStudyStore.studies(at: path)
        case .postgres(let url): return try PostgresStudyStore.studies(url: url, retry: retry)
        }
    }

    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
    }

    /// `url` with the password (in the user part or a `password=` parameter) replaced by "***".
    static func redacting(_ url: String) -> String {
        var result = url
        if let schemeEnd = result.range(of: "://") {
            let authorityEnd = result[schemeEnd.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? result.endIndex
            if let at = result[schemeEnd.upperBound..<authorityEnd].lastIndex(of: "@"),
               let colon = result[schemeEnd.upperBound..<at].firstIndex(of: ":") {
                result.replaceSubrange(result.index(after: colon)..<at, with: "***")
            }
        }
        if let query = result.firstIndex(of: "?") {
            let parameters = result[result.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { part in
                part.lowercased().hasPrefix("password=") ? "password=***" : String(part)
            }
            result = String(result[...query]) + parameters.joined(separator: "&")
        }
        return result
    }
}
