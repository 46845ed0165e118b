extension ProductKernel {
    /// The reference METALIC kernel (docs/BANDITS.md): exp(−‖s − s'‖²/ℓ) · exp(λ m(a, a')) with
    /// ℓ = e^θ₁ on the continuous slice and λ = e^θ₂ on the arm bits, no amplitude.
    /// Its log-parameters are (θ₁, θ₂) in that order.
    public static func reference(continuous: Range<Int>, bits: Range<Int>,
                                 logLengthScale: Double = 0, logWeight: Double = 0) -> ProductKernel {
        ProductKernel(RBFKernel(dimensions: continuous, logLengthScale: logLengthScale),
                      CategoricalKernel(dimensions: bits, logWeight: logWeight))
    }
}
