/// How a SQLite study file stores a trial's trained network parameters: one BLOB of IEEE-754
/// doubles, little-endian, in order. Exact (bit for bit, NaN included) and 8 bytes per value —
/// a [2, 20, 20, 1] network per subdomain is 4 kB — where JSON text would be three times larger.
enum ParameterBlob {
    static func encode(_ values: [Double]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 8)
        for value in values {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// - Throws: `.corrupted` for a length that is not a whole number of doubles.
    static func decode(_ bytes: [UInt8], what: String) throws -> [Double] {
        guard bytes.count % 8 == 0 else { throw StudyStoreError.corrupted("\(what): \(bytes.count) bytes is not a whole number of doubles") }
        return stride(from: 0, to: bytes.count, by: 8).map { start in
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(bytes[start + k]) << (8 * UInt64(k)) }
            return Double(bitPattern: bits)
        }
    }
}
