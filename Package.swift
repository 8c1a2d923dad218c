// swift-tools-version: 6.1
import PackageDescription

// Engines below the sans-IO line depend on WebRTCCore and their C module only.
// Only `WebRTC` (the public W3C surface) imports SwiftNIO.
let package = Package(
    name: "swift-webrtc",
    products: [
        .library(name: "WebRTC", targets: ["WebRTC"]),
        .library(name: "WebRTCTesting", targets: ["WebRTCTesting"]),
        .executable(name: "webrtc-peer", targets: ["webrtc-peer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // C libraries (system packages, see Makefile `deps`).
        .systemLibrary(name: "CWebRTCOpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CWebRTCSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        // No pkgConfig: usrsctp.pc adds -DINET -DINET6, which SwiftPM rejects; the header does not need them.
        .systemLibrary(name: "CWebRTCUsrsctp", providers: [.apt(["libusrsctp-dev"])]),
        .target(name: "CWebRTCShims", dependencies: ["CWebRTCOpenSSL"]),

        // Sans-IO engines.
        .target(name: "WebRTCCore", dependencies: [.product(name: "DequeModule", package: "swift-collections")]),
        .target(name: "WebRTCSDP", dependencies: ["WebRTCCore"]),
        .target(name: "WebRTCSTUN", dependencies: ["WebRTCCore", "CWebRTCShims"]),
        .target(name: "WebRTCICE", dependencies: ["WebRTCCore", "WebRTCSTUN", "WebRTCSDP", "CWebRTCShims", "CWebRTCOpenSSL"]),
        .target(name: "WebRTCDTLS", dependencies: ["WebRTCCore", "CWebRTCShims", "CWebRTCOpenSSL"]),
        .target(name: "WebRTCSRTP", dependencies: ["WebRTCCore", "CWebRTCSRTP"]),
        .target(name: "WebRTCSCTP", dependencies: ["WebRTCCore", "CWebRTCUsrsctp"]),
        .target(name: "WebRTCRTP", dependencies: ["WebRTCCore"]),
        .target(name: "WebRTCTestSupport", dependencies: ["WebRTCCore"]),
        .target(name: "WebRTCPayload", dependencies: ["WebRTCCore"]),

        // The connection engine: JSEP, the ICE → DTLS → SCTP chain, states, channels (sans-IO).
        .target(name: "WebRTCEngine", dependencies: ["WebRTCCore", "WebRTCSDP", "WebRTCICE", "WebRTCDTLS", "WebRTCSCTP"]),

        // Public surface.
        .target(name: "WebRTC", dependencies: [
            "WebRTCCore", "WebRTCEngine", "WebRTCSDP", "WebRTCICE", "WebRTCDTLS", "WebRTCSCTP",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .target(name: "WebRTCTesting", dependencies: ["WebRTC"]),
        .executableTarget(name: "webrtc-peer", dependencies: [
            "WebRTC", "CWebRTCOpenSSL", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "webrtc-bench-srtp", dependencies: [
            "WebRTCSRTP", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/srtp/swift"),
        .executableTarget(name: "webrtc-bench", dependencies: [
            "WebRTC", "WebRTCTesting", "WebRTCSDP", "WebRTCSTUN", "WebRTCDTLS", "WebRTCSCTP", "WebRTCCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/inprocess", exclude: ["README.md"]),

        // Tests.
        .testTarget(name: "WebRTCCoreTests", dependencies: ["WebRTCCore"]),
        .testTarget(name: "WebRTCSDPTests", dependencies: ["WebRTCSDP"], resources: [.copy("../Fixtures")]),
        .testTarget(name: "WebRTCSTUNTests", dependencies: ["WebRTCSTUN"]),
        .testTarget(name: "WebRTCICETests", dependencies: ["WebRTCICE", "WebRTCTestSupport"]),
        .testTarget(name: "WebRTCDTLSTests", dependencies: ["WebRTCDTLS", "WebRTCTestSupport"]),
        .testTarget(name: "WebRTCSRTPTests", dependencies: ["WebRTCSRTP"]),
        .testTarget(name: "WebRTCRTPTests", dependencies: ["WebRTCRTP"]),
        .testTarget(name: "WebRTCPayloadTests", dependencies: ["WebRTCPayload", "WebRTCCore"]),
        .testTarget(name: "WebRTCSCTPTests", dependencies: ["WebRTCSCTP", "WebRTCDTLS", "WebRTCTestSupport"]),
        .testTarget(name: "WebRTCEngineTests", dependencies: ["WebRTCEngine", "WebRTCTestSupport", "WebRTCCore", "WebRTCICE", "WebRTCDTLS", "WebRTCSCTP", "WebRTCSDP"]),
        .testTarget(name: "WebRTCTests", dependencies: ["WebRTC", "WebRTCTesting", "WebRTCTestSupport", "WebRTCCore", "WebRTCICE", "WebRTCSTUN", "WebRTCSCTP"]),
    ],
    swiftLanguageModes: [.v6]
)
