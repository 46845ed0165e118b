import Foundation

/// The JSON both stores write: sorted keys (stable files, readable diffs) and the non-finite
/// numbers spelled as `NonFiniteNumbers` says.
enum StudyJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = NonFiniteNumbers.encoding
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// - Throws: `.corrupted` naming `what` when the text is not JSON of the expected shape.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String?, what: String) throws -> T {
        guard let text else { throw StudyStoreError.corrupted("\(what) is NULL") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = NonFiniteNumbers.decoding
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw StudyStoreError.corrupted("\(what) is not valid JSON of the expected shape")
        }
    }
}
