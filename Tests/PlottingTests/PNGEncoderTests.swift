import Foundation
import XCTest
@testable import Plotting

final class PNGEncoderTests: XCTestCase {
    /// A 40×30 white canvas with a red rectangle and a blue pixel.
    func makeCanvas() -> Canvas {
        var c = Canvas(width: 40, height: 30, background: .white)
        c.fillRect(x: 5, y: 4, width: 10, height: 6, color: .pureRed)
        c.setPixel(x: 39, y: 29, color: RGB(0, 0, 255))
        return c
    }

    func testChecksumsMatchKnownVectors() {
        let check = Array("123456789".utf8)
        XCTAssertEqual(PNGEncoder.crc32(check), 0xCBF4_3926)
        XCTAssertEqual(TestPNGDecoder.crc32(check), 0xCBF4_3926)
        XCTAssertEqual(PNGEncoder.crc32([UInt8]()), 0)
        XCTAssertEqual(PNGEncoder.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
        XCTAssertEqual(PNGEncoder.adler32([]), 1)
        // Long input exercises the deferred modulo of the encoder's Adler-32.
        let long = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        XCTAssertEqual(PNGEncoder.adler32(long), TestPNGDecoder.adler32(long))
        XCTAssertEqual(PNGEncoder.crc32(long), TestPNGDecoder.crc32(long))
    }

    func testStoredPNGStructureAndPixels() throws {
        let canvas = makeCanvas()
        let png = try canvas.pngData(compression: .stored)
        XCTAssertEqual(Array(png[0..<8]), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR is the first chunk, 13 bytes long.
        XCTAssertEqual(TestPNGDecoder.be32(png, 8), 13)
        XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
        let decoded = try TestPNGDecoder.decode(png)
        XCTAssertEqual(decoded.width, 40)
        XCTAssertEqual(decoded.height, 30)
        XCTAssertEqual(decoded.bitDepth, 8)
        XCTAssertEqual(decoded.colorType, 2)
        XCTAssertEqual(decoded.chunkTypes.first, "IHDR")
        XCTAssertEqual(decoded.chunkTypes.last, "IEND")
        XCTAssertTrue(decoded.chunkTypes.contains("IDAT"))
        assertRedRectangle(decoded)
        XCTAssertEqual(decoded.pixels, canvas.pixels)
    }

    func assertRedRectangle(_ d: DecodedPNG, file: StaticString = #filePath, line: UInt = #line) {
        func eq(_ p: (UInt8, UInt8, UInt8), _ q: (UInt8, UInt8, UInt8)) -> Bool { p == q }
        XCTAssertTrue(eq(d.rgb(5, 4), (255, 0, 0)), file: file, line: line)
        XCTAssertTrue(eq(d.rgb(14, 9), (255, 0, 0)), file: file, line: line)
        XCTAssertTrue(eq(d.rgb(10, 7), (255, 0, 0)), file: file, line: line)
        XCTAssertTrue(eq(d.rgb(15, 9), (255, 255, 255)), file: file, line: line)
        XCTAssertTrue(eq(d.rgb(14, 10), (255, 255, 255)), file: file, line: line)
        XCTAssertTrue(eq(d.rgb(4, 4), (255, 255, 255)), file: file, line: line)
        XCTAssertTrue(eq(d.rgb(0, 0), (255, 255, 255)), file: file, line: line)
        XCTAssertTrue(eq(d.rgb(39, 29), (0, 0, 255)), file: file, line: line)
    }

    func testFixedHuffmanPNGDecodesToSamePixels() throws {
        let canvas = makeCanvas()
        let png = try canvas.pngData(compression: .fixedHuffman)
        let decoded = try TestPNGDecoder.decode(png)
        assertRedRectangle(decoded)
        XCTAssertEqual(decoded.pixels, canvas.pixels)
        XCTAssertLessThan(png.count, try canvas.pngData(compression: .stored).count)
    }

    func testEveryFilterRoundTripsOnNoisyImage() throws {
        // Pseudo-random pixels with structure so that each filter produces different bytes.
        let w = 23, h = 17
        var px = [UInt8](repeating: 0, count: w * h * 4)
        var state: UInt32 = 12345
        for i in px.indices {
            state = state &* 1_103_515_245 &+ 12345
            px[i] = UInt8(truncatingIfNeeded: (state >> 16) % 64 + UInt32(i % 97))
        }
        for filter in [PNGEncoder.Filter.none, .sub, .up, .average, .paeth, .adaptive] {
            for compression in [PNGEncoder.Compression.stored, .fixedHuffman] {
                let png = try PNGEncoder.encode(width: w, height: h, pixels: px, colorType: .rgba,
                                                compression: compression, filter: filter)
                let d = try TestPNGDecoder.decode(png)
                XCTAssertEqual(d.colorType, 6)
                XCTAssertEqual(d.pixels, px, "filter \(filter), compression \(compression)")
            }
        }
    }

    func testLongRunsAndStoredBlockBoundaries() throws {
        // > 65535 bytes forces several stored blocks; long runs exercise 258-byte matches.
        var data = [UInt8](repeating: 7, count: 70_000)
        for i in stride(from: 0, to: data.count, by: 1000) { data[i] = UInt8(i / 1000) }
        for compression in [PNGEncoder.Compression.stored, .fixedHuffman] {
            let z = PNGEncoder.zlibCompress(data, compression: compression)
            XCTAssertEqual(try TestPNGDecoder.zlibDecompress(z), data)
        }
        XCTAssertEqual(try TestPNGDecoder.zlibDecompress(PNGEncoder.zlibCompress([])), [])
    }

    func testDecoderRejectsCorruption() throws {
        var png = try makeCanvas().pngData()
        png[png.count - 20] ^= 0x01 // inside the last IDAT or its CRC
        XCTAssertThrowsError(try TestPNGDecoder.decode(png))
    }

    func testInvalidInputsThrow() {
        XCTAssertThrowsError(try PNGEncoder.encode(width: 0, height: 5, pixels: []))
        XCTAssertThrowsError(try PNGEncoder.encode(width: 2, height: 2, pixels: [1, 2, 3]))
        XCTAssertThrowsError(try Canvas(width: 0, height: 0).pngData())
        XCTAssertThrowsError(try makeCanvas().writePNG(to: "/nonexistent-dir-\(UUID())/x.png"))
    }

    func testWrittenFileDecodesWithPythonZlib() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("python3 not available") }
        let path = NSTemporaryDirectory() + "plotting-test-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try makeCanvas().writePNG(to: path)
        let script = """
        import sys, zlib, struct
        d = open(sys.argv[1], 'rb').read()
        assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
        p = 8; idat = b''
        while p < len(d):
            n, = struct.unpack('>I', d[p:p+4]); t = d[p+4:p+8]; body = d[p+8:p+8+n]
            crc, = struct.unpack('>I', d[p+8+n:p+12+n])
            assert zlib.crc32(t + body) & 0xffffffff == crc, t
            if t == b'IHDR': w, h, bd, ct = struct.unpack('>IIBB', body[:10])
            if t == b'IDAT': idat += body
            p += 12 + n
        raw = zlib.decompress(idat); s = w * 3; out = bytearray()
        for y in range(h):
            f = raw[y*(s+1)]; row = bytearray(raw[y*(s+1)+1:(y+1)*(s+1)])
            prev = out[(y-1)*s:y*s] if y else bytearray(s)
            for x in range(s):
                a = row[x-3] if x >= 3 else 0; b = prev[x]; c = prev[x-3] if x >= 3 else 0
                if f == 1: row[x] = (row[x] + a) & 255
                elif f == 2: row[x] = (row[x] + b) & 255
                elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
                elif f == 4:
                    pp = a + b - c; pa, pb, pc = abs(pp-a), abs(pp-b), abs(pp-c)
                    row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            out += row
        px = lambda x, y: tuple(out[(y*w+x)*3:(y*w+x)*3+3])
        print(w, h, bd, ct, px(10, 7), px(0, 0), px(39, 29))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines),
                       "40 30 8 2 (255, 0, 0) (255, 255, 255) (0, 0, 255)")
    }
}
