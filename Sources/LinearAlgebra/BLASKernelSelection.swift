import CBLAS
import Foundation

/// Which OpenBLAS kernels run, and a fix for OpenBLAS not recognising the CPU.
///
/// Debian's OpenBLAS picks its kernels from the CPU model at load time. On CPUs it does not know
/// (common on virtual machines), it falls back to "Prescott" SSE3 kernels, which run these small
/// GEMMs at half the speed of its AVX2 ("Haswell") kernels, and a quarter of the speed of its
/// AVX-512 ("SkylakeX") kernels, whose small-matrix path suits the PINN layers. The choice can
/// only be changed through the environment before the library loads, so an executable that
/// wants the fast kernels re-executes itself once with OPENBLAS_CORETYPE set.
public enum BLASKernelSelection {
    /// The name of the OpenBLAS kernel set in use, e.g. "Haswell" or "Prescott".
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// Re-executes the current process with OPENBLAS_CORETYPE=SkylakeX (AVX-512) or Haswell
    /// (AVX2 and FMA) when OpenBLAS fell back to generic kernels on a CPU that has those
    /// instructions. Returns (without doing anything) when OPENBLAS_CORETYPE is already set — the
    /// machine's owner decided — or METALIC_KEEP_BLAS_CORE is set, or the kernels are not generic,
    /// or the CPU has neither, or re-executing fails.
    public static func useVectorKernelsIfMisdetected() {
        let env = ProcessInfo.processInfo.environment
        guard env["OPENBLAS_CORETYPE"] == nil, env["METALIC_KEEP_BLAS_CORE"] == nil else { return }
        guard ["Prescott", "Core2", "Nehalem", "Unknown"].contains(coreName), let core = bestCore else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached if exec failed: carry on with the generic kernels.
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// The OpenBLAS kernel set for this CPU's vector instructions, or nil if it has no AVX2/FMA.
    static var bestCore: String? {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let set = Set(flags.split(separator: " ").map(String.init))
        if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(set.contains) { return "SkylakeX" }
        if set.contains("avx2") && set.contains("fma") { return "Haswell" }
        return nil
    }
}
