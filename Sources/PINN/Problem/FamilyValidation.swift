import Foundation
import ReferenceSolvers

/// A mistake in a family's definition, found before any training: the family, what is wrong,
/// and how to fix it, on one line.
///
/// A family is code a user writes against `PDEFamily` (see docs/FAMILIES.md); its mistakes
/// are reported as this error by `PDEFamily.validate(_:)`, which `XPINNSolver` runs first.
public struct PDEFamilyError: Error, Equatable, CustomStringConvertible {
    /// The part of the family that is wrong.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// `name` is empty.
        case name
        /// `parameters`: empty, a name given twice or unusable on the command line, a range that is not finite.
        case parameters
        /// `defaultParameters` does not match `parameters`, or lies outside the ranges.
        case defaultParameters
        /// The instance's values do not match `parameters`, or lie outside the ranges.
        case parameterValues
        /// A function of the family reads a parameter name it does not declare.
        case unknownParameter
        /// `domain` is not a finite 2-D box with lower < upper.
        case domain
        /// `periodicAxis` is not nil, 0 or 1.
        case periodicAxis
        /// `decomposition`: bad cuts, no subdomains, pieces outside the domain, overlapping or leaving gaps.
        case decomposition
        /// An interface: missing subdomains, no lines, a bad normal axis, points off the border of its subdomains.
        case interface
        /// A derivative the residual, flux or a periodic condition reads: wrong dimension, negative or too high an order.
        case derivative
        /// A known field of the residual or flux: wrong dimension or not finite in the domain.
        case knownField
        /// `conditions`: none, an edge or axis the domain lacks, an empty or contradictory periodic condition, non-finite data.
        case conditions
        /// The reference solution's grid: too small, not increasing, outside the domain, not finite.
        case referenceSolution
    }

    public let family: String
    public let kind: Kind
    /// What is wrong.
    public let problem: String
    /// How to fix it.
    public let fix: String

    public init(family: String, kind: Kind, problem: String, fix: String) {
        self.family = family
        self.kind = kind
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "family '\(family)': \(problem). Fix: \(fix)." }
}

extension PDEFamily {
    /// Checks the family's definition and one instance of it (`parameters`, default
    /// `defaultParameters`) and throws a `PDEFamilyError` for the first mistake found.
    ///
    /// Checked: the name; the parameter list (non-empty, distinct usable names, finite ranges);
    /// `defaultParameters` and the instance against it; the domain; `periodicAxis`; the
    /// decomposition (cuts, pieces inside the domain, no overlap, full cover, interfaces on the
    /// border of both their subdomains, one normal axis per interface); the residual, the flux
    /// for every normal axis of the interfaces and the conditions, evaluated once with values
    /// that record every parameter name read that the family does not declare; the derivatives
    /// they read (2-D, orders the engine computes); known fields and Dirichlet data finite on a
    /// few points of the domain and edges; periodic conditions on an existing axis, with
    /// derivatives, agreeing with `periodicAxis`.
    ///
    /// The reference solution is not computed here (it may be expensive):
    /// `validatedReferenceSolution(_:)` computes and checks it, as `XPINNSolver` does.
    public func validate(_ parameters: ParameterValues? = nil) throws {
        try FamilyValidator(family: self).validate(parameters)
    }

    /// The reference solution of an instance, computed with values that record unknown
    /// parameter names, and its grid checked against the domain; nil if the family has none.
    /// - Throws: `PDEFamilyError`, or what `referenceSolution` throws.
    public func validatedReferenceSolution(_ s: ParameterValues) throws -> GridSolution? {
        let validator = FamilyValidator(family: self)
        guard let grid = try validator.probing("referenceSolution(_:)", s, { try referenceSolution($0) }) else { return nil }
        try validator.checkReferenceGrid(grid)
        return grid
    }
}

/// The checks of `PDEFamily.validate`, in the order they run.
struct FamilyValidator {
    let family: any PDEFamily

    /// Highest derivative order the jet engine computes (`JetPropagator`).
    static var maximumOrder: Int { TanhTaylorCoefficients.maxOrder - 1 }

    func failure(_ kind: PDEFamilyError.Kind, _ problem: String, _ fix: String) -> PDEFamilyError {
        PDEFamilyError(family: family.name, kind: kind, problem: problem, fix: fix)
    }

    func validate(_ given: ParameterValues?) throws {
        guard !family.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw failure(.name, "the name is empty", "give the family the name users type, e.g. let name = \"diffusion\"")
        }
        try checkParameterList()
        try checkValues(family.defaultParameters, kind: .defaultParameters, source: "defaultParameters")
        let s = given ?? family.defaultParameters
        if given != nil { try checkValues(s, kind: .parameterValues, source: "the instance") }
        let domain = family.domain
        try checkDomain(domain)
        if let axis = family.periodicAxis, axis != 0 && axis != 1 {
            throw failure(.periodicAxis, "periodicAxis is \(axis), an axis the 2-D domain does not have",
                          "return nil, 0 (x) or 1 (y) from periodicAxis")
        }
        let decomposition = family.decomposition
        try checkDecomposition(decomposition, domain: domain)

        let inside = probePoints(domain)
        // Known fields are evaluated inside the probes: their closures may read parameters. An
        // unknown name is reported before any other problem the placeholder value may cause.
        try probing("residual(_:)", s) { s in
            let r = family.residual(s)
            // The gres interface condition reads the residual differentiated once more.
            try checkDerivatives(r.derivatives, "the residual", maximumOrder: Self.maximumOrder - 1,
                                 orderReason: "the gres interface condition differentiates the residual once more")
            try checkFields(of: r, "the residual", at: inside)
            try checkFields(of: r.differentiated(along: 0), "the x-derivative of the residual (read by the gres condition)", at: inside)
            try checkFields(of: r.differentiated(along: 1), "the y-derivative of the residual (read by the gres condition)", at: inside)
        }
        for axis in Set(decomposition.interfaces.flatMap { $0.lines.map(\.normalAxis) }).sorted() {
            try probing("flux(_:normalAxis: \(axis))", s) { s in
                let f = family.flux(s, normalAxis: axis)
                let what = "the flux across lines \(axisName(axis)) = const"
                try checkDerivatives(f.derivatives, what, maximumOrder: Self.maximumOrder)
                try checkFields(of: f, what, at: inside)
            }
        }
        try probing("conditions(_:)", s) { s in try checkConditions(family.conditions(s), domain: domain) }
    }

    // MARK: Parameters

    func checkParameterList() throws {
        let parameters = family.parameters
        guard !parameters.isEmpty else {
            throw failure(.parameters, "parameters is empty: a family is indexed by at least one parameter",
                          "declare one, e.g. FamilyParameter(\"kappa\", 0.1...1, \"diffusivity\") (a single problem can use a one-point range, 1...1)")
        }
        var seen = Set<String>()
        for p in parameters {
            if p.name.isEmpty || p.name.contains(where: { $0.isWhitespace || $0 == "=" || $0 == "," }) {
                throw failure(.parameters, "the parameter name '\(p.name)' is empty or contains a space, '=' or ','",
                              "use a name users can type in --param name=value, e.g. \"kappa\"")
            }
            if !seen.insert(p.name).inserted {
                throw failure(.parameters, "parameters declares '\(p.name)' twice", "declare each parameter once")
            }
            if !p.range.lowerBound.isFinite || !p.range.upperBound.isFinite {
                throw failure(.parameters, "parameter '\(p.name)' has the range \(p.range), which is not finite",
                              "give finite bounds: instances are drawn from the range and the default is its middle")
            }
        }
    }

    func checkValues(_ s: ParameterValues, kind: PDEFamilyError.Kind, source: String) throws {
        let declared = family.parameters.map(\.name)
        let make = kind == .defaultParameters ? "return try! parameterValues([...]) from defaultParameters"
                                              : "make the instance with this family's parameterValues([...])"
        guard s.names == declared, s.values.count == declared.count else {
            throw failure(kind, "\(source) has the parameters [\(s.names.joined(separator: ", "))] but the family declares [\(declared.joined(separator: ", "))]", make)
        }
        for (p, v) in zip(family.parameters, s.values) where !v.isFinite || !p.range.contains(v) {
            throw failure(kind, "\(source) has \(p.name) = \(formatParameter(v)), outside its range [\(formatParameter(p.range.lowerBound)), \(formatParameter(p.range.upperBound))]",
                          kind == .defaultParameters ? "choose a default inside every range" : "choose a value inside the range (or widen the range in parameters)")
        }
    }

    /// Runs `body` with values that record unknown parameter names, then throws for the first one.
    func probing<T>(_ function: String, _ s: ParameterValues, _ body: (ParameterValues) throws -> T) throws -> T {
        let probe = ParameterProbe()
        let result: T
        do {
            result = try body(s.probing(probe))
        } catch {
            // A placeholder value may have caused the error; the unknown name is the news.
            if let name = probe.unknownNames.first { throw unknownParameter(name, in: function) }
            throw error
        }
        if let name = probe.unknownNames.first { throw unknownParameter(name, in: function) }
        return result
    }

    func unknownParameter(_ name: String, in function: String) -> PDEFamilyError {
        let declared = family.parameters.map(\.name)
        let near = declared.filter { editDistance($0, name) <= max(1, min($0.count, name.count) / 3) }
        let suggestion = near.isEmpty ? "" : "write '\(near[0])', or "
        return failure(.unknownParameter,
                       "\(function) reads the parameter '\(name)', which the family does not declare (parameters: \(declared.joined(separator: ", ")))",
                       "\(suggestion)declare FamilyParameter(\"\(name)\", range) in parameters")
    }

    // MARK: Domain and decomposition

    func checkDomain(_ domain: Box) throws {
        guard domain.lower.count == 2, domain.upper.count == 2 else {
            throw failure(.domain, "the domain \(domain) does not have two coordinates",
                          "families are 2-D: Box(lower: [x0, y0], upper: [x1, y1])")
        }
        guard domain.isValid(dimension: 2) else {
            throw failure(.domain, "the domain \(domain) is empty or not finite", "give finite bounds with lower < upper on both axes")
        }
    }

    /// Absolute tolerance for positions in the domain.
    func tolerance(_ domain: Box) -> Double {
        1e-9 * zip(domain.lower, domain.upper).map { max(abs($0), abs($1), $1 - $0) }.reduce(1, max)
    }

    func checkDecomposition(_ d: Decomposition, domain: Box) throws {
        if let (problem, fix) = d.definitionError { throw failure(.decomposition, problem, fix) }
        guard !d.subdomains.isEmpty else {
            throw failure(.decomposition, "the decomposition has no subdomains",
                          "give at least one, e.g. .strips(of: domain, along: 1, cuts: [0.5], interfacePoints: 101)")
        }
        let tol = tolerance(domain)
        var pieces = [(subdomain: Int, piece: Int, box: Box)]()
        for (i, sub) in d.subdomains.enumerated() {
            guard !sub.pieces.isEmpty else {
                throw failure(.decomposition, "subdomain \(i) has no pieces", "give every subdomain at least one box")
            }
            for (k, box) in sub.pieces.enumerated() {
                guard box.isValid(dimension: 2) else {
                    throw failure(.decomposition, "piece \(k) of subdomain \(i), \(box), is not a 2-D box with finite bounds and lower < upper",
                                  "give each piece lower < upper on both axes")
                }
                guard (0..<2).allSatisfy({ box.lower[$0] >= domain.lower[$0] - tol && box.upper[$0] <= domain.upper[$0] + tol }) else {
                    throw failure(.decomposition, "piece \(k) of subdomain \(i), \(box), extends outside the domain \(domain)",
                                  "keep every piece inside the domain")
                }
                pieces.append((i, k, box))
            }
        }
        for a in pieces.indices {
            for b in pieces.indices where b > a {
                let (p, q) = (pieces[a].box, pieces[b].box)
                let overlap = (0..<2).map { min(p.upper[$0], q.upper[$0]) - max(p.lower[$0], q.lower[$0]) }
                if overlap.allSatisfy({ $0 > tol }) {
                    let which = pieces[a].subdomain == pieces[b].subdomain
                        ? "pieces \(pieces[a].piece) and \(pieces[b].piece) of subdomain \(pieces[a].subdomain)"
                        : "subdomains \(pieces[a].subdomain) and \(pieces[b].subdomain)"
                    throw failure(.decomposition, "\(which) overlap (\(p) and \(q))", "let pieces meet only along their edges")
                }
            }
        }
        func area(_ b: Box) -> Double { (b.upper[0] - b.lower[0]) * (b.upper[1] - b.lower[1]) }
        let covered = pieces.reduce(0) { $0 + area($1.box) }, total = area(domain)
        if abs(covered - total) > 1e-9 * total {
            throw failure(.decomposition, "the subdomains cover \(formatParameter(100 * covered / total))% of the domain's area: part of the domain has no network",
                          "make the pieces tile the domain \(domain)")
        }
        for (k, interface) in d.interfaces.enumerated() {
            try checkInterface(k, interface, d, tolerance: tol)
        }
    }

    func checkInterface(_ k: Int, _ interface: Interface, _ d: Decomposition, tolerance tol: Double) throws {
        let (a, b) = (interface.first, interface.second)
        let label = "interface \(k) (subdomains \(a) and \(b))"
        for i in [a, b] where !d.subdomains.indices.contains(i) {
            throw failure(.interface, "\(label) refers to subdomain \(i), and there are \(d.subdomains.count)",
                          "number subdomains from 0 in the order of decomposition.subdomains")
        }
        guard a != b else {
            throw failure(.interface, "\(label) joins a subdomain to itself", "an interface is between two different subdomains")
        }
        guard let first = interface.lines.first else {
            throw failure(.interface, "\(label) has no lines", "give it the line(s) where the two subdomains meet")
        }
        for line in interface.lines {
            guard line.normalAxis == 0 || line.normalAxis == 1 else {
                throw failure(.interface, "\(label) has a line with normalAxis \(line.normalAxis)",
                              "use normalAxis 0 for a line x = const, 1 for a line y = const")
            }
            guard line.normalAxis == first.normalAxis else {
                throw failure(.interface, "\(label) mixes lines normal to x and to y: its flux condition uses one normal",
                              "make one interface per direction (two interfaces may join the same subdomains)")
            }
            guard !line.along.isEmpty else {
                throw failure(.interface, "\(label) has a line \(axisName(line.normalAxis)) = \(line.position) without points",
                              "give the line points, e.g. along: linspace(0, 1, 101)")
            }
            let points = line.points
            for p in stride(from: 0, to: points.count, by: 2) {
                let point = [points[p], points[p + 1]]
                for i in [a, b] where !d.subdomains[i].pieces.contains(where: { $0.contains(point, tolerance: tol) }) {
                    throw failure(.interface, "\(label): the point (\(point[0]), \(point[1])) of its line \(axisName(line.normalAxis)) = \(line.position) is not on subdomain \(i)",
                                  "put interface lines where the two subdomains meet")
                }
            }
        }
    }

    // MARK: Expressions

    func checkDerivatives(_ derivatives: Set<MultiIndex>, _ what: String, maximumOrder: Int, orderReason: String? = nil) throws {
        for m in derivatives.sorted(by: { $0.orders.lexicographicallyPrecedes($1.orders) }) {
            guard m.dimension == 2 else {
                throw failure(.derivative, "\(what) reads the derivative \(m.orders) of a function of \(m.dimension) variables",
                              "write 2-D derivatives: .value() for u, .u(.xy(1, 0)) for u_x, .u(.xy(0, 2)) for u_yy")
            }
            guard m.orders.allSatisfy({ $0 >= 0 }) else {
                throw failure(.derivative, "\(what) reads the derivative with orders \(m.orders)", "derivative orders are 0 or more")
            }
            guard m.order <= maximumOrder else {
                let reason = orderReason.map { "; \($0)" } ?? ""
                throw failure(.derivative, "\(what) reads \(m), of order \(m.order); the engine computes derivatives up to order \(Self.maximumOrder)\(reason)",
                              "keep \(what) at order \(maximumOrder) or less")
            }
        }
    }

    /// A few points strictly inside the domain (known fields need not be finite on its edges).
    func probePoints(_ domain: Box) -> [[Double]] {
        let fractions = [0.13, 0.5, 0.87]
        return fractions.flatMap { fx in fractions.map { fy in
            [domain.lower[0] + fx * (domain.upper[0] - domain.lower[0]), domain.lower[1] + fy * (domain.upper[1] - domain.lower[1])]
        } }
    }

    func checkFields(of e: DerivativeExpression, _ what: String, at points: [[Double]]) throws {
        for field in e.fields {
            guard field.order.dimension == 2 else {
                throw failure(.knownField, "\(what) has the known field '\(field.name)' of dimension \(field.order.dimension)",
                              "make it with KnownField(name:dimension: 2) { point, alpha in … }")
            }
            for p in points {
                let v = field.value(at: p)
                guard v.isFinite else {
                    let derivative = field.order.isZero ? "" : " (its derivative \(field.order.orders))"
                    throw failure(.knownField, "\(what) has the known field '\(field.name)'\(derivative) equal to \(v) at (\(p[0]), \(p[1]))",
                                  "return finite values for every point of the domain and every derivative the expression needs")
                }
            }
        }
    }

    // MARK: Conditions

    func checkConditions(_ conditions: [BoundaryCondition], domain: Box) throws {
        guard !conditions.isEmpty else {
            throw failure(.conditions, "conditions(_:) returns no condition: no data ties the networks to one solution",
                          "return the initial and boundary data (.dirichlet) and any periodicity (.periodic)")
        }
        for condition in conditions {
            switch condition {
            case .dirichlet(let edge, let value):
                guard edge.axis == 0 || edge.axis == 1 else {
                    throw failure(.conditions, "a .dirichlet condition is on the edge of axis \(edge.axis), and the 2-D domain has axes 0 (x) and 1 (y)",
                                  "use .left, .right, .bottom, .top or Edge(axis: 0 or 1, side: …)")
                }
                let position = edge.side == .lower ? domain.lower[edge.axis] : domain.upper[edge.axis]
                let along = 1 - edge.axis
                for f in [0, 0.25, 0.5, 0.75, 1] {
                    let a = domain.lower[along] + f * (domain.upper[along] - domain.lower[along])
                    let point = edge.axis == 0 ? [position, a] : [a, position]
                    let v = value(point)
                    guard v.isFinite else {
                        throw failure(.conditions, "the .dirichlet value on the \(edgeName(edge)) edge is \(v) at (\(point[0]), \(point[1]))",
                                      "return finite values on the whole edge")
                    }
                }
            case .periodic(let axis, let derivatives):
                guard axis == 0 || axis == 1 else {
                    throw failure(.conditions, "a .periodic condition is on axis \(axis), and the 2-D domain has axes 0 (x) and 1 (y)",
                                  "use .periodic(axis: 0, …) for x or .periodic(axis: 1, …) for y")
                }
                if let declared = family.periodicAxis, declared != axis {
                    throw failure(.conditions, "a .periodic condition makes u periodic in \(axisName(axis)), but periodicAxis says the family is periodic in \(axisName(declared))",
                                  "make periodicAxis and the .periodic conditions name the same axis")
                }
                guard !derivatives.isEmpty else {
                    throw failure(.conditions, "the .periodic condition in \(axisName(axis)) lists no derivatives, so it enforces nothing",
                                  "list what must match on the two edges, e.g. derivatives: [.xy(0, 0)] for u")
                }
                try checkDerivatives(Set(derivatives), "the .periodic condition in \(axisName(axis))", maximumOrder: Self.maximumOrder)
            }
        }
    }

    func edgeName(_ edge: Edge) -> String {
        switch (edge.axis, edge.side) {
        case (0, .lower): return "left (x = lower)"
        case (0, .upper): return "right (x = upper)"
        case (1, .lower): return "bottom (y = lower)"
        case (1, .upper): return "top (y = upper)"
        default: return "axis \(edge.axis)"
        }
    }

    // MARK: Reference solution

    func checkReferenceGrid(_ grid: GridSolution) throws {
        let domain = family.domain
        let tol = tolerance(domain)
        for (axis, coordinates) in [grid.x, grid.y].enumerated() {
            let name = axisName(axis)
            guard coordinates.count >= 2 else {
                throw failure(.referenceSolution, "the reference grid has \(coordinates.count) point(s) in \(name)",
                              "give the grid at least two points per axis")
            }
            guard coordinates.allSatisfy(\.isFinite), zip(coordinates, coordinates.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw failure(.referenceSolution, "the reference grid's \(name) coordinates are not finite and increasing",
                              "list the grid's \(name) coordinates in increasing order")
            }
            guard coordinates[0] >= domain.lower[axis] - tol, coordinates[coordinates.count - 1] <= domain.upper[axis] + tol else {
                throw failure(.referenceSolution, "the reference grid spans [\(coordinates[0]), \(coordinates[coordinates.count - 1])] in \(name), outside the domain's [\(domain.lower[axis]), \(domain.upper[axis])]",
                              "compute the reference on points of the domain")
            }
            if family.periodicAxis == axis && coordinates[coordinates.count - 1] >= domain.upper[axis] - tol {
                throw failure(.referenceSolution, "the reference grid is periodic in \(name) (periodicAxis) but includes the upper end \(domain.upper[axis]), the same point as the lower end",
                              "omit the upper end, as a Fourier grid does, or return nil from periodicAxis")
            }
        }
        guard grid.values.count == grid.x.count * grid.y.count else {
            throw failure(.referenceSolution, "the reference grid has \(grid.values.count) values for \(grid.x.count) × \(grid.y.count) points",
                          "give one value per grid point, values[i * y.count + j] = u(x[i], y[j])")
        }
        if let k = grid.values.firstIndex(where: { !$0.isFinite }) {
            let (i, j) = (k / grid.y.count, k % grid.y.count)
            throw failure(.referenceSolution, "the reference solution is \(grid.values[k]) at (\(grid.x[i]), \(grid.y[j]))",
                          "return finite values (the error is measured against them)")
        }
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let (a, b) = (Array(a), Array(b))
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(b.count, 1) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
