/// The tool's version, printed by `metalic --version` and recorded in every summary.json.
enum MetalicVersion {
    static let number = "0.3.0"
    static let string = "metalic \(number)"
}
