/// Type sizes and mark sizes of one chart, in pixels. Small charts (tests, thumbnails) get
/// smaller type so the data area keeps most of the room.
struct ChartStyle {
    let scale: Double

    init(width: Int, height: Int) {
        scale = (width >= 480 && height >= 360) ? 1 : 0.8
    }

    var fontSize: Double { 13 * scale }
    var titleSize: Double { 15 * scale }
    var tickLength: Double { 5 * scale }
    /// Gap between a tick and its label.
    var labelGap: Double { 4 * scale }
    /// Margin around the chart and between title, labels and plot area.
    var pad: Double { 10 * scale }
    var lineWidth: Double { 1.75 * scale }
    var markerRadius: Double { 2.75 * scale }
    var gridColor: RGB { RGB(228, 228, 228) }
}
