// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Release builds of the numerical kernels are what users run; bounds checks stay on in debug.
/// On x86-64 the kernels target AVX2/FMA (Haswell, 2013, and later): the elementwise Taylor
/// arithmetic is twice as fast with 4-wide vectors. `METALIC_PORTABLE=1 swift build` targets
/// baseline x86-64 instead.
#if arch(x86_64)
let cpuFlags = ProcessInfo.processInfo.environment["METALIC_PORTABLE"] == nil ? ["-target-cpu", "haswell"] : []
#else
let cpuFlags: [String] = []
#endif
let numerics: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"] + cpuFlags, .when(configuration: .release))]

let package = Package(
    name: "metalic",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "metalic", targets: ["metalic"]),
        .library(name: "PINN", targets: ["PINN"]),
        .library(name: "GaussianProcess", targets: ["GaussianProcess"]),
        .library(name: "Bandit", targets: ["Bandit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries, found through pkg-config (installed by scripts/setup.sh).
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The spin-wait hint for the fork-join pool (x86 `pause`, Arm `yield`).
        .target(name: "CPUPause"),

        // Shared numerics: dense linear algebra on BLAS/LAPACK, and the optimizers.
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "CLAPACKE"], swiftSettings: numerics),
        .target(name: "Optimization", swiftSettings: numerics),
        // Seeded random numbers and Latin hypercube designs, shared by PINN sampling and the bandits.
        .target(name: "Sampling", swiftSettings: numerics),

        // Classical solvers that produce the reference solutions of the PDE families.
        .target(name: "ReferenceSolvers", dependencies: ["LinearAlgebra"], swiftSettings: numerics),
        // Multi-domain PINNs: networks, exact input derivatives, losses, families, training.
        .target(name: "PINN", dependencies: ["CPUPause", "LinearAlgebra", "Optimization", "Sampling", "ReferenceSolvers"], swiftSettings: numerics),
        // Gaussian-process regression and the METALIC bandits (independent of PINN).
        .target(name: "GaussianProcess", dependencies: ["LinearAlgebra", "Optimization", "Sampling"], swiftSettings: numerics),
        .target(name: "Bandit", dependencies: ["GaussianProcess", "LinearAlgebra", "Sampling"], swiftSettings: numerics),

        // The persistent record of a meta-training study (SQLite), and PNG charts.
        .target(name: "StudyStore", dependencies: ["CSQLite"]),
        .target(name: "Plotting", swiftSettings: numerics),

        .executableTarget(name: "metalic", dependencies: [
            "PINN", "Bandit", "StudyStore", "Plotting",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "pinn-benchmark", dependencies: ["PINN", "LinearAlgebra"],
                          path: "benchmarks/PINNBenchmark", swiftSettings: numerics),
        .executableTarget(name: "accuracy-benchmark", dependencies: ["PINN", "LinearAlgebra"],
                          path: "benchmarks/AccuracyBenchmark", swiftSettings: numerics),
        .executableTarget(name: "export-problem", dependencies: ["PINN", "LinearAlgebra"],
                          path: "benchmarks/ExportProblem", swiftSettings: numerics),
        .executableTarget(name: "training-benchmark", dependencies: ["PINN", "LinearAlgebra"],
                          path: "benchmarks/TrainingBenchmark", swiftSettings: numerics),
        .executableTarget(name: "kdv-convergence", dependencies: ["ReferenceSolvers"],
                          path: "benchmarks/KdVConvergence", swiftSettings: numerics),
        .executableTarget(name: "gp-benchmark", dependencies: ["GaussianProcess", "Bandit", "Sampling"], path: "benchmarks/GPBenchmark", swiftSettings: numerics),

        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "OptimizationTests", dependencies: ["Optimization"]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling"]),
        .testTarget(name: "ReferenceSolversTests", dependencies: ["ReferenceSolvers"]),
        .testTarget(name: "PINNTests", dependencies: ["PINN", "Optimization", "Sampling", "LinearAlgebra"]),
        .testTarget(name: "GaussianProcessTests", dependencies: ["GaussianProcess", "Sampling"], exclude: ["reference_values.py"]),
        .testTarget(name: "BanditTests", dependencies: ["Bandit", "Sampling"]),
        .testTarget(name: "StudyStoreTests", dependencies: ["StudyStore"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        // End-to-end tests of the `metalic` binary.
        .testTarget(name: "metalicTests", dependencies: ["metalic", "StudyStore"]),
    ],
    swiftLanguageModes: [.v5]
)
