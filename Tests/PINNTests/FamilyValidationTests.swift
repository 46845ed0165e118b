import XCTest
import Foundation
import PINN
import ReferenceSolvers

/// The diffusion family of `CustomFamilyTests` with every part replaceable, so that each test
/// can get one part wrong. The flux is the protocol's default.
struct EditableFamily: PDEFamily {
    var name = "diffusion"
    let equation = "u_t = kappa u_xx, u(x,0) = sin(pi x), u(0,t) = u(1,t) = 0"
    var parameters = [FamilyParameter("kappa", 0.1...1, "diffusivity")]
    var domain = Box(lower: [0, 0], upper: [1, 0.5])
    var periodicAxis: Int? = nil
    /// nil: two strips cut at t = 0.25.
    var customDecomposition: Decomposition?
    /// nil: the middle of the range.
    var customDefault: ParameterValues?
    var residualBody: @Sendable (ParameterValues) -> DerivativeExpression = { s in .u(.xy(0, 1)) - s["kappa"] * .u(.xy(2, 0)) }
    var conditionsBody: @Sendable (ParameterValues) -> [BoundaryCondition] = { _ in
        [.dirichlet(.bottom) { sin(.pi * $0[0]) }, .dirichlet(.left) { _ in 0 }, .dirichlet(.right) { _ in 0 }]
    }
    var referenceBody: @Sendable (ParameterValues) throws -> GridSolution = { s in
        let kappa = s["kappa"]
        return GridSolution(x: linspace(0, 1, 21), y: linspace(0, 0.5, 21)) { x, t in exp(-kappa * .pi * .pi * t) * sin(.pi * x) }
    }

    var decomposition: Decomposition { customDecomposition ?? .strips(of: domain, along: 1, cuts: [0.25], interfacePoints: 11) }
    var defaultParameters: ParameterValues {
        customDefault ?? (try! parameterValues(Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.range.lowerBound) })))
    }
    func residual(_ s: ParameterValues) -> DerivativeExpression { residualBody(s) }
    func conditions(_ s: ParameterValues) -> [BoundaryCondition] { conditionsBody(s) }
    func referenceSolution(_ s: ParameterValues) throws -> GridSolution? { try referenceBody(s) }
}

/// `EditableFamily` with a flux of its own.
struct FluxFamily: PDEFamily {
    var base = EditableFamily()
    var fluxBody: @Sendable (ParameterValues, Int) -> DerivativeExpression

    var name: String { base.name }
    var equation: String { base.equation }
    var parameters: [FamilyParameter] { base.parameters }
    var domain: Box { base.domain }
    var decomposition: Decomposition { base.decomposition }
    func residual(_ s: ParameterValues) -> DerivativeExpression { base.residual(s) }
    func flux(_ s: ParameterValues, normalAxis: Int) -> DerivativeExpression { fluxBody(s, normalAxis) }
    func conditions(_ s: ParameterValues) -> [BoundaryCondition] { base.conditions(s) }
    func referenceSolution(_ s: ParameterValues) throws -> GridSolution? { try base.referenceSolution(s) }
}

/// Every mistake `PDEFamily.validate` knows is reported as a `PDEFamilyError` of the right kind,
/// with a message naming the family, the culprit and a fix.
final class FamilyValidationTests: XCTestCase {
    /// Asserts that `body` throws a `PDEFamilyError` of `kind` whose one-line message contains every fragment.
    func assertFamilyError(_ kind: PDEFamilyError.Kind, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                           _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("no error; expected \(kind) with \(fragments)", file: file, line: line)
        } catch let error as PDEFamilyError {
            let message = "\(error)"
            XCTAssertEqual(error.kind, kind, message, file: file, line: line)
            XCTAssertFalse(message.contains("\n"), "not one line: \(message)", file: file, line: line)
            XCTAssertTrue(message.hasPrefix("family '\(error.family)': "), message, file: file, line: line)
            XCTAssertTrue(message.contains(". Fix: "), message, file: file, line: line)
            for f in fragments { XCTAssertTrue(message.contains(f), "'\(f)' missing from: \(message)", file: file, line: line) }
        } catch {
            XCTFail("\(error) is not a PDEFamilyError", file: file, line: line)
        }
    }

    func assertInvalid(_ family: any PDEFamily, _ kind: PDEFamilyError.Kind, _ fragments: [String],
                       file: StaticString = #filePath, line: UInt = #line) {
        assertFamilyError(kind, fragments, file: file, line: line) { try family.validate() }
    }

    /// Options that make an `XPINNSolver` cheap.
    var tiny: TrainingOptions {
        var options = TrainingOptions(adamIterations: 20, lbfgsIterations: 0)
        options.hiddenWidths = [6]
        options.sampling = SamplingConfiguration(collocationPoints: 30, boundaryPoints: 12, periodicPoints: 8)
        options.errorEvery = 0
        return options
    }

    // MARK: The valid families

    func testShippedFamiliesAndTheEditableFamilyPass() throws {
        for family in FamilyRegistry.builtIn { XCTAssertNoThrow(try family.validate(), family.name) }
        let family = EditableFamily()
        XCTAssertNoThrow(try family.validate(family.parameterValues(["kappa": 0.5])))
        XCTAssertNoThrow(try family.validatedReferenceSolution(family.defaultParameters))
        for family in [AdvectionFamily(), HeatFamily()] as [any PDEFamily] {
            XCTAssertNoThrow(try family.validatedReferenceSolution(family.defaultParameters), family.name)
        }
    }

    // MARK: Parameter names the family does not declare

    /// The measured failure: a residual reading a misspelled name trained silently in release
    /// builds. Now the solver refuses it before computing anything.
    func testMisspelledParameterInTheResidualStopsTheSolver() {
        var family = EditableFamily()
        family.residualBody = { s in .u(.xy(0, 1)) - s["kapa"] * .u(.xy(2, 0)) }
        let fragments = ["'diffusion'", "residual(_:)", "'kapa'", "parameters: kappa", "write 'kappa'"]
        assertInvalid(family, .unknownParameter, fragments)
        assertFamilyError(.unknownParameter, fragments) {
            _ = try XPINNSolver(family: family, parameters: family.defaultParameters, options: tiny)
        }
    }

    func testUnknownParameterInAKnownFieldOfTheResidualIsReported() {
        var family = EditableFamily()
        family.residualBody = { s in
            .u(.xy(0, 1)) - s["kappa"] * .u(.xy(2, 0)) - .field(KnownField(name: "source", dimension: 2) { _, _ in s["amplitude"] })
        }
        assertInvalid(family, .unknownParameter, ["residual(_:)", "'amplitude'", "parameters: kappa", "declare FamilyParameter(\"amplitude\""])
    }

    func testUnknownParameterInTheFluxIsReported() {
        let family = FluxFamily(fluxBody: { s, axis in s["nu"] * .u(.unit(axis, dimension: 2)) })
        assertInvalid(family, .unknownParameter, ["flux(_:normalAxis: 1)", "'nu'"])
    }

    func testUnknownParameterInConditionsOrBoundaryDataIsReported() {
        var family = EditableFamily()
        family.conditionsBody = { s in [.dirichlet(.bottom) { s["amplitude"] * sin(.pi * $0[0]) }, .dirichlet(.left) { _ in 0 }] }
        assertInvalid(family, .unknownParameter, ["conditions(_:)", "'amplitude'"])
        // A value read only near one end of an edge escapes the probe points; the sampled points catch it.
        family.conditionsBody = { s in [.dirichlet(.bottom) { $0[0] > 0.01 && $0[0] < 0.24 ? s["amplitude"] : 0 }] }
        XCTAssertNoThrow(try family.validate())
        assertFamilyError(.unknownParameter, ["a .dirichlet value", "'amplitude'"]) {
            _ = try XPINNSolver(family: family, parameters: family.defaultParameters, options: tiny)
        }
    }

    func testUnknownParameterInTheReferenceSolutionIsReportedByTheSolver() {
        var family = EditableFamily()
        family.referenceBody = { s in GridSolution(x: linspace(0, 1, 5), y: linspace(0, 0.5, 5)) { x, t in s["kapa"] * x * t } }
        XCTAssertNoThrow(try family.validate())    // not computed by validate: it may be expensive
        assertFamilyError(.unknownParameter, ["referenceSolution(_:)", "'kapa'"]) {
            _ = try XPINNSolver(family: family, parameters: family.defaultParameters, options: tiny)
        }
        // The unknown name is reported even when the placeholder value makes the solver fail.
        family.referenceBody = { s in
            if s["steps"] < 2 { throw NSError(domain: "test", code: 1) }
            return GridSolution(x: [0, 1], y: [0, 0.5]) { _, _ in 1 }
        }
        assertFamilyError(.unknownParameter, ["'steps'"]) { _ = try family.validatedReferenceSolution(family.defaultParameters) }
    }

    // MARK: Parameters and their values

    func testEmptyParameterListIsReported() {
        var family = EditableFamily()
        family.parameters = []
        family.customDefault = try? family.parameterValues([:])
        family.residualBody = { _ in .u(.xy(0, 1)) - .u(.xy(2, 0)) }
        assertInvalid(family, .parameters, ["'diffusion'", "parameters is empty"])
    }

    func testDuplicateOrUnusableParameterNamesAreReported() {
        var family = EditableFamily()
        family.parameters = [FamilyParameter("kappa", 0.1...1), FamilyParameter("kappa", 0.1...1)]
        family.customDefault = try? EditableFamily().parameterValues(["kappa": 0.5])
        assertInvalid(family, .parameters, ["declares 'kappa' twice"])
        family.parameters = [FamilyParameter("kappa", 0.1...1), FamilyParameter("wave speed", 1...2)]
        assertInvalid(family, .parameters, ["'wave speed'", "--param name=value"])
    }

    func testNonFiniteParameterRangeIsReported() {
        var family = EditableFamily()
        family.parameters = [FamilyParameter("kappa", 0.1...Double.infinity)]
        family.customDefault = try? EditableFamily().parameterValues(["kappa": 0.5])
        assertInvalid(family, .parameters, ["'kappa'", "not finite"])
    }

    func testDefaultParametersOfAnotherFamilyOrOutsideTheRangeAreReported() throws {
        var family = EditableFamily()
        family.customDefault = AdvectionFamily().defaultParameters
        assertInvalid(family, .defaultParameters, ["[beta]", "declares [kappa]"])
        family.parameters = [FamilyParameter("kappa", 0.1...0.2)]
        family.customDefault = try EditableFamily().parameterValues(["kappa": 0.5])
        assertInvalid(family, .defaultParameters, ["kappa = 0.5", "[0.1, 0.2]"])
        // The protocol's default (the middle of the ranges) is made without trapping, even for a broken list.
        struct Middle: PDEFamily {
            let name = "middle", equation = ""
            let parameters = [FamilyParameter("a", 0...1), FamilyParameter("a", 0...1)]
            let domain = Box(lower: [0, 0], upper: [1, 1])
            var decomposition: Decomposition { .strips(of: domain, along: 1, cuts: [], interfacePoints: 2) }
            func residual(_ s: ParameterValues) -> DerivativeExpression { .u(.xy(0, 1)) }
            func conditions(_ s: ParameterValues) -> [BoundaryCondition] { [.dirichlet(.bottom) { _ in 0 }] }
            func referenceSolution(_ s: ParameterValues) throws -> GridSolution? { GridSolution(x: [0, 1], y: [0, 1]) { _, _ in 0 } }
        }
        XCTAssertEqual(Middle().defaultParameters.values, [0.5, 0.5])
        assertInvalid(Middle(), .parameters, ["'middle'", "declares 'a' twice"])
    }

    func testInstanceValuesOfAnotherFamilyOrOutsideTheRangeAreReported() throws {
        let family = EditableFamily()
        assertFamilyError(.parameterValues, ["the instance has the parameters [beta]", "parameterValues"]) {
            _ = try XPINNSolver(family: family, parameters: AdvectionFamily().defaultParameters, options: tiny)
        }
        // Decoding skips the range check of parameterValues(_:).
        let decoded = try JSONDecoder().decode(ParameterValues.self, from: Data(#"{"names":["kappa"],"values":[5]}"#.utf8))
        assertFamilyError(.parameterValues, ["kappa = 5", "[0.1, 1]"]) { try family.validate(decoded) }
        let valid = try JSONDecoder().decode(ParameterValues.self, from: Data(#"{"names":["kappa"],"values":[0.5]}"#.utf8))
        XCTAssertNoThrow(try family.validate(valid))
        XCTAssertEqual(valid, try family.parameterValues(["kappa": 0.5]))
        // Values whose shortest form is an integer print as one (not with its zeros stripped).
        XCTAssertEqual(try AdvectionFamily().parameterValues(["beta": 10.000000000000002]).description, "beta=10")
        XCTAssertEqual(try AdvectionFamily().parameterValues(["beta": 20.5]).description, "beta=20.5")
    }

    func testEmptyNameIsReported() {
        var family = EditableFamily()
        family.name = " "
        assertInvalid(family, .name, ["the name is empty"])
    }

    // MARK: Domain

    func testDomainThatIsNotAFinite2DBoxIsReported() {
        var family = EditableFamily()
        family.domain = Box(lower: [0, 0, 0], upper: [1, 1, 1])
        assertInvalid(family, .domain, ["does not have two coordinates"])
        family.domain = Box(lower: [0, 0.5], upper: [1, 0.5])
        assertInvalid(family, .domain, ["is empty or not finite"])
        family.domain = Box(lower: [0, 0], upper: [.infinity, 1])
        assertInvalid(family, .domain, ["is empty or not finite"])
    }

    func testPeriodicAxisTheDomainLacksIsReported() {
        var family = EditableFamily()
        family.periodicAxis = 2
        assertInvalid(family, .periodicAxis, ["periodicAxis is 2"])
    }

    // MARK: Decomposition

    func testCutsOutsideTheDomainAreReported() {
        var family = EditableFamily()
        family.customDecomposition = .strips(of: family.domain, along: 1, cuts: [0.25, 0.7], interfacePoints: 11)
        assertInvalid(family, .decomposition, ["'diffusion'", "the cut 0.7 is outside", "(0.0, 0.5) along y"])
        family.customDecomposition = .strips(of: family.domain, along: 0, cuts: [0], interfacePoints: 11)
        assertInvalid(family, .decomposition, ["the cut 0.0 is outside"])
        family.customDecomposition = .strips(of: family.domain, along: 0, cuts: [.nan], interfacePoints: 11)
        assertInvalid(family, .decomposition, ["the cut nan is outside"])
    }

    func testCutsNotIncreasingOrDuplicatedAreReported() {
        var family = EditableFamily()
        family.customDecomposition = .strips(of: family.domain, along: 0, cuts: [0.6, 0.3], interfacePoints: 11)
        assertInvalid(family, .decomposition, ["cuts are not increasing", "[0.3, 0.6]"])
        family.customDecomposition = .strips(of: family.domain, along: 0, cuts: [0.3, 0.3], interfacePoints: 11)
        assertInvalid(family, .decomposition, ["the cut 0.3 is given twice"])
    }

    func testStripsAlongAMissingAxisOrWithTooFewInterfacePointsAreReported() {
        var family = EditableFamily()
        family.customDecomposition = .strips(of: family.domain, along: 2, cuts: [0.3], interfacePoints: 11)
        assertInvalid(family, .decomposition, ["axis 2 does not exist"])
        family.customDecomposition = .strips(of: family.domain, along: 0, cuts: [0.3], interfacePoints: 1)
        assertInvalid(family, .decomposition, ["1 interface points", "interfacePoints ≥ 2"])
        family.customDecomposition = .strips(of: family.domain, along: 0, cuts: [0.3], interfacePoints: 1, excludeUpperEndpoint: true)
        XCTAssertNoThrow(try family.validate())
    }

    func testSubdomainsThatOverlapLeaveGapsOrLeaveTheDomainAreReported() {
        var family = EditableFamily()
        let line = InterfaceLine(normalAxis: 0, position: 0.5, along: linspace(0, 0.5, 5))
        func split(_ a: Box, _ b: Box) -> Decomposition {
            Decomposition(subdomains: [Subdomain(pieces: [a]), Subdomain(pieces: [b])], interfaces: [Interface(between: 0, and: 1, lines: [line])])
        }
        family.customDecomposition = split(Box(lower: [0, 0], upper: [0.6, 0.5]), Box(lower: [0.5, 0], upper: [1, 0.5]))
        assertInvalid(family, .decomposition, ["subdomains 0 and 1 overlap"])
        family.customDecomposition = split(Box(lower: [0, 0], upper: [0.5, 0.5]), Box(lower: [0.5, 0], upper: [0.9, 0.5]))
        assertInvalid(family, .decomposition, ["cover 90% of the domain"])
        family.customDecomposition = split(Box(lower: [0, 0], upper: [0.5, 0.5]), Box(lower: [0.5, 0], upper: [1.2, 0.5]))
        assertInvalid(family, .decomposition, ["piece 0 of subdomain 1", "extends outside the domain"])
        family.customDecomposition = split(Box(lower: [0, 0], upper: [0.5, 0.5]), Box(lower: [1, 0], upper: [0.5, 0.5]))
        assertInvalid(family, .decomposition, ["piece 0 of subdomain 1", "lower < upper"])
        family.customDecomposition = Decomposition(subdomains: [], interfaces: [])
        assertInvalid(family, .decomposition, ["no subdomains"])
        family.customDecomposition = Decomposition(subdomains: [Subdomain(pieces: [])], interfaces: [])
        assertInvalid(family, .decomposition, ["subdomain 0 has no pieces"])
        family.customDecomposition = split(Box(lower: [0, 0], upper: [0.5, 0.5]), Box(lower: [0.5, 0], upper: [1, 0.5]))
        XCTAssertNoThrow(try family.validate())
    }

    func testInterfacesThatDoNotJoinTheirSubdomainsAreReported() {
        var family = EditableFamily()
        let halves = [Subdomain(pieces: [Box(lower: [0, 0], upper: [0.5, 0.5])]), Subdomain(pieces: [Box(lower: [0.5, 0], upper: [1, 0.5])])]
        func with(_ interface: Interface) -> Decomposition { Decomposition(subdomains: halves, interfaces: [interface]) }
        let good = InterfaceLine(normalAxis: 0, position: 0.5, along: linspace(0, 0.5, 5))
        family.customDecomposition = with(Interface(between: 0, and: 2, lines: [good]))
        assertInvalid(family, .interface, ["refers to subdomain 2, and there are 2"])
        family.customDecomposition = with(Interface(between: 1, and: 1, lines: [good]))
        assertInvalid(family, .interface, ["joins a subdomain to itself"])
        family.customDecomposition = with(Interface(between: 0, and: 1, lines: []))
        assertInvalid(family, .interface, ["interface 0 (subdomains 0 and 1) has no lines"])
        family.customDecomposition = with(Interface(between: 0, and: 1, lines: [InterfaceLine(normalAxis: 3, position: 0.5, along: [0.1])]))
        assertInvalid(family, .interface, ["normalAxis 3"])
        family.customDecomposition = with(Interface(between: 0, and: 1, lines: [good, InterfaceLine(normalAxis: 1, position: 0.25, along: [0.5])]))
        assertInvalid(family, .interface, ["mixes lines normal to x and to y"])
        family.customDecomposition = with(Interface(between: 0, and: 1, lines: [InterfaceLine(normalAxis: 0, position: 0.5, along: [])]))
        assertInvalid(family, .interface, ["without points"])
        family.customDecomposition = with(Interface(between: 0, and: 1, lines: [InterfaceLine(normalAxis: 0, position: 0.4, along: [0.1, 0.2])]))
        assertInvalid(family, .interface, ["the point (0.4, 0.1)", "is not on subdomain 1"])
        family.customDecomposition = with(Interface(between: 0, and: 1, lines: [InterfaceLine(normalAxis: 0, position: 0.5, along: [0.1, 0.7])]))
        assertInvalid(family, .interface, ["the point (0.5, 0.7)", "is not on subdomain 0"])
    }

    // MARK: Expressions

    func testDerivativesOfTheWrongDimensionNegativeOrTooHighAnOrderAreReported() {
        var family = EditableFamily()
        family.residualBody = { _ in .u(.xy(0, 1)) - .u(MultiIndex([2, 0, 0])) }
        assertInvalid(family, .derivative, ["the residual reads the derivative [2, 0, 0]", "3 variables"])
        family.residualBody = { _ in .u(.xy(0, 1)) - .u(.xy(-1, 0)) }
        assertInvalid(family, .derivative, ["orders [-1, 0]"])
        family.residualBody = { _ in .u(.xy(0, 1)) + .u(.xy(5, 0)) }
        assertInvalid(family, .derivative, ["the residual reads u_xxxxx, of order 5", "gres", "order 4 or less"])
        family.residualBody = { _ in .u(.xy(0, 1)) + .u(.xy(4, 0)) }
        XCTAssertNoThrow(try family.validate())
        let flux = FluxFamily(fluxBody: { _, _ in .u(.xy(0, 6)) })
        assertInvalid(flux, .derivative, ["the flux across lines y = const reads u_yyyyyy, of order 6", "order 5 or less"])
        family = EditableFamily()
        family.conditionsBody = { _ in [.dirichlet(.bottom) { _ in 0 }, .periodic(axis: 0, derivatives: [.xy(6, 0)])] }
        assertInvalid(family, .derivative, ["the .periodic condition in x reads u_xxxxxx"])
    }

    func testKnownFieldsOfTheWrongDimensionOrNotFiniteAreReported() {
        var family = EditableFamily()
        family.residualBody = { _ in .u(.xy(0, 1)) - .field(KnownField(name: "g", dimension: 3) { _, _ in 1 }) }
        assertInvalid(family, .knownField, ["known field 'g' of dimension 3"])
        family.residualBody = { _ in .u(.xy(0, 1)) - .field(KnownField(name: "g", dimension: 2) { p, _ in 1 / (p[0] - 0.5) }) }
        assertInvalid(family, .knownField, ["the residual has the known field 'g' equal to inf at (0.5, "])
        // The gres condition differentiates fields too.
        family.residualBody = { _ in .u(.xy(0, 1)) - .field(KnownField(name: "g", dimension: 2) { _, alpha in alpha.isZero ? 1 : .nan }) }
        assertInvalid(family, .knownField, ["x-derivative of the residual", "its derivative [1, 0]"])
    }

    // MARK: Conditions

    func testMissingConditionsAreReported() {
        var family = EditableFamily()
        family.conditionsBody = { _ in [] }
        assertInvalid(family, .conditions, ["returns no condition"])
    }

    func testDirichletDataOnAnEdgeTheDomainLacksOrNotFiniteIsReported() {
        var family = EditableFamily()
        family.conditionsBody = { _ in [.dirichlet(Edge(axis: 2, side: .lower)) { _ in 0 }] }
        assertInvalid(family, .conditions, ["edge of axis 2"])
        family.conditionsBody = { _ in [.dirichlet(.right) { p in p[1] > 0.3 ? .nan : 0 }] }
        assertInvalid(family, .conditions, ["the .dirichlet value on the right (x = upper) edge is nan at (1.0, 0.375)"])
    }

    func testPeriodicConditionsOnAMissingAxisEmptyOrAgainstPeriodicAxisAreReported() {
        var family = EditableFamily()
        family.conditionsBody = { _ in [.dirichlet(.bottom) { _ in 0 }, .periodic(axis: 2, derivatives: [.xy(0, 0)])] }
        assertInvalid(family, .conditions, ["a .periodic condition is on axis 2"])
        family.conditionsBody = { _ in [.dirichlet(.bottom) { _ in 0 }, .periodic(axis: 0, derivatives: [])] }
        assertInvalid(family, .conditions, ["lists no derivatives"])
        family.conditionsBody = { _ in [.dirichlet(.bottom) { _ in 0 }, .periodic(axis: 1, derivatives: [.xy(0, 0)])] }
        family.periodicAxis = 0
        family.referenceBody = { _ in GridSolution(x: linspace(0, 0.95, 20), y: linspace(0, 0.5, 5)) { _, _ in 1 } }
        assertInvalid(family, .conditions, ["periodic in y, but periodicAxis says the family is periodic in x"])
        family.conditionsBody = { _ in [.dirichlet(.bottom) { _ in 0 }, .periodic(axis: 0, derivatives: [.xy(0, 0)])] }
        XCTAssertNoThrow(try family.validate())
    }

    // MARK: Reference solution

    func testReferenceGridsThatDoNotFitTheDomainAreReported() {
        var family = EditableFamily()
        let s = family.defaultParameters
        func reference(_ x: [Double], _ y: [Double], _ u: @escaping @Sendable (Double, Double) -> Double = { _, _ in 1 }) {
            family.referenceBody = { _ in GridSolution(x: x, y: y, u) }
        }
        reference(linspace(0, 1, 11), linspace(0, 1, 11))
        assertFamilyError(.referenceSolution, ["spans [0.0, 1.0] in y", "[0.0, 0.5]"]) { _ = try family.validatedReferenceSolution(s) }
        reference([0, 0.5, 0.4, 1], linspace(0, 0.5, 3))
        assertFamilyError(.referenceSolution, ["x coordinates are not finite and increasing"]) { _ = try family.validatedReferenceSolution(s) }
        reference([0.5], linspace(0, 0.5, 3))
        assertFamilyError(.referenceSolution, ["1 point(s) in x"]) { _ = try family.validatedReferenceSolution(s) }
        reference(linspace(0, 1, 3), linspace(0, 0.5, 3)) { x, _ in x > 0.7 ? .nan : x }
        assertFamilyError(.referenceSolution, ["the reference solution is nan at (1.0, 0.0)"]) { _ = try family.validatedReferenceSolution(s) }
        family.conditionsBody = { _ in [.dirichlet(.bottom) { _ in 0 }, .periodic(axis: 0, derivatives: [.xy(0, 0)])] }
        family.periodicAxis = 0
        reference(linspace(0, 1, 11), linspace(0, 0.5, 3))
        assertFamilyError(.referenceSolution, ["periodic in x (periodicAxis) but includes the upper end 1.0"]) {
            _ = try XPINNSolver(family: family, parameters: s, options: tiny)
        }
        reference(linspace(0, 0.9, 10), linspace(0, 0.5, 3))
        XCTAssertNoThrow(try family.validatedReferenceSolution(s))
    }
}
