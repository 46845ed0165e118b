import Foundation

/// A trained XPINN as `solve --out` writes it (`model.json`): enough to evaluate the solution
/// and its derivatives anywhere in the domain (`ModelEvaluator`), or to continue training
/// (`XPINNSolver.train(…, from: model.flatParameters)`). Format described in docs/MODEL-FORMAT.md.
public struct SavedModel: Codable, Sendable, Equatable {
    /// Written into every file; a reader refuses other formats and newer versions.
    public static let formatName = "metalic-model"
    public static let formatVersion = 1

    /// One subdomain's network: its layer widths, the box its input is mapped from onto [−1, 1]²,
    /// and its parameters in `MLP`'s layout (per layer: W row-major fan-out × fan-in, then b).
    public struct Network: Codable, Sendable, Equatable {
        public var widths: [Int]
        public var inputLower: [Double]
        public var inputUpper: [Double]
        public var parameters: [Double]
    }

    public var format: String
    public var version: Int
    public var family: String
    public var parameters: ParameterValues
    /// The arm of each stage trained ("adam", "lbfgs" → arm name).
    public var arms: [String: String]
    public var options: TrainingOptions
    /// Relative L2 error on the family's reference grid when saved.
    public var error: Double
    /// One network per subdomain, in the decomposition's order.
    public var networks: [Network]

    /// The model of a finished training.
    public init(solver: XPINNSolver, result: TrainingResult) {
        format = Self.formatName
        version = Self.formatVersion
        family = solver.family.name
        parameters = solver.parameters
        arms = Dictionary(result.stages.map { ($0.name, $0.arm.name) }, uniquingKeysWith: { _, last in last })
        options = solver.options
        error = result.error
        var offset = 0
        networks = solver.problem.networks.map { net in
            defer { offset += net.parameterCount }
            return Network(widths: net.widths, inputLower: net.inputBox.lower, inputUpper: net.inputBox.upper,
                           parameters: Array(result.networkParameters[offset..<offset + net.parameterCount]))
        }
    }

    /// All networks' parameters in one vector, the layout `XPINNSolver` trains.
    public var flatParameters: [Double] { networks.flatMap(\.parameters) }

    /// Reads a model file, with one-line errors for a missing, corrupt or foreign file.
    public static func read(from url: URL) throws -> SavedModel {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw SavedModelError("cannot read \(url.path): no such file or not readable") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw SavedModelError("\(url.path) is not a metalic model (not JSON)")
        }
        guard header.format == formatName else { throw SavedModelError("\(url.path) is not a metalic model (format \(header.format ?? "missing"))") }
        guard let version = header.version, version <= formatVersion else {
            throw SavedModelError("\(url.path) is a model of format version \(header.version ?? 0), newer than this metalic reads (\(formatVersion)); upgrade metalic")
        }
        do { return try decoder.decode(SavedModel.self, from: data) } catch {
            throw SavedModelError("\(url.path) is a damaged metalic model: \(String(describing: error).prefix(200))")
        }
    }

    /// Writes the model as JSON (atomically).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// Throws unless this model is `family`'s: same name, parameter names, and one network per
    /// subdomain with the subdomain's input box and a consistent layout.
    public func check(against family: any PDEFamily) throws {
        guard family.name == self.family else { throw SavedModelError("the model is of family \(self.family), not \(family.name)") }
        guard parameters.names == family.parameters.map(\.name) else {
            throw SavedModelError("the model's parameters \(parameters.names) are not family \(family.name)'s \(family.parameters.map(\.name))")
        }
        let subdomains = family.decomposition.subdomains
        guard networks.count == subdomains.count else {
            throw SavedModelError("the model has \(networks.count) networks; family \(family.name) has \(subdomains.count) subdomains")
        }
        for (k, (net, sub)) in zip(networks, subdomains).enumerated() {
            let box = sub.boundingBox
            guard net.widths.count >= 2, net.widths.first == 2, net.widths.last == 1, net.widths.allSatisfy({ $0 > 0 }),
                  net.inputLower.count == 2, net.inputUpper.count == 2,
                  zip(net.inputLower + net.inputUpper, box.lower + box.upper).allSatisfy({ abs($0 - $1) <= 1e-9 * max(1, abs($1)) }) else {
                throw SavedModelError("network \(k) of the model does not fit subdomain \(k) of family \(family.name)")
            }
            let mlp = MLP(widths: net.widths, inputBox: box)
            guard net.parameters.count == mlp.parameterCount else {
                throw SavedModelError("network \(k) has \(net.parameters.count) parameters; widths \(net.widths) need \(mlp.parameterCount)")
            }
        }
    }
}

/// A model file that cannot be used; the message says why.
public struct SavedModelError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
