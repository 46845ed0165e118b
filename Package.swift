// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// On x86-64 release builds target AVX2/FMA (Haswell, 2013, and later): the elementwise Taylor
/// arithmetic is twice as fast with 4-wide vectors. `METALIC_PORTABLE=1 swift build` targets
/// baseline x86-64 instead.
#if arch(x86_64)
let cpuFlags = ProcessInfo.processInfo.environment["METALIC_PORTABLE"] == nil ? ["-target-cpu", "haswell"] : []
#else
let cpuFlags: [String] = []
#endif
/// Release builds keep Swift's runtime checks (-O): preconditions, bounds and overflow checks
/// stop a mistake instead of letting it run on as undefined behaviour.
let checked: [SwiftSetting] = [.unsafeFlags(["-O"] + cpuFlags, .when(configuration: .release))]
/// Only the jet kernels (PINNKernels) drop them (-Ounchecked): their loops index buffers whose
/// shapes are fixed when a loss is built, and with the checks they execute 15% more
/// instructions (callgrind on pinn-benchmark). Nothing there checks user input: PINN validates
/// families and training options before any kernel runs. Elsewhere -Ounchecked was measured to
/// save nothing (LinearAlgebra, Optimization: under 0.1% of a training's instructions).
let uncheckedKernels: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"] + cpuFlags, .when(configuration: .release))]

let package = Package(
    name: "metalic",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "metalic", targets: ["metalic"]),
        .library(name: "PINN", targets: ["PINN"]),
        .library(name: "GaussianProcess", targets: ["GaussianProcess"]),
        .library(name: "Bandit", targets: ["Bandit"]),
        .library(name: "MetaTraining", targets: ["MetaTraining"]),
        // The whole command line as a library, for executables that add their own families.
        .library(name: "MetalicCLI", targets: ["MetalicCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries, found through pkg-config (installed by scripts/setup.sh).
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),

        // The spin-wait hint for the fork-join pool (x86 `pause`, Arm `yield`).
        .target(name: "CPUPause"),

        // Shared numerics: dense linear algebra on BLAS/LAPACK, and the optimizers.
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "CLAPACKE"], swiftSettings: checked),
        .target(name: "Optimization", swiftSettings: checked),
        // Seeded random numbers and Latin hypercube designs, shared by PINN sampling and the bandits.
        .target(name: "Sampling", swiftSettings: checked),

        // The vocabulary every module shares: an arm of interface conditions, a PDE family's
        // parameters and one instance's values (the bandit's context).
        .target(name: "MetalicCore", dependencies: ["Sampling"], swiftSettings: checked),

        // Classical solvers that produce the reference solutions of the PDE families.
        .target(name: "ReferenceSolvers", dependencies: ["LinearAlgebra"], swiftSettings: checked),
        // The hot kernels of PINN: multi-indices, jet propagation of the networks' exact input
        // derivatives, vectorised tanh, the networks' layout (re-exported by PINN).
        .target(name: "PINNKernels", dependencies: ["LinearAlgebra", "Sampling"], swiftSettings: uncheckedKernels),
        // Multi-domain PINNs: expressions and losses, families and their validation, training.
        .target(name: "PINN", dependencies: ["MetalicCore", "CPUPause", "PINNKernels", "LinearAlgebra", "Optimization", "Sampling", "ReferenceSolvers"], swiftSettings: checked),
        // Gaussian-process regression and the METALIC bandits (independent of PINN).
        .target(name: "GaussianProcess", dependencies: ["LinearAlgebra", "Optimization", "Sampling"], swiftSettings: checked),
        .target(name: "Bandit", dependencies: ["MetalicCore", "GaussianProcess", "LinearAlgebra", "Sampling"], swiftSettings: checked),

        // The persistent record of meta-training studies (a SQLite file or a PostgreSQL server).
        .target(name: "StudyStore", dependencies: ["MetalicCore", "CSQLite", "CLibPQ"], swiftSettings: checked),
        // The METALIC loop as a library: studies (claim, plan, train, record), evaluation on new
        // instances, arm landscapes, for any PDEFamily.
        .target(name: "MetaTraining", dependencies: ["PINN", "Bandit", "StudyStore"], swiftSettings: checked),
        // Charts (heatmaps, line plots, sorted values) drawn with Cairo as PNG, SVG or PDF.
        .target(name: "Plotting", dependencies: ["CCairo"], swiftSettings: checked),

        // The command line (a library, so that executables of other packages can add families),
        // and the `metalic` executable that runs it with the built-in families.
        .target(name: "MetalicCLI", dependencies: [
            "PINN", "Bandit", "StudyStore", "MetaTraining", "Plotting",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: checked),
        .executableTarget(name: "metalic", dependencies: ["MetalicCLI"], swiftSettings: checked),
        .executableTarget(name: "pinn-benchmark", dependencies: ["PINN", "LinearAlgebra"],
                          path: "benchmarks/PINNBenchmark", swiftSettings: checked),
        .executableTarget(name: "accuracy-benchmark", dependencies: ["PINN", "LinearAlgebra"],
                          path: "benchmarks/AccuracyBenchmark", swiftSettings: checked),
        .executableTarget(name: "export-problem", dependencies: ["PINN", "LinearAlgebra"],
                          path: "benchmarks/ExportProblem", swiftSettings: checked),
        .executableTarget(name: "training-benchmark", dependencies: ["PINN", "LinearAlgebra"],
                          path: "benchmarks/TrainingBenchmark", swiftSettings: checked),
        .executableTarget(name: "kdv-convergence", dependencies: ["ReferenceSolvers"],
                          path: "benchmarks/KdVConvergence", swiftSettings: checked),
        .executableTarget(name: "gp-benchmark", dependencies: ["GaussianProcess", "Bandit", "MetalicCore", "Sampling"], path: "benchmarks/GPBenchmark", swiftSettings: checked),
        .executableTarget(name: "study-throughput", dependencies: ["StudyStore", "MetaTraining", "PINN", "Bandit", "Sampling", "LinearAlgebra"],
                          path: "benchmarks/StudyThroughput", swiftSettings: checked),
        .executableTarget(name: "reward-estimate", dependencies: ["PINN", "MetaTraining", "LinearAlgebra"],
                          path: "benchmarks/RewardEstimate", swiftSettings: checked),
        .executableTarget(name: "metalic-without-reference", dependencies: ["MetalicCLI", "PINN"],
                          path: "benchmarks/EstimateProtocol", swiftSettings: checked),

        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "OptimizationTests", dependencies: ["Optimization"]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling"]),
        .testTarget(name: "ReferenceSolversTests", dependencies: ["ReferenceSolvers"]),
        .testTarget(name: "PINNTests", dependencies: ["PINN", "Optimization", "Sampling", "LinearAlgebra"]),
        .testTarget(name: "GaussianProcessTests", dependencies: ["GaussianProcess", "Sampling"], exclude: ["reference_values.py"]),
        .testTarget(name: "BanditTests", dependencies: ["Bandit", "MetalicCore", "Sampling"]),
        .testTarget(name: "StudyStoreTests", dependencies: ["StudyStore", "MetalicCore"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "MetaTrainingTests", dependencies: ["MetaTraining", "PINN", "StudyStore", "Bandit", "Sampling"]),
        .testTarget(name: "MetalicCLITests", dependencies: ["MetalicCLI", "MetaTraining", "PINN"]),
        // End-to-end tests of the `metalic` binary.
        .testTarget(name: "metalicTests", dependencies: ["metalic", "StudyStore"]),
    ],
    swiftLanguageModes: [.v5]
)
