import Testing
@testable import WebRTCSDP

/// RFC 8839 §5.1 field sizes and the parser's own bounds on candidate lines.
@Suite struct CandidateBoundsTests {
    static let base = "candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host"

    /// (text, words the error reason must contain)
    static let oversized: [(String, String)] = [
        ("candidate:1 000001 udp 1 192.0.2.1 5 typ host", "component"),        // component-id is 1*5DIGIT
        ("candidate:1 1 udp 00000000001 192.0.2.1 5 typ host", "priority"),    // priority is 1*10DIGIT
        ("candidate:1 1 udp 1 192.0.2.1 000005 typ host", "port"),            // port is 1*5DIGIT
        ("candidate:" + String(repeating: "a", count: 33) + " 1 udp 1 192.0.2.1 5 typ host", "foundation"),
        (base + " x-pad " + String(repeating: "p", count: 480), "longer than 512"),
        (base + String(repeating: " k v", count: 17), "more than 16 extension"),
    ]

    @Test(arguments: 0..<oversized.count)
    func rejectsOversizedFields(_ index: Int) {
        let (text, reason) = Self.oversized[index]
        do {
            _ = try CandidateAttribute.parse(text)
            Issue.record("accepted: \(text.prefix(80))")
        } catch {
            #expect(error.line == 1)
            #expect(error.reason.contains(reason), "reason: \(error.reason)")
        }
    }

    @Test func acceptsTheLargestAllowed() throws {
        let sixteen = try CandidateAttribute.parse(Self.base + String(repeating: " k v", count: 16))
        #expect(sixteen.extensions.count == 16)
        let five = try CandidateAttribute.parse("candidate:1 00001 udp 4294967295 192.0.2.1 65535 typ host")
        #expect(five.component == 1 && five.priority == UInt32.max)
        // Exactly 512 bytes after "candidate:".
        let prefix = Self.base.dropFirst("candidate:".count) + " x-pad "
        let padded = String(prefix) + String(repeating: "p", count: 512 - prefix.utf8.count)
        #expect(padded.utf8.count == 512)
        #expect(try CandidateAttribute.parse("candidate:" + padded).extensions.count == 1)
    }

    @Test func boundsHoldInsideASessionDescription() throws {
        func sdp(pairs: Int) -> String {
            let line = "a=" + Self.base + String(repeating: " k v", count: pairs)
            return "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n\(line)\r\n"
        }
        _ = try SessionDescription.parse(sdp(pairs: 16))
        do {
            _ = try SessionDescription.parse(sdp(pairs: 17))
            Issue.record("17 extension pairs accepted")
        } catch {
            #expect(error.line == 7 && error.reason.contains("more than 16 extension"), "\(error)")
        }
    }
}
