import CBLAS

/// Control of OpenBLAS's own thread pool.
///
/// At the matrix sizes of small PINNs and GPs a single BLAS thread is fastest; metalic
/// parallelises across subdomain networks and trials instead, so every entry point sets this
/// explicitly rather than inheriting OpenBLAS's default of one thread per core.
public enum BLASThreads {
    /// Sets the number of threads OpenBLAS uses inside one call.
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses inside one call.
    public static var count: Int { Int(openblas_get_num_threads()) }
}
