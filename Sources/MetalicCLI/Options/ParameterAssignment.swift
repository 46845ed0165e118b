import ArgumentParser

/// `name=value` as typed after `--param`.
struct ParameterAssignment: ExpressibleByArgument {
    let name: String
    let value: Double

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, let v = Double(parts[1]) else { return nil }
        name = parts[0]
        value = v
    }

    static var defaultValueDescription: String { "name=value" }
}
