import Foundation

/// Facts both backends share about how studies are laid out.
public enum StudySchema {
    /// Schema version of both stores: 3 = trials keep their trained network parameters and the
    /// trial they warm-started from. Version 2 (metalic 0.3: many studies per storage, leases) is
    /// migrated by adding those two columns; version 1 was the single-study SQLite file of
    /// metalic 0.2. `SQLiteStudyStore` migrates on the first write, `PostgresStudyStore` on the
    /// first connection.
    public static let version = 3

    /// The name of the study of a version-1 file, and of a study created without a name.
    public static let defaultStudyName = "default"

    /// Checks a study name before it is stored: names appear in listings, logs and command
    /// lines, so they must be printable and short.
    static func validate(name: String) throws {
        let problem: String?
        if name.isEmpty {
            problem = "is empty"
        } else if name.count > 200 {
            problem = "is longer than 200 characters"
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problem = "contains control characters"
        } else if name != name.trimmingCharacters(in: .whitespaces) {
            problem = "starts or ends with spaces"
        } else {
            problem = nil
        }
        if let problem {
            throw StudyStoreError.invalidStudyName(name, problem: problem)
        }
    }

    /// The study `open` means: `name`, or with nil the storage's only study.
    /// - Throws: `.studyNotFound` or `.studyNameNeeded`, listing the names there are.
    static func pick(_ name: String?, among names: [String]) throws -> String {
        guard let name else {
            guard names.count == 1 else { throw StudyStoreError.studyNameNeeded(available: names) }
            return names[0]
        }
        guard names.contains(name) else { throw StudyStoreError.studyNotFound(name, available: names) }
        return name
    }

    /// The study `openOrCreate` means: `name`, or with nil the storage's only study, or "default"
    /// in an empty storage. - Throws: `.studyNameNeeded` for nil among several studies.
    static func target(_ name: String?, among names: [String]) throws -> String {
        if let name {
            try validate(name: name)
            return name
        }
        switch names.count {
        case 0: return defaultStudyName
        case 1: return names[0]
        default: throw StudyStoreError.studyNameNeeded(available: names)
        }
    }
}
