/// A failure while running a command, printed as one line (`Error: …`) with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
