/// An 8-bit sRGB colour.
public struct RGB: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r; self.g = g; self.b = b
    }

    /// From a 0xRRGGBB literal.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// Linear interpolation between two colours (t clamped to 0...1), rounded to the nearest byte.
    public static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        let t = t.isNaN ? 0 : min(1, max(0, t))
        func lerp(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded())
        }
        return RGB(lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b))
    }

    /// The largest difference of one channel: antialiased drawings are compared with a tolerance.
    public func distance(to other: RGB) -> Int {
        max(abs(Int(r) - Int(other.r)), abs(Int(g) - Int(other.g)), abs(Int(b) - Int(other.b)))
    }

    public var description: String { "RGB(\(r), \(g), \(b))" }

    /// The colour as Cairo wants it: channels in 0...1.
    var unit: (r: Double, g: Double, b: Double) { (Double(r) / 255, Double(g) / 255, Double(b) / 255) }

    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)
    public static let red = RGB(214, 39, 40)
    public static let pureRed = RGB(255, 0, 0)
    public static let green = RGB(44, 160, 44)
    public static let blue = RGB(31, 119, 180)
    public static let orange = RGB(255, 127, 14)
    public static let purple = RGB(148, 103, 189)
    public static let brown = RGB(140, 86, 75)
    public static let pink = RGB(227, 119, 194)
    public static let olive = RGB(188, 189, 34)
    public static let cyan = RGB(23, 190, 207)
    public static let grey = RGB(127, 127, 127)
    public static let lightGrey = RGB(222, 222, 222)
    public static let darkGrey = RGB(64, 64, 64)
    /// Colour used for NaN cells in heatmaps.
    public static let missing = RGB(160, 160, 160)

    /// A qualitative palette for line series.
    public static let palette: [RGB] = [.blue, .orange, .green, .red, .purple, .brown, .pink, .grey, .olive, .cyan]
}
