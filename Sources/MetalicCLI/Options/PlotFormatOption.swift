import ArgumentParser
import Plotting

extension PlotFormat: ExpressibleByArgument {}

/// `--plot-format`, shared by every command that draws figures.
struct PlotFormatOption: ParsableArguments {
    @Option(help: "Format of the figures: png (default), svg or pdf.")
    var plotFormat: PlotFormat = .png

    /// A figure's file name in this format, e.g. "loss" → "loss.svg".
    func fileName(_ base: String) -> String { plotFormat.fileName(base) }
}
