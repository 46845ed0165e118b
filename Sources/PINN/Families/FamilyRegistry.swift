/// The PDE families a program knows, by name: the built-in ones, plus any a user adds
/// (`FamilyRegistry(FamilyRegistry.builtIn + [MyFamily()])`).
public struct FamilyRegistry: Sendable {
    /// The families metalic ships.
    public static let builtIn: [any PDEFamily] = [
        AdvectionFamily(), ReactionFamily(), HeatFamily(), BurgersFamily(), KdVFamily(), PoissonFamily(),
    ]

    /// The built-in families.
    public static let standard = FamilyRegistry(checked: builtIn)

    public let families: [any PDEFamily]

    /// - Throws: `FamilyError.duplicateFamily` if two families share a name (names are lower-case
    ///   identifiers a command line and a study file refer to).
    public init(_ families: [any PDEFamily]) throws {
        var seen = Set<String>()
        for f in families {
            guard seen.insert(f.name.lowercased()).inserted else { throw FamilyError.duplicateFamily(f.name) }
        }
        self.init(checked: families)
    }

    private init(checked families: [any PDEFamily]) {
        self.families = families
    }

    public var names: [String] { families.map(\.name) }

    /// - Throws: `FamilyError.unknownFamily` with the list of known names.
    public func family(named name: String) throws -> any PDEFamily {
        guard let f = families.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw FamilyError.unknownFamily(name, known: names)
        }
        return f
    }
}
