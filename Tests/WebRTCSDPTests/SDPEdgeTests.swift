import Foundation
import Testing
@testable import WebRTCSDP

@Suite struct SDPEdgeTests {
    static func sdp(_ lines: [String], _ ending: String = "\r\n") -> String {
        (["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0"] + lines).joined(separator: ending) + ending
    }

    @Test func crlfAndLFGiveTheSameModel() throws {
        for fixture in Fixtures.sdps {
            let lf = fixture.text.replacingOccurrences(of: "\r\n", with: "\n")
            let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
            #expect(try SessionDescription.parse(lf) == SessionDescription.parse(crlf), "\(fixture.name)")
        }
    }

    @Test func mixedLineEndingsAndNoFinalNewline() throws {
        let d = try SessionDescription.parse("v=0\r\no=- 1 2 IN IP4 127.0.0.1\ns=-\r\nt=0 0")
        #expect(d.timing == [SDPTiming()])
        #expect(d.serialize() == "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
    }

    @Test func trailingBlankLinesAreIgnored() throws {
        let d = try SessionDescription.parse(Self.sdp([]) + "\r\n\r\n")
        #expect(d.media.isEmpty)
    }

    @Test(arguments: [(0 as UInt16), 1, 9, 65535])
    func validPorts(port: UInt16) throws {
        let d = try SessionDescription.parse(Self.sdp(["m=audio \(port) UDP/TLS/RTP/SAVPF 111"]))
        #expect(d.media[0].port == port)
        #expect(d.media[0].isRejected == (port == 0))
    }

    @Test func port65536IsRejectedWithItsLine() {
        #expect(throws: SDPParseError.self) { try SessionDescription.parse(Self.sdp(["m=audio 65536 RTP/AVP 0"])) }
        do {
            _ = try SessionDescription.parse(Self.sdp(["m=audio 9 RTP/AVP 0", "a=rtcp:65536"]))
            Issue.record("accepted rtcp:65536")
        } catch {
            #expect(error.line == 6)
        }
    }

    @Test func portCount() throws {
        let d = try SessionDescription.parse(Self.sdp(["m=video 49170/2 RTP/AVP 31"]))
        #expect(d.media[0].port == 49170)
        #expect(d.media[0].numberOfPorts == 2)
        #expect(d.serialize().contains("m=video 49170/2 RTP/AVP 31\r\n"))
    }

    @Test func largestSessionID() throws {
        let text = "v=0\r\no=- 18446744073709551615 18446744073709551615 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        let d = try SessionDescription.parse(text)
        #expect(d.origin.sessionID == UInt64.max)
        #expect(d.origin.sessionVersion == UInt64.max)
        #expect(d.serialize() == text)
    }

    @Test func maxMessageSizeZero() throws {
        let d = try SessionDescription.parse(Self.sdp(["m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=max-message-size:0"]))
        #expect(d.media[0].maxMessageSize == 0)
        #expect(d.media[0].sctpPort == nil)
    }

    @Test func mediaSectionLimit() throws {
        let m = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel"
        let ok = try SessionDescription.parse(Self.sdp(Array(repeating: m, count: SDPLimits.maxMediaSections)))
        #expect(ok.media.count == SDPLimits.maxMediaSections)
        do {
            _ = try SessionDescription.parse(Self.sdp(Array(repeating: m, count: 2000)))
            Issue.record("accepted 2000 m-sections")
        } catch {
            #expect(error.line == 4 + SDPLimits.maxMediaSections + 1)
            #expect(error.reason.contains("m-sections"))
        }
    }

    @Test func lineLimit() {
        let lines = Array(repeating: "a=x-filler", count: SDPLimits.maxLines)
        do {
            _ = try SessionDescription.parse(Self.sdp(lines))
            Issue.record("accepted too many lines")
        } catch {
            #expect(error.line == SDPLimits.maxLines + 1)
            #expect(error.reason.contains("lines"))
        }
    }

    @Test func sizeLimit() throws {
        let big = String(repeating: "x", count: SDPLimits.maxBytes)
        do {
            _ = try SessionDescription.parse(Self.sdp(["a=x-big:" + big]))
            Issue.record("accepted > 256 KiB")
        } catch {
            #expect(error.line == 5)
            #expect(error.reason.contains("larger"))
        }
        // Just under the limit is fine.
        let fits = String(repeating: "x", count: SDPLimits.maxBytes - 200)
        #expect(try SessionDescription.parse(Self.sdp(["a=x-big:" + fits])).attributes.count == 1)
    }

    @Test func duplicateMidsAcrossSections() {
        let text = Self.sdp(["m=audio 9 RTP/AVP 0", "a=mid:a", "m=video 9 RTP/AVP 96", "a=mid:a"])
        #expect(throws: SDPParseError(line: 8, reason: "duplicate a=mid:a")) { try SessionDescription.parse(text) }
    }

    @Test func fingerprintCaseInsensitiveAndNormalised() throws {
        let hex = (0..<32).map { String(format: "%02x", $0 * 7 % 256) }.joined(separator: ":")
        let lower = try SessionDescription.parse(Self.sdp(["a=fingerprint:SHA-256 " + hex]))
        let upper = try SessionDescription.parse(Self.sdp(["a=fingerprint:sha-256 " + hex.uppercased()]))
        #expect(lower == upper)
        let fp = try #require(SDPAttributeQuery.fingerprints(lower.attributes).first)
        #expect(fp.algorithm == "sha-256")
        #expect(fp.value == hex.uppercased())
        #expect(fp.bytes == (0..<32).map { UInt8($0 * 7 % 256) })
        #expect(SDPFingerprint("sha-256 " + hex) == fp)
    }

    @Test(arguments: [("sha-1", 20), ("sha-224", 28), ("sha-256", 32), ("sha-384", 48), ("sha-512", 64)])
    func fingerprintAlgorithms(algorithm: String, length: Int) throws {
        let hex = Array(repeating: "AB", count: length).joined(separator: ":")
        #expect(SDPFingerprint("\(algorithm) \(hex)")?.bytes.count == length)
        let short = Array(repeating: "AB", count: length - 1).joined(separator: ":")
        #expect(SDPFingerprint("\(algorithm) \(short)") == nil)
    }

    @Test(arguments: SDPSetupRole.allCases)
    func setupRoles(role: SDPSetupRole) throws {
        let d = try SessionDescription.parse(Self.sdp(["m=audio 9 RTP/AVP 0", "a=setup:\(role.rawValue)"]))
        #expect(d.media[0].setup == role)
        #expect(d.setup(for: 0) == role)
    }

    @Test(arguments: SDPDirection.allCases)
    func directions(direction: SDPDirection) throws {
        let d = try SessionDescription.parse(Self.sdp(["m=audio 9 RTP/AVP 0", "a=\(direction.rawValue)"]))
        #expect(d.media[0].direction == direction)
    }

    @Test func everyRFC8866LineTypeRoundTrips() throws {
        let text = [
            "v=0", "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1", "s=Call to John Smith",
            "i=SDP Offer #1", "u=http://www.jdoe.example.com/home.html", "e=Jane Doe <jane@jdoe.example.com>",
            "p=+1 617 555-6011", "c=IN IP4 198.51.100.1", "b=AS:1000", "t=3724394400 3724398000",
            "r=7d 1h 0 25h", "t=0 0", "z=2882844526 -1h 2898848070 0", "k=prompt", "a=recvonly",
            "m=audio 49170 RTP/AVP 0", "i=voice", "c=IN IP6 2001:db8::2", "b=TIAS:64000", "k=prompt",
            "a=rtpmap:0 PCMU/8000",
            "m=video 51372 RTP/AVP 99", "a=rtpmap:99 h263-1998/90000",
        ].joined(separator: "\r\n") + "\r\n"
        let d = try SessionDescription.parse(text)
        #expect(d.serialize() == text)
        #expect(d.information == "SDP Offer #1")
        #expect(d.uri == "http://www.jdoe.example.com/home.html")
        #expect(d.emails.count == 1)
        #expect(d.phones == ["+1 617 555-6011"])
        #expect(d.connection?.address == "198.51.100.1")
        #expect(d.bandwidths == [SDPBandwidth(type: "AS", value: 1000)])
        #expect(d.timing.count == 2)
        #expect(d.timing[0].repeats == ["7d 1h 0 25h"])
        #expect(d.timeZones == "2882844526 -1h 2898848070 0")
        #expect(d.encryptionKey == "prompt")
        #expect(d.media[0].information == "voice")
        #expect(d.media[0].connection?.addressType == "IP6")
        #expect(d.media[0].bandwidths == [SDPBandwidth(type: "TIAS", value: 64000)])
        #expect(d.media[0].encryptionKey == "prompt")
    }

    @Test func typedAttributesRoundTrip() throws {
        let attrs = [
            "a=group:BUNDLE a b", "a=group:LS", "a=ice-options:trickle ice2", "a=rtcp:9", "a=rtcp:9 IN IP6 ::",
            "a=rtcp-rsize", "a=fmtp:96 apt=97", "a=fmtp:98", "a=rtcp-fb:* nack", "a=rtcp-fb:96 ccm fir",
            "a=extmap:3/sendonly urn:ietf:params:rtp-hdrext:sdes:mid", "a=extmap:4 urn:x attr1 attr2",
            "a=ssrc:4294967295 cname:abc def", "a=ssrc:1 foo", "a=ssrc-group:SIM 1 2 3", "a=rid:hi send pt=96;max-width=1280",
            "a=rid:lo recv", "a=simulcast:send hi;~mid,lo recv r0", "a=msid:stream track", "a=msid:-",
            "a=end-of-candidates", "a=x-google-flag:conference", "a=x-flag", "a=x-empty:",
            "a=extmap-allow-mixed", "a=sctp-port:0", "a=max-message-size:18446744073709551615",
        ]
        let text = Self.sdp(["m=video 9 UDP/TLS/RTP/SAVPF 96 97 98"] + attrs)
        let d = try SessionDescription.parse(text)
        #expect(d.serialize() == text)
        #expect(d.media[0].attributes.count == attrs.count)
        #expect(d.media[0].attributes.contains(.other(name: "x-flag", value: nil)))
        #expect(d.media[0].attributes.contains(.other(name: "x-empty", value: "")))
        #expect(d.media[0].attributes.contains(.simulcast(SDPSimulcast(send: [["hi"], ["~mid", "lo"]], recv: [["r0"]]))))
        #expect(d.media[0].attributes.contains(.ssrc(SDPSsrc(ssrc: UInt32.max, attribute: "cname", value: "abc def"))))
        let fmtp = try #require(d.media[0].attributes.compactMap { if case .fmtp(let f) = $0 { f } else { nil } }.first)
        #expect(fmtp.parameterList.map(\.key) == ["apt"])
    }

    @Test func normalisationIsStable() throws {
        // Extra spaces and lower-case hex are accepted; the output is canonical and stable.
        let text = Self.sdp(["m=audio  9  RTP/AVP  0", "a=setup:ACTPASS", "a=rtcp-fb:0   nack   pli", "a=msid-semantic:WMS  a"], "\n")
        let d = try SessionDescription.parse(text)
        let out = d.serialize()
        #expect(out.contains("m=audio 9 RTP/AVP 0\r\n"))
        #expect(out.contains("a=setup:actpass\r\n"))
        #expect(out.contains("a=rtcp-fb:0 nack pli\r\n"))
        #expect(out.contains("a=msid-semantic: WMS a\r\n"))
        #expect(try SessionDescription.parse(out) == d)
    }

    @Test func builtDescriptionSerialises() throws {
        var m = MediaDescription(kind: "application", port: 9, proto: "UDP/DTLS/SCTP", formats: ["webrtc-datachannel"],
                                 connection: SDPConnection())
        m.attributes = [.mid("0"), .iceUfrag("abcd"), .icePwd("0123456789012345678901"),
                        .fingerprint(SDPFingerprint(algorithm: "SHA-256", bytes: Array(repeating: 0xAB, count: 32))),
                        .setup(.actpass), .sctpPort(5000), .maxMessageSize(262144)]
        let d = SessionDescription(origin: SDPOrigin(sessionID: 42, sessionVersion: 1),
                                   attributes: [.group(semantics: "BUNDLE", ids: ["0"]), .iceOptions(["trickle"])], media: [m])
        let text = d.serialize()
        #expect(text.hasPrefix("v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"))
        #expect(try SessionDescription.parse(text) == d)
        try d.validateForWebRTC()
        #expect(d.bundleGroups == [["0"]])
        #expect(d.mediaIndex(mid: "0") == 0)
    }

    @Test func validationReportsTheMLine() throws {
        let text = Self.sdp(["a=ice-ufrag:abcd", "a=ice-pwd:0123456789012345678901",
                             "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:0", "a=setup:actpass"])
        #expect(throws: SDPParseError(line: 7, reason: "m-section 0 is missing a=fingerprint")) {
            try SessionDescription.parseForWebRTC(text)
        }
        let d = try SessionDescription.parse(text)
        #expect(throws: SDPParseError(line: 7, reason: "m-section 0 is missing a=fingerprint")) {
            try d.validateForWebRTC()
        }
        // A rejected section needs nothing.
        let rejected = Self.sdp(["m=audio 0 UDP/TLS/RTP/SAVPF 0"])
        #expect(throws: Never.self) { try SessionDescription.parseForWebRTC(rejected) }
        var dup = try SessionDescription.parse(Self.sdp(["m=audio 0 RTP/AVP 0", "a=mid:x", "m=video 0 RTP/AVP 0"]))
        dup.media[1].attributes.append(.mid("x"))
        #expect(throws: SDPParseError(line: 7, reason: "duplicate a=mid:x")) { try dup.validateForWebRTC() }
    }
}
