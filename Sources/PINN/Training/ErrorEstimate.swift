/// What the trained networks of one instance say about their own error, without a reference
/// solution: the parts of the PDE problem they fail to satisfy, measured on validation points
/// the training never saw (docs/ERROR-ESTIMATE.md). `value` combines them into a number on the
/// scale of a relative error, which studies of a family without a reference solution reward.
public struct ErrorEstimate: Sendable, Codable, Hashable {
    /// RMS of the PDE residual N[û] over the domain (area-weighted across subdomains).
    public var residual: Double
    /// RMS of the data mismatch: û − g on the Dirichlet edges, û(lower) − û(upper) across periodic pairs.
    public var data: Double
    /// RMS of the jump û₁ − û₂ of neighbouring networks on the interfaces.
    public var interface: Double
    /// RMS of the jump of the flux (`PDEFamily.flux`) on the interfaces. Recorded, not part of `value`.
    public var flux: Double
    /// RMS of the Dirichlet data g on the validation edge points (0 without Dirichlet data).
    public var dataScale: Double
    /// RMS of û over the domain (area-weighted), the scale when the data vanish.
    public var solutionScale: Double
    /// Extent of the domain along y (t): the time over which a residual accumulates into an error of u.
    public var timeSpan: Double

    public init(residual: Double, data: Double, interface: Double, flux: Double, dataScale: Double, solutionScale: Double, timeSpan: Double) {
        self.residual = residual
        self.data = data
        self.interface = interface
        self.flux = flux
        self.dataScale = dataScale
        self.solutionScale = solutionScale
        self.timeSpan = timeSpan
    }

    /// The scale the mismatches are divided by: the data's RMS, else the prediction's, else 1.
    public var scale: Double {
        if dataScale > 1e-8 { return dataScale }
        if solutionScale > 1e-8 { return solutionScale }
        return 1
    }

    /// (data + interface + timeSpan · residual) / scale — the shape of the stability bound of an
    /// evolution equation, ‖u − û‖ ≲ ‖data error‖ + T ‖N[û]‖ (docs/ERROR-ESTIMATE.md). NaN if
    /// the networks produce NaN (`cappedError` then counts it as 100, like a true error).
    public var value: Double { (data + interface + timeSpan * residual) / scale }
}
