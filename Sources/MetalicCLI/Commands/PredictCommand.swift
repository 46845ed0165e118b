import ArgumentParser
import Foundation
import PINN

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Evaluate a saved model (solve's model.json) and its derivatives at your points.",
        discussion: """
        --points is a CSV file with columns x and y (y is t for time-dependent families; a header line is optional). \
        Writes a CSV with x, y and one column per requested quantity: u, and with --derivatives u_x,u_xx,u_t,u_xy,… the \
        partial derivatives, computed exactly by the networks (not by finite differences). Each point is evaluated by the \
        network of the subdomain that contains it.
        """)

    @Option(help: ArgumentHelp("A model written by `metalic solve` (DIR/model.json).", valueName: "model.json"))
    var model: String

    @Option(help: ArgumentHelp("CSV of points: x,y per line.", valueName: "points.csv"))
    var points: String

    @Option(help: ArgumentHelp("Partial derivatives besides u, comma-separated: u_x, u_y (or u_t), u_xx, u_xy, …", valueName: "list"))
    var derivatives: String = ""

    @Option(name: [.customShort("o"), .long], help: "Output CSV file.")
    var out: String = "prediction.csv"

    func validate() throws {
        _ = try quantities()
    }

    /// u and the requested derivatives, as names and multi-indices.
    func quantities() throws -> [(name: String, index: MultiIndex)] {
        var result: [(name: String, index: MultiIndex)] = [("u", MultiIndex([0, 0]))]
        for raw in derivatives.split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard name.hasPrefix("u_"), name.count > 2 else {
                throw ValidationError("derivative '\(name)': write u_ followed by x, y or t, one letter per order (u_x, u_xx, u_xt)")
            }
            var orders = [0, 0]
            for c in name.dropFirst(2) {
                switch c {
                case "x": orders[0] += 1
                case "y", "t": orders[1] += 1
                default: throw ValidationError("derivative '\(name)': '\(c)' is not x, y or t")
                }
            }
            if !result.contains(where: { $0.name == name }) { result.append((name, MultiIndex(orders))) }
        }
        return result
    }

    func run() throws {
        let saved = try SavedModel.read(from: URL(fileURLWithPath: model))
        let family = try InstanceOptions.family(named: saved.family)
        let evaluator: ModelEvaluator
        do { evaluator = try ModelEvaluator(model: saved, family: family) } catch { throw CLIError("\(model): \(error)") }
        let xy = try readPoints()
        let wanted = try quantities()
        let values: [[Double]]
        do { values = try evaluator.evaluate(points: xy, derivatives: wanted.map(\.index)) } catch { throw CLIError("\(points): \(error)") }
        var csv = (["x", "y"] + wanted.map(\.name)).joined(separator: ",") + "\n"
        for (p, point) in xy.enumerated() {
            csv += (point.map { "\($0)" } + wanted.indices.map { "\(values[$0][p])" }).joined(separator: ",") + "\n"
        }
        do { try csv.write(toFile: out, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write \(out): \(error.localizedDescription)")
        }
        print("\(saved.family) \(saved.parameters): \(wanted.map(\.name).joined(separator: ", ")) at \(xy.count) points written to \(out)")
    }

    private func readPoints() throws -> [[Double]] {
        guard let text = try? String(contentsOfFile: points, encoding: .utf8) else { throw CLIError("cannot read --points \(points)") }
        var result = [[Double]]()
        for (n, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = csvFields(String(line))
            let numbers = fields.prefix(2).compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            if numbers.count == 2 { result.append(numbers); continue }
            if n == 0 { continue }  // a header
            throw CLIError("\(points) line \(n + 1): expected two numbers x,y, got '\(line)'")
        }
        guard !result.isEmpty else { throw CLIError("\(points) holds no points (x,y per line)") }
        return result
    }
}
