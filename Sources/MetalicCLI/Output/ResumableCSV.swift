import Foundation
import PINN

/// A CSV file that grows one row at a time, each synced to disk, so a long command interrupted
/// at any moment loses at most the training in flight, and a rerun with the same arguments
/// resumes where it stopped.
///
/// Line 1 records what the rows were computed with: "# <identity> training=<JSON>", the identity
/// (family, instance, seeds, strategies …) and the training options' fingerprint
/// (`TrainingOptions.fingerprint`, as JSON). A file whose identity differs, or whose fingerprint
/// decodes to options that are not `==` to these, is refused, never mixed in. Line 2 is the
/// header. A last row cut short by a crash is dropped on load (its work is redone).
struct ResumableCSV {
    let url: URL
    let identity: String
    let training: TrainingOptions
    let header: String

    private var settingsLine: String { "# \(identity) training=\(Self.json(training.fingerprint))" }

    private static func json(_ options: TrainingOptions) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(options)) ?? Data(), as: UTF8.self)
    }

    /// Whether line 1 of a file says it was computed with these settings.
    private func matches(_ line: Substring) -> Bool {
        let prefix = "# \(identity) training="
        guard line.hasPrefix(prefix),
              let stored = try? JSONDecoder().decode(TrainingOptions.self, from: Data(line.dropFirst(prefix.count).utf8)) else { return false }
        return stored == training.fingerprint
    }

    /// The rows already in the file, as fields (creating the file if it is absent).
    func load() throws -> [[String]] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            try write("\(settingsLine)\n\(header)\n")
            return []
        }
        guard var text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CLIError("cannot read \(url.path) (not UTF-8 text?); use another --out")
        }
        if !text.hasSuffix("\n"), let lastNewline = text.lastIndex(of: "\n") {
            text = String(text[...lastNewline])
            try write(text)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count >= 2, matches(lines[0]), lines[1] == header else {
            throw CLIError("\(url.path) was written for other settings (\(lines.first ?? "")); use another --out or delete it")
        }
        let columns = csvFields(header).count
        return lines.dropFirst(2).map { csvFields($0) }.filter { $0.count == columns }
    }

    /// Appends one row and syncs it to disk.
    func append(_ fields: [String]) throws {
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((fields.joined(separator: ",") + "\n").utf8))
            try handle.synchronize()
        } catch {
            throw CLIError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    private func write(_ text: String) throws {
        do { try text.write(to: url, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
