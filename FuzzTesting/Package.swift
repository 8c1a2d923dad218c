// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the wire parsers: SDP, ICE candidates, STUN, TURN ChannelData, DCEP,
// RTP/RTCP header views, the RTP/RTCP packet layer, SRTP unprotect, and the media payload depacketizers.
//
// The engine directories under `Sources/` are symlinks to the main package's `Sources/…`:
// compiling the same files as targets of this package gives the fuzz executables `package`
// access without widening anything in the main package. `WebRTCDCEP` is a directory holding
// symlinks to just `WebRTCSCTP/DCEP.swift` and `DataChannelTypes.swift`, so the DCEP codec is
// fuzzed without usrsctp. See README.md.
let entryPoint: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "swift-webrtc-fuzz",
    targets: [
        .systemLibrary(name: "CWebRTCOpenSSL", pkgConfig: "openssl"),
        .systemLibrary(name: "CWebRTCSRTP", pkgConfig: "libsrtp2"),
        .target(name: "WebRTCCore"),
        .target(name: "WebRTCSDP", dependencies: ["WebRTCCore"]),
        .target(name: "WebRTCSTUN", dependencies: ["WebRTCCore", "CWebRTCOpenSSL"]),
        .target(name: "WebRTCSRTP", dependencies: ["WebRTCCore", "CWebRTCSRTP"]),
        .target(name: "WebRTCDCEP", dependencies: ["WebRTCCore"]),
        .target(name: "WebRTCRTP", dependencies: ["WebRTCCore"]),
        .target(name: "WebRTCPayload", dependencies: ["WebRTCCore"]),
        .target(name: "FuzzSupport"),
        // -parse-as-library: no Swift `main`; each target defines `<module>_main` for libFuzzer.
        .executableTarget(name: "fuzz-sdp", dependencies: ["WebRTCSDP"], swiftSettings: entryPoint),
        .executableTarget(name: "fuzz-candidate", dependencies: ["WebRTCSDP"], swiftSettings: entryPoint),
        .executableTarget(name: "fuzz-stun", dependencies: ["WebRTCSTUN", "WebRTCCore", "FuzzSupport"], swiftSettings: entryPoint),
        .executableTarget(name: "fuzz-channeldata", dependencies: ["WebRTCSTUN", "FuzzSupport"], swiftSettings: entryPoint),
        .executableTarget(name: "fuzz-dcep", dependencies: ["WebRTCDCEP", "FuzzSupport"], swiftSettings: entryPoint),
        .executableTarget(name: "fuzz-rtp", dependencies: ["WebRTCSRTP", "WebRTCRTP", "WebRTCCore", "FuzzSupport"], swiftSettings: entryPoint),
        .executableTarget(name: "fuzz-rtcp", dependencies: ["WebRTCRTP", "WebRTCCore", "FuzzSupport"], swiftSettings: entryPoint),
        .executableTarget(name: "fuzz-srtp", dependencies: ["WebRTCSRTP", "FuzzSupport"], swiftSettings: entryPoint),
        .executableTarget(name: "fuzz-depacketize", dependencies: ["WebRTCPayload", "FuzzSupport"], swiftSettings: entryPoint),
    ],
    swiftLanguageModes: [.v6]
)
