import Foundation

/// Reads files from Tests/Fixtures, which SwiftPM copies into the test bundle
/// (`resources: [.copy("../Fixtures")]`); falls back to the source tree via `#filePath`.
enum Fixtures {
    static let root: URL = {
        if let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) { return url }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
    }()

    /// (file name, contents) of every file in `subdirectory`, sorted by name.
    static func files(_ subdirectory: String, ext: String? = nil) -> [(name: String, text: String)] {
        let dir = root.appendingPathComponent(subdirectory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().compactMap { name in
            if let ext, !name.hasSuffix("." + ext) { return nil }
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) else { return nil }
            return (name, String(decoding: data, as: UTF8.self))
        }
    }

    /// Every real-world SDP fixture.
    static var sdps: [(name: String, text: String)] { files("sdp", ext: "sdp") }

    /// Names of the SDP fixtures, for `@Test(arguments:)`.
    static var sdpNames: [String] { sdps.map(\.name) }

    static func sdp(_ name: String) -> String {
        sdps.first(where: { $0.name == name })?.text ?? ""
    }
}
