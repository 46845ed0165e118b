// swift-tools-version: 6.0
// A package of your own that runs the complete `metalic` command line with one more PDE family.
//
//     swift run -c release my-metalic families
//     swift run -c release my-metalic meta-train decay --storage sqlite:///decay.db --rounds 20
import PackageDescription

let package = Package(
    name: "custom-family",
    platforms: [.macOS(.v15)],
    dependencies: [
        // In your project: .package(url: "https://…/metalic.git", from: "0.3.0")
        .package(name: "metalic", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "my-metalic", dependencies: [
            .product(name: "MetalicCLI", package: "metalic"),
            .product(name: "PINN", package: "metalic"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)
