import ArgumentParser
import Foundation

/// Makes sure an output directory exists and is writable before hours of training start.
func prepareOutputDirectory(_ path: String) throws -> URL {
    let url = URL(fileURLWithPath: path, isDirectory: true)
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else { throw ValidationError("output path \(path) exists and is not a directory") }
    } else {
        do { try fm.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw ValidationError("cannot create output directory \(path): \(error.localizedDescription)")
        }
    }
    guard fm.isWritableFile(atPath: path) else { throw ValidationError("output directory \(path) is not writable") }
    return url
}
