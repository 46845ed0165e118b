import Foundation

/// An independent PNG reader used only by the tests: it re-implements CRC-32 bitwise (no table),
/// Adler-32, an inflater for stored and fixed-Huffman DEFLATE blocks, and PNG unfiltering.
struct DecodedPNG {
    var width: Int
    var height: Int
    var bitDepth: UInt8
    var colorType: UInt8
    var chunkTypes: [String]
    /// Unfiltered pixel bytes, row-major.
    var pixels: [UInt8]
    var channels: Int { colorType == 6 ? 4 : 3 }

    func rgb(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * width + x) * channels
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}

enum TestDecodeError: Error, Equatable {
    case badSignature
    case truncated
    case badCRC(String)
    case badIHDR
    case badZlibHeader
    case badAdler
    case unsupportedBlockType(Int)
    case badStoredLength
    case badSymbol
    case badFilter(UInt8)
    case sizeMismatch
}

enum TestPNGDecoder {
    /// Bitwise CRC-32 (reflected polynomial 0xEDB88320), deliberately not table driven.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 {
                let lsb = crc & 1
                crc >>= 1
                if lsb == 1 { crc ^= 0xEDB8_8320 }
            }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in bytes {
            a = (a + UInt32(x)) % 65521
            b = (b + a) % 65521
        }
        return (b << 16) | a
    }

    static func be32(_ d: [UInt8], _ i: Int) -> UInt32 {
        (UInt32(d[i]) << 24) | (UInt32(d[i + 1]) << 16) | (UInt32(d[i + 2]) << 8) | UInt32(d[i + 3])
    }

    static func decode(_ data: [UInt8]) throws -> DecodedPNG {
        guard data.count >= 8, data[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw TestDecodeError.badSignature
        }
        var pos = 8
        var types: [String] = []
        var idat: [UInt8] = []
        var width = 0, height = 0
        var bitDepth: UInt8 = 0, colorType: UInt8 = 0
        while pos < data.count {
            guard pos + 12 <= data.count else { throw TestDecodeError.truncated }
            let len = Int(be32(data, pos))
            guard pos + 12 + len <= data.count else { throw TestDecodeError.truncated }
            let typeBytes = Array(data[(pos + 4)..<(pos + 8)])
            let type = String(decoding: typeBytes, as: UTF8.self)
            let body = Array(data[(pos + 8)..<(pos + 8 + len)])
            let crc = be32(data, pos + 8 + len)
            guard crc32(typeBytes + body) == crc else { throw TestDecodeError.badCRC(type) }
            types.append(type)
            switch type {
            case "IHDR":
                guard len == 13 else { throw TestDecodeError.badIHDR }
                width = Int(be32(body, 0)); height = Int(be32(body, 4))
                bitDepth = body[8]; colorType = body[9]
                guard body[10] == 0, body[11] == 0, body[12] == 0 else { throw TestDecodeError.badIHDR }
            case "IDAT": idat += body
            default: break
            }
            pos += 12 + len
            if type == "IEND" { break }
        }
        guard types.first == "IHDR", types.last == "IEND" else { throw TestDecodeError.badIHDR }
        let raw = try zlibDecompress(idat)
        let channels = colorType == 6 ? 4 : 3
        let stride = width * channels
        guard raw.count == height * (stride + 1) else { throw TestDecodeError.sizeMismatch }
        let pixels = try unfilter(raw, width: width, height: height, channels: channels)
        return DecodedPNG(width: width, height: height, bitDepth: bitDepth, colorType: colorType,
                          chunkTypes: types, pixels: pixels)
    }

    static func zlibDecompress(_ z: [UInt8]) throws -> [UInt8] {
        guard z.count >= 6, z[0] & 0x0F == 8, (UInt16(z[0]) << 8 | UInt16(z[1])) % 31 == 0, z[1] & 0x20 == 0 else {
            throw TestDecodeError.badZlibHeader
        }
        var inflater = Inflater(data: Array(z[2...]))
        let out = try inflater.inflate()
        let trailerStart = 2 + inflater.bytePositionAfterAlign()
        guard trailerStart + 4 <= z.count else { throw TestDecodeError.truncated }
        guard be32(z, trailerStart) == adler32(out) else { throw TestDecodeError.badAdler }
        return out
    }

    struct Inflater {
        let data: [UInt8]
        var bitPos = 0

        init(data: [UInt8]) { self.data = data }

        mutating func bit() throws -> Int {
            let byte = bitPos >> 3
            guard byte < data.count else { throw TestDecodeError.truncated }
            let b = Int(data[byte] >> UInt8(bitPos & 7)) & 1
            bitPos += 1
            return b
        }

        mutating func bits(_ n: Int) throws -> Int {
            var v = 0
            for k in 0..<n { v |= try bit() << k }
            return v
        }

        func bytePositionAfterAlign() -> Int { (bitPos + 7) >> 3 }

        static let lenBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                              67, 83, 99, 115, 131, 163, 195, 227, 258]
        static let lenExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                               1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
        static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

        /// Fixed literal/length code: codes are read most-significant bit first.
        mutating func fixedSymbol() throws -> Int {
            var code = 0
            for _ in 0..<7 { code = (code << 1) | (try bit()) }
            if code <= 0b0010111 { return 256 + code }
            code = (code << 1) | (try bit())
            if code >= 0x30 && code <= 0xBF { return code - 0x30 }
            if code >= 0xC0 && code <= 0xC7 { return 280 + code - 0xC0 }
            code = (code << 1) | (try bit())
            if code >= 0x190 && code <= 0x1FF { return 144 + code - 0x190 }
            throw TestDecodeError.badSymbol
        }

        mutating func inflate() throws -> [UInt8] {
            var out: [UInt8] = []
            var final = 0
            repeat {
                final = try bits(1)
                let type = try bits(2)
                switch type {
                case 0:
                    bitPos = (bitPos + 7) & ~7
                    let p = bitPos >> 3
                    guard p + 4 <= data.count else { throw TestDecodeError.truncated }
                    let len = Int(data[p]) | Int(data[p + 1]) << 8
                    let nlen = Int(data[p + 2]) | Int(data[p + 3]) << 8
                    guard len == (~nlen & 0xFFFF) else { throw TestDecodeError.badStoredLength }
                    guard p + 4 + len <= data.count else { throw TestDecodeError.truncated }
                    out += data[(p + 4)..<(p + 4 + len)]
                    bitPos = (p + 4 + len) * 8
                case 1:
                    while true {
                        let sym = try fixedSymbol()
                        if sym < 256 { out.append(UInt8(sym)); continue }
                        if sym == 256 { break }
                        let li = sym - 257
                        guard li < 29 else { throw TestDecodeError.badSymbol }
                        let length = Inflater.lenBase[li] + (try bits(Inflater.lenExtra[li]))
                        var dcode = 0
                        for _ in 0..<5 { dcode = (dcode << 1) | (try bit()) }
                        guard dcode < 30 else { throw TestDecodeError.badSymbol }
                        let dist = Inflater.distBase[dcode] + (try bits(Inflater.distExtra[dcode]))
                        guard dist <= out.count else { throw TestDecodeError.badSymbol }
                        for _ in 0..<length { out.append(out[out.count - dist]) }
                    }
                default:
                    throw TestDecodeError.unsupportedBlockType(type)
                }
            } while final == 0
            return out
        }
    }

    static func unfilter(_ raw: [UInt8], width: Int, height: Int, channels: Int) throws -> [UInt8] {
        let stride = width * channels
        var out = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = Int(raw[y * (stride + 1) + 1 + x])
                let a = x >= channels ? Int(out[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(out[(y - 1) * stride + x]) : 0
                let c = (x >= channels && y > 0) ? Int(out[(y - 1) * stride + x - channels]) : 0
                let pred: Int
                switch filter {
                case 0: pred = 0
                case 1: pred = a
                case 2: pred = b
                case 3: pred = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                default: throw TestDecodeError.badFilter(filter)
                }
                out[y * stride + x] = UInt8((v + pred) & 0xFF)
            }
        }
        return out
    }
}
