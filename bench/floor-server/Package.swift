// swift-tools-version: 6.0
// The "floor" for the Woow benchmark: a bare Hummingbird 2 server with no application code, so that
// `bench/run` can measure in the same run what the HTTP stack alone achieves on this machine.
import PackageDescription

let package = Package(
    name: "FloorServer",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "floor-server", targets: ["FloorServer"])],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "FloorServer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
    ]
)
