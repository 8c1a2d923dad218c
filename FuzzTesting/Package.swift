// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the SDP and ICE candidate parsers.
//
// `Sources/WebRTCSDP` is a symlink to the main package's `Sources/WebRTCSDP`: the module has no
// dependencies, and compiling it inside this package gives the fuzz targets `package` access
// without widening anything in the main package. See README.md.
let entryPoint: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "swift-webrtc-fuzz",
    targets: [
        .target(name: "WebRTCSDP"),
        // -parse-as-library: no Swift `main`; libFuzzer's main (from -sanitize=fuzzer) runs instead.
        .executableTarget(name: "fuzz-sdp", dependencies: ["WebRTCSDP"], swiftSettings: entryPoint),
        .executableTarget(name: "fuzz-candidate", dependencies: ["WebRTCSDP"], swiftSettings: entryPoint),
    ],
    swiftLanguageModes: [.v6]
)
