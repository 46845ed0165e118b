/// The families metalic ships, by name.
public enum FamilyRegistry {
    public static let all: [any PDEFamily] = [
        AdvectionFamily(), ReactionFamily(), HeatFamily(), BurgersFamily(), KdVFamily(), PoissonFamily(),
    ]

    public static var names: [String] { all.map(\.name) }

    /// - Throws: `FamilyError.unknownFamily` with the list of known names.
    public static func family(named name: String) throws -> any PDEFamily {
        guard let f = all.first(where: { $0.name == name.lowercased() }) else {
            throw FamilyError.unknownFamily(name, known: names)
        }
        return f
    }
}
