/// A colour map: a 256-entry table computed by linear interpolation between evenly spaced
/// anchor colours.
public struct ColorMap: Sendable, Equatable {
    public let name: String
    /// Anchor colours, evenly spaced over 0...1.
    public let anchors: [RGB]
    /// True for maps centred on a neutral midpoint; heatmaps then default to a symmetric range.
    public let isDiverging: Bool
    /// The interpolated lookup table (`tableSize` entries).
    public let table: [RGB]

    public static let tableSize = 256

    /// Builds a map from at least two anchors.
    public init(name: String, anchors: [RGB], isDiverging: Bool = false) {
        precondition(anchors.count >= 2, "a colour map needs at least two anchors")
        self.name = name
        self.anchors = anchors
        self.isDiverging = isDiverging
        let segments = Double(anchors.count - 1)
        table = (0..<ColorMap.tableSize).map { k in
            let t = Double(k) / Double(ColorMap.tableSize - 1) * segments
            let i = min(anchors.count - 2, Int(t))
            return RGB.mix(anchors[i], anchors[i + 1], t - Double(i))
        }
    }

    /// The colour at fraction `t` (clamped to 0...1); NaN gives `RGB.missing`.
    public func color(at t: Double) -> RGB {
        guard !t.isNaN else { return .missing }
        let c = min(1, max(0, t))
        return table[Int((c * Double(ColorMap.tableSize - 1)).rounded())]
    }

    /// The colour of `value` with `range` mapped onto the map (values outside are clamped;
    /// NaN gives `RGB.missing`; +/-inf the end colours; a degenerate range gives the middle).
    public func color(for value: Double, in range: ClosedRange<Double>) -> RGB {
        guard !value.isNaN else { return .missing }
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return color(at: 0.5) }
        return color(at: (value - range.lowerBound) / span)
    }

    /// Perceptually ordered dark-purple → blue → green → yellow map, in the spirit of viridis.
    public static let viridis = ColorMap(name: "viridis", anchors: [
        RGB(68, 1, 84), RGB(71, 45, 123), RGB(59, 82, 139), RGB(44, 114, 142),
        RGB(33, 145, 140), RGB(39, 173, 129), RGB(94, 201, 98), RGB(170, 220, 50),
        RGB(253, 231, 37),
    ])

    /// Blue → white → red diverging map for signed quantities.
    public static let diverging = ColorMap(name: "diverging", anchors: [
        RGB(5, 48, 97), RGB(33, 102, 172), RGB(103, 169, 207), RGB(209, 229, 240),
        RGB(247, 247, 247),
        RGB(253, 219, 199), RGB(239, 138, 98), RGB(178, 24, 43), RGB(103, 0, 31),
    ], isDiverging: true)

    /// Black → white.
    public static let greys = ColorMap(name: "greys", anchors: [RGB(0, 0, 0), RGB(255, 255, 255)])

    /// Dark → bright sequential map (black, purple, orange, light yellow), in the spirit of magma.
    public static let magma = ColorMap(name: "magma", anchors: [
        RGB(0, 0, 4), RGB(59, 15, 112), RGB(140, 41, 129), RGB(222, 73, 104),
        RGB(254, 159, 109), RGB(252, 253, 191),
    ])
}
