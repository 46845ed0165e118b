import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Plotting

/// The formats a figure is written in, and how failures are reported.
final class FigureOutputTests: XCTestCase {
    let title = "loss & error <of> u(x,t)"

    var figure: Figure {
        LinePlot.render(LinePlot(title: title, xLabel: "iteration", yLabel: "loss",
                                 series: [LineSeries(name: "loss", ys: (0..<50).map { exp(-Double($0) / 10) }, color: .blue)],
                                 logY: true), width: 640, height: 400)
    }

    /// Collects the root element, its attributes and the text of `<title>`.
    final class SVGReader: NSObject, XMLParserDelegate {
        var root: String?
        var attributes: [String: String] = [:]
        var titles: [String] = []
        private var inTitle = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if root == nil { root = name; self.attributes = attributes }
            if name == "title" { inTitle = true; titles.append("") }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inTitle { titles[titles.count - 1] += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "title" { inTitle = false }
        }
    }

    func testSVGIsWellFormedXMLNamedByItsTitle() throws {
        let bytes = try figure.data(format: .svg)
        let parser = XMLParser(data: Data(bytes))
        let reader = SVGReader()
        parser.delegate = reader
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertEqual(reader.root, "svg")
        XCTAssertEqual(reader.titles, [title])
        XCTAssertEqual(reader.attributes["width"], "640px")
        XCTAssertEqual(reader.attributes["height"], "400px")
        // Text is drawn as glyph outlines, so there are glyphs and paths beyond the title.
        let svg = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(svg.contains("glyph"))
        XCTAssertGreaterThan(svg.components(separatedBy: "<path").count, 10)
        try figure.write(in: URL(fileURLWithPath: sampleDirectory), name: "lineplot", format: .svg)
    }

    func testPDFIsANonTrivialDocument() throws {
        let bytes = try figure.data(format: .pdf)
        XCTAssertEqual(String(decoding: bytes.prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertGreaterThan(bytes.count, 5_000, "a page with a curve and embedded font subsets")
        let tail = String(decoding: bytes.suffix(32), as: UTF8.self)
        XCTAssertTrue(tail.contains("%%EOF"), tail)
        try figure.write(in: URL(fileURLWithPath: sampleDirectory), name: "lineplot", format: .pdf)
    }

    func testWriteNamesTheFileByItsFormat() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("metalic-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for format in PlotFormat.allCases {
            let path = try figure.write(in: dir, name: "loss", format: format)
            XCTAssertEqual(path, dir.appendingPathComponent("loss.\(format.rawValue)").path)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).count, try figure.data(format: format).count)
        }
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)), ["loss.png", "loss.svg", "loss.pdf"])
        let image = try Raster(pngFile: dir.appendingPathComponent("loss.png").path)
        XCTAssertEqual(image.width, 640)
        XCTAssertEqual(image.height, 400)
    }

    func testWritingToAMissingDirectoryThrowsAClearError() {
        let path = "/nonexistent-\(UUID().uuidString)/figure"
        for format in PlotFormat.allCases {
            XCTAssertThrowsError(try figure.write(to: "\(path).\(format.rawValue)", format: format)) { error in
                guard case let .fileFailed(failedPath, _)? = error as? PlotError else { return XCTFail("\(error)") }
                XCTAssertEqual(failedPath, "\(path).\(format.rawValue)")
                XCTAssertTrue(error.localizedDescription.hasPrefix("cannot write \(path)"), error.localizedDescription)
                XCTAssertFalse(error.localizedDescription.contains("Domain"), error.localizedDescription)
            }
        }
        // A directory where the file should go.
        let dir = NSTemporaryDirectory() + "metalic-plot-dir-\(UUID().uuidString).png"
        XCTAssertNoThrow(try FileManager.default.createDirectory(atPath: dir + "/x", withIntermediateDirectories: true))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertThrowsError(try figure.write(to: dir, format: .png)) { error in
            XCTAssertTrue(error.localizedDescription.hasPrefix("cannot write \(dir): "), error.localizedDescription)
            XCTAssertFalse(error.localizedDescription.contains("Domain"), error.localizedDescription)
            print("writing onto a directory: \(error.localizedDescription)")
        }
    }

    func testReadingAMissingPNGThrows() {
        XCTAssertThrowsError(try Raster(pngFile: "/nonexistent-\(UUID().uuidString).png")) { error in
            guard case .cairo? = error as? PlotError else { return XCTFail("\(error)") }
        }
    }

    func testRasterMatchesThePNG() throws {
        let direct = try figure.raster()
        let path = try figure.write(in: URL(fileURLWithPath: sampleDirectory), name: "lineplot-small", format: .png)
        XCTAssertEqual(try Raster(pngFile: path).pixels, direct.pixels)
    }
}
