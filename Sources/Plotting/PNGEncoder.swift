import Foundation

/// Errors raised while encoding or writing a PNG image.
public enum PNGError: Error, Equatable, CustomStringConvertible {
    /// Width or height is not positive, or exceeds the PNG limit of 2^31 - 1.
    case invalidDimensions(width: Int, height: Int)
    /// The pixel buffer does not hold exactly `width * height * channels` bytes.
    case pixelCountMismatch(expected: Int, actual: Int)
    /// Writing the file failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidDimensions(w, h): return "invalid PNG dimensions \(w)x\(h)"
        case let .pixelCountMismatch(e, a): return "PNG pixel buffer has \(a) bytes, expected \(e)"
        case let .writeFailed(path, reason): return "cannot write PNG to \(path): \(reason)"
        }
    }
}

/// A minimal, dependency-free PNG encoder for 8-bit RGB and RGBA images.
///
/// The zlib stream is either made of stored (uncompressed) DEFLATE blocks or of a single
/// fixed-Huffman block produced by a small hash-chain LZ77 matcher. Rows are filtered
/// per row (None, Sub, Up, Average or Paeth, chosen by the minimum-sum-of-absolute-differences
/// heuristic) unless a fixed filter is requested.
public enum PNGEncoder {
    /// The PNG colour type of the pixel buffer.
    public enum ColorType: Sendable {
        /// 3 bytes per pixel (PNG colour type 2).
        case rgb
        /// 4 bytes per pixel (PNG colour type 6).
        case rgba

        public var channels: Int { self == .rgb ? 3 : 4 }
        public var pngCode: UInt8 { self == .rgb ? 2 : 6 }
    }

    /// How the DEFLATE stream is produced.
    public enum Compression: Sendable {
        /// Stored blocks only (no compression; fastest, largest).
        case stored
        /// LZ77 with the fixed Huffman code of RFC 1951.
        case fixedHuffman
    }

    /// Row filtering strategy (PNG filter method 0).
    public enum Filter: Sendable {
        case none, sub, up, average, paeth
        /// Pick the best filter for each row.
        case adaptive
    }

    /// Encodes an 8-bit image to the bytes of a PNG file.
    /// - Parameter pixels: row-major, top row first, `channels` interleaved bytes per pixel.
    public static func encode(width: Int, height: Int, pixels: [UInt8], colorType: ColorType = .rgb,
                              compression: Compression = .fixedHuffman,
                              filter: Filter = .adaptive) throws -> [UInt8] {
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw PNGError.invalidDimensions(width: width, height: height)
        }
        let channels = colorType.channels
        let (expected, overflow) = width.multipliedReportingOverflow(by: height * channels)
        guard !overflow else { throw PNGError.invalidDimensions(width: width, height: height) }
        guard pixels.count == expected else {
            throw PNGError.pixelCountMismatch(expected: expected, actual: pixels.count)
        }

        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

        var ihdr: [UInt8] = []
        appendUInt32BE(UInt32(width), to: &ihdr)
        appendUInt32BE(UInt32(height), to: &ihdr)
        ihdr += [8, colorType.pngCode, 0, 0, 0] // bit depth, colour type, compression, filter, interlace
        appendChunk(type: "IHDR", data: ihdr, to: &out)

        let raw = filterRows(width: width, height: height, channels: channels, pixels: pixels, filter: filter)
        let idat = zlibCompress(raw, compression: compression)
        // Split IDAT into chunks of at most 1 MiB (any size is legal; this keeps chunks modest).
        let chunkSize = 1 << 20
        var start = 0
        repeat {
            let end = min(idat.count, start + chunkSize)
            appendChunk(type: "IDAT", data: Array(idat[start..<end]), to: &out)
            start = end
        } while start < idat.count

        appendChunk(type: "IEND", data: [], to: &out)
        return out
    }

    // MARK: - Checksums

    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (ISO 3309 / ITU-T V.42, as used by PNG), table driven.
    public static func crc32<S: Sequence>(_ bytes: S, initial: UInt32 = 0) -> UInt32 where S.Element == UInt8 {
        var c = initial ^ 0xFFFF_FFFF
        crcTable.withUnsafeBufferPointer { table in
            for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }

    /// Adler-32 checksum of a zlib stream's uncompressed data.
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        let nmax = 5552 // largest n with 255 n (n+1) / 2 + (n+1)(BASE-1) < 2^32
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            while i < buf.count {
                let end = min(buf.count, i + nmax)
                while i < end { a &+= UInt32(buf[i]); b &+= a; i += 1 }
                a %= 65521; b %= 65521
            }
        }
        return (b << 16) | a
    }

    // MARK: - zlib / DEFLATE

    /// Wraps `data` in a zlib stream (RFC 1950): header, DEFLATE blocks, Adler-32.
    public static func zlibCompress(_ data: [UInt8], compression: Compression = .fixedHuffman) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01] // deflate, 32 KiB window, FCHECK so that 0x7801 % 31 == 0
        switch compression {
        case .stored: out += deflateStored(data)
        case .fixedHuffman: out += deflateFixed(data)
        }
        appendUInt32BE(adler32(data), to: &out)
        return out
    }

    /// DEFLATE with stored blocks of at most 65535 bytes.
    static func deflateStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + (data.count / 65535 + 1) * 5)
        var start = 0
        repeat {
            let len = min(65535, data.count - start)
            let final: UInt8 = start + len == data.count ? 1 : 0
            out.append(final) // BFINAL, BTYPE = 00, padded to the byte boundary
            out.append(UInt8(len & 0xFF)); out.append(UInt8(len >> 8))
            let nlen = ~UInt16(len)
            out.append(UInt8(nlen & 0xFF)); out.append(UInt8(nlen >> 8))
            out.append(contentsOf: data[start..<(start + len)])
            start += len
        } while start < data.count
        return out
    }

    /// LSB-first bit writer for DEFLATE.
    struct BitWriter {
        var bytes: [UInt8] = []
        var buffer: UInt64 = 0
        var count: Int = 0

        /// Writes the low `n` bits of `value`, least significant first.
        mutating func write(_ value: UInt32, _ n: Int) {
            buffer |= UInt64(value) << UInt64(count)
            count += n
            while count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                count -= 8
            }
        }

        /// Writes a Huffman code of `n` bits, most significant bit first.
        mutating func writeCode(_ code: UInt32, _ n: Int) {
            var reversed: UInt32 = 0
            var c = code
            for _ in 0..<n { reversed = (reversed << 1) | (c & 1); c >>= 1 }
            write(reversed, n)
        }

        mutating func flush() {
            if count > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
            buffer = 0; count = 0
        }
    }

    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                     3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                  257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                  8193, 12289, 16385, 24577]
    static let distExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                   7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// Writes a literal/length symbol with the fixed Huffman code.
    @inline(__always)
    static func writeFixedSymbol(_ sym: Int, _ w: inout BitWriter) {
        switch sym {
        case 0...143: w.writeCode(UInt32(0x30 + sym), 8)
        case 144...255: w.writeCode(UInt32(0x190 + sym - 144), 9)
        case 256...279: w.writeCode(UInt32(sym - 256), 7)
        default: w.writeCode(UInt32(0xC0 + sym - 280), 8)
        }
    }

    /// Index of the largest entry of `table` that is <= value.
    @inline(__always)
    static func bucket(_ value: Int, _ table: [Int]) -> Int {
        var lo = 0, hi = table.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if table[mid] <= value { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// A single final fixed-Huffman block; matches come from 3-byte hash chains over a 32 KiB window.
    static func deflateFixed(_ data: [UInt8]) -> [UInt8] {
        var w = BitWriter()
        w.bytes.reserveCapacity(data.count / 4 + 16)
        w.write(1, 1) // BFINAL
        w.write(1, 2) // BTYPE = 01 (fixed Huffman)

        let n = data.count
        let windowSize = 32768
        let hashBits = 15
        let hashSize = 1 << hashBits
        let maxChain = 48
        let maxMatch = 258
        var head = [Int32](repeating: -1, count: hashSize)
        var prev = [Int32](repeating: -1, count: windowSize)

        data.withUnsafeBufferPointer { d in
            head.withUnsafeMutableBufferPointer { head in
                prev.withUnsafeMutableBufferPointer { prev in
                    @inline(__always) func hash(_ i: Int) -> Int {
                        let v = (Int(d[i]) << 16) | (Int(d[i + 1]) << 8) | Int(d[i + 2])
                        return ((v &* 0x9E37_79B1) >> (32 - hashBits)) & (hashSize - 1)
                    }
                    @inline(__always) func insert(_ i: Int) {
                        guard i + 2 < n else { return }
                        let h = hash(i)
                        prev[i & (windowSize - 1)] = head[h]
                        head[h] = Int32(i)
                    }
                    var i = 0
                    while i < n {
                        var bestLen = 0, bestDist = 0
                        if i + 2 < n {
                            var cand = Int(head[hash(i)])
                            var chain = 0
                            let limit = min(maxMatch, n - i)
                            while cand >= 0, i - cand <= windowSize - 1, chain < maxChain {
                                if d[cand + bestLen] == d[i + bestLen] || bestLen == 0 {
                                    var len = 0
                                    while len < limit, d[cand + len] == d[i + len] { len += 1 }
                                    if len > bestLen {
                                        bestLen = len; bestDist = i - cand
                                        if len == limit { break }
                                    }
                                }
                                let next = Int(prev[cand & (windowSize - 1)])
                                if next >= cand { break } // stale entry from an overwritten slot
                                cand = next
                                chain += 1
                            }
                        }
                        if bestLen >= 3 {
                            let li = bucket(bestLen, lengthBase)
                            writeFixedSymbol(257 + li, &w)
                            if lengthExtra[li] > 0 { w.write(UInt32(bestLen - lengthBase[li]), lengthExtra[li]) }
                            let di = bucket(bestDist, distBase)
                            w.writeCode(UInt32(di), 5)
                            if distExtra[di] > 0 { w.write(UInt32(bestDist - distBase[di]), distExtra[di]) }
                            // Insert every position of the match (cap the work on very long runs).
                            let end = i + bestLen
                            if bestLen <= 64 {
                                for k in i..<end { insert(k) }
                            } else {
                                for k in i..<(i + 16) { insert(k) }
                                for k in (end - 16)..<end { insert(k) }
                            }
                            i = end
                        } else {
                            writeFixedSymbol(Int(d[i]), &w)
                            insert(i)
                            i += 1
                        }
                    }
                }
            }
        }
        writeFixedSymbol(256, &w) // end of block
        w.flush()
        return w.bytes
    }

    // MARK: - Filtering

    @inline(__always)
    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        if pb <= pc { return b }
        return c
    }

    /// Produces the filtered scanlines (one filter-type byte before each row).
    static func filterRows(width: Int, height: Int, channels: Int, pixels: [UInt8], filter: Filter) -> [UInt8] {
        let stride = width * channels
        var out = [UInt8](repeating: 0, count: height * (stride + 1))
        let candidates: [UInt8]
        switch filter {
        case .none: candidates = [0]
        case .sub: candidates = [1]
        case .up: candidates = [2]
        case .average: candidates = [3]
        case .paeth: candidates = [4]
        case .adaptive: candidates = [0, 1, 2, 3, 4]
        }
        var scratch = [UInt8](repeating: 0, count: stride)
        pixels.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { out in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for y in 0..<height {
                        let row = y * stride
                        let up = (y - 1) * stride
                        var bestScore = Int.max
                        for type in candidates {
                            var score = 0
                            for x in 0..<stride {
                                let raw = Int(px[row + x])
                                let a = x >= channels ? Int(px[row + x - channels]) : 0
                                let b = y > 0 ? Int(px[up + x]) : 0
                                let c = (x >= channels && y > 0) ? Int(px[up + x - channels]) : 0
                                let predicted: Int
                                switch type {
                                case 0: predicted = 0
                                case 1: predicted = a
                                case 2: predicted = b
                                case 3: predicted = (a + b) >> 1
                                default: predicted = paeth(a, b, c)
                                }
                                let v = UInt8(truncatingIfNeeded: raw - predicted)
                                scratch[x] = v
                                score += v < 128 ? Int(v) : 256 - Int(v)
                            }
                            if score < bestScore || candidates.count == 1 {
                                bestScore = score
                                let base = y * (stride + 1)
                                out[base] = type
                                for x in 0..<stride { out[base + 1 + x] = scratch[x] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    // MARK: - Chunks

    static func appendUInt32BE(_ v: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(v >> 24)); out.append(UInt8((v >> 16) & 0xFF))
        out.append(UInt8((v >> 8) & 0xFF)); out.append(UInt8(v & 0xFF))
    }

    static func appendChunk(type: String, data: [UInt8], to out: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        appendUInt32BE(UInt32(data.count), to: &out)
        out += typeBytes
        out += data
        appendUInt32BE(crc32(data, initial: crc32(typeBytes)), to: &out)
    }
}
