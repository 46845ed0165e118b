import ArgumentParser

/// `--format`, shared by every command that prints rows.
struct FormatOption: ParsableArguments {
    @Option(help: "table (default), json or csv. With json or csv, progress goes to stderr and stdout holds only the result.")
    var format: OutputFormat = .table

    /// Progress lines: on stdout for people, on stderr when stdout carries JSON or CSV.
    func log(quiet: Bool = false, unitName: String = "trainings") -> ProgressLog {
        ProgressLog(toStandardError: format != .table, quiet: quiet, unitName: unitName)
    }
}

/// `--quiet`, shared by the long commands (meta-train, evaluate, landscape).
struct QuietFlag: ParsableArguments {
    @Flag(help: "No progress lines: print only the result (and errors).")
    var quiet = false
}
