import ArgumentParser
import Foundation
import MetaTraining
import PINN
import Plotting
import StudyStore

/// `metalic study list|show|trials|best`: a study's record without the database's own shell.
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study", abstract: "Inspect meta-training studies (SQLite or PostgreSQL).",
        subcommands: [List.self, Show.self, Trials.self, Best.self, Effects.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The studies in a storage, with their progress.")

        @Option(help: ArgumentHelp("sqlite:///path.db (or a file path) or postgresql://user@host:port/dbname.", valueName: "url"))
        var storage: String
        @OptionGroup var output: FormatOption

        func run() throws {
            let storage = try StudyOptions.parse(storage)
            let studies: [StudySummary]
            do { studies = try storage.studies(retry: StudyReference.readRetry) } catch { throw CLIError("\(storage): \(error)") }
            var table = Table(columns: ["name", "family", "mode", "heuristic", "rounds", "completed", "running", "failed"])
            for s in studies {
                table.rows.append([.text(s.name), .text(s.family), .text(s.mode), .text(s.heuristic), .integer(s.totalRounds),
                                   .integer(s.completed), .integer(s.running), .integer(s.failed)])
            }
            print(table.render(output.format))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A study's settings and progress.")

        @OptionGroup var study: StudyOptions
        @OptionGroup var output: FormatOption

        func validate() throws {
            _ = try study.required()
        }

        func run() throws {
            let reference = try study.required()
            let opened = try reference.open()
            let s = opened.settings
            let trials = try opened.trials()
            let errors = trials.filter { $0.status == .completed }.compactMap(\.error)
            let finite = errors.filter(\.isFinite)
            var table = Table(columns: ["setting", "value"])
            func add(_ name: String, _ value: Table.Value) { table.rows.append([.text(name), value]) }
            add("study", .text(opened.name))
            add("family", .text(s.family.name))
            add("parameters", .text(s.family.parameters.map(\.name).joined(separator: ",")))
            add("mode", .text(s.mode.rawValue))
            add("heuristic", .text(s.heuristic.rawValue))
            add("warmup", .integer(s.warmup))
            add("rounds", .integer(s.rounds))
            add("seed", .text(String(s.seed)))
            add("adam", .integer(s.training.adamIterations))
            add("lbfgs", .integer(s.training.lbfgsIterations))
            add("protocol", .text(s.training.dataProtocol.rawValue))
            add("precision", .text(s.training.precision.rawValue))
            add("warm start", .text(s.warmStart.rawValue))
            add("completed", .integer(errors.count))
            add("running", .integer(trials.filter { $0.status == .running }.count))
            add("failed", .integer(trials.filter { $0.status == .failed }.count))
            add("accumulated error", .number(errors.reduce(0, +)))
            add("median error", finite.isEmpty ? .none : .number(finite.sorted()[finite.count / 2]))
            if output.format == .json {
                // One object, not an array of name/value pairs.
                let object = Dictionary(uniqueKeysWithValues: table.rows.map { ($0[0].exact, $0[1].json) })
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(table.render(output.format))
            }
        }
    }

    struct Trials: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every trial of a study: context, arms, seed, error, time, worker, attempts, and the round it warm-started from.")

        @OptionGroup var study: StudyOptions
        @OptionGroup var output: FormatOption

        func validate() throws {
            _ = try study.required()
        }

        func run() throws {
            let opened = try study.required().open()
            let names = opened.settings.family.parameters.map(\.name)
            var table = Table(columns: ["round", "status"] + names + ["arms", "seed", "error", "reward", "seconds", "worker", "attempts", "warm start"])
            let trials = try opened.trials()
            let roundOf = Dictionary(uniqueKeysWithValues: trials.map { ($0.id, $0.round) })
            for t in trials {
                // The round whose trained networks this trial started from; empty: a cold start.
                let source: Table.Value = t.warmStartTrialID.flatMap { roundOf[$0] }.map { .integer($0) } ?? .none
                let context: [Table.Value] = t.context.values.map { .number($0) }
                table.rows.append([.integer(t.round), .text(t.status.rawValue)] + context
                                  + [.text(t.arms.map(\.name).joined(separator: " / ")), .text(String(t.seed)), t.error.map { .number($0) } ?? .none,
                                     t.reward.map { .number($0) } ?? .none, t.seconds.map { .number($0) } ?? .none,
                                     .text(t.worker), .integer(t.attempts), source])
            }
            print(table.render(output.format))
        }
    }

    struct Best: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The arm a study has learned for one instance (argmax of its posterior mean).",
            discussion: "Give every parameter of the study's family with --param, e.g. --param beta=10.")

        @OptionGroup var study: StudyOptions
        @Option(name: .customLong("param"), help: ArgumentHelp("A parameter value (one per parameter of the family).", valueName: "name=value"))
        var parameters: [ParameterAssignment] = []
        @OptionGroup var output: FormatOption

        func validate() throws {
            _ = try study.required()
        }

        func run() throws {
            let reference = try study.required()
            let model = try reference.open().model()
            guard model.observationCount > 0 else { throw CLIError("study \(reference) has no completed trials yet") }
            let family = model.settings.family
            let s: ParameterValues
            do { s = try family.parameterValues(Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b })) } catch {
                throw ValidationError(String(describing: error))
            }
            let arm = model.bestFirstArm(context: s)
            var table = Table(columns: family.parameters.map(\.name) + ["arm", "bits", "trials"])
            table.rows.append(s.values.map { .number($0) } + [.text(arm.name), .text(arm.bitString), .integer(model.observationCount)])
            print(table.render(output.format))
        }
    }

    struct Effects: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per interface condition, the learned change in log10 error when it is switched on, across the parameter range.",
            discussion: """
            For each of the nine conditions: the study's posterior mean reward with the condition on minus with it off, \
            averaged over the 256 arms without it, as a change in log10 error (negative: it helps), at --points values of \
            each parameter (the others at the middle of their ranges). Prints a table and writes effects-<parameter>.png \
            (.svg or .pdf with --plot-format) to --out.
            """)

        @OptionGroup var study: StudyOptions
        @Option(help: "Values per parameter across its range.")
        var points: Int = 9
        @Option(name: [.customShort("o"), .long], help: "Output directory for the figures.")
        var out: String = "metalic-effects"
        @OptionGroup var plot: PlotFormatOption
        @OptionGroup var output: FormatOption

        func validate() throws {
            _ = try study.required()
            guard points >= 2 else { throw ValidationError("--points must be at least 2") }
        }

        func run() throws {
            let model = try study.required().open().model()
            let log = output.log()
            guard model.observationCount > 0 else { throw CLIError("the study has no completed trials yet") }
            let family = model.settings.family
            let outDir = try prepareOutputDirectory(out)
            var table = Table(columns: ["parameter", "value"] + InterfaceCondition.allCases.map(\.name))
            for k in family.parameters.indices {
                let effects = ConditionEffects(model: model, parameter: k, points: points)
                for (i, v) in effects.values.enumerated() {
                    table.rows.append([.text(effects.parameter), .number(v)] + InterfaceCondition.allCases.map { .number(effects.change[$0.rawValue][i]) })
                }
                let series = InterfaceCondition.allCases.map { c in
                    LineSeries(name: c.name, xs: effects.values, ys: effects.change[c.rawValue], color: RGB.palette[c.rawValue % RGB.palette.count])
                }
                let chart = LinePlot(title: "\(family.name): learned effect of each condition (\(model.observationCount) trials)",
                                     xLabel: effects.parameter, yLabel: "change in log10 error when switched on", series: series)
                do {
                    try LinePlot.render(chart, width: 900, height: 560).write(in: outDir, name: "effects-\(effects.parameter)", format: plot.plotFormat)
                } catch {
                    throw CLIError("cannot write to \(out): \(error.localizedDescription)")
                }
            }
            print(table.render(output.format))
            if model.settings.mode == .step { log.write("(two-stage study: effects on GP₁'s discounted target)") }
            log.write("wrote \(family.parameters.map { "\(out)/\(plot.fileName("effects-\($0.name)"))" }.joined(separator: ", "))")
        }
    }
}
