import Testing
@testable import WebRTCSDP

/// One bad input and the line its error must name.
struct BadSDP: CustomTestStringConvertible, Sendable {
    var label: String
    var lines: [String]
    var line: Int
    var testDescription: String { label }
}

@Suite struct SDPLineErrorTests {
    static let head = ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0"]
    static let app = ["m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=mid:0"]

    static let cases: [BadSDP] = [
        BadSDP(label: "empty input", lines: [""], line: 1),
        BadSDP(label: "v not first", lines: ["o=- 1 2 IN IP4 1.2.3.4"], line: 1),
        BadSDP(label: "v=1", lines: ["v=1"], line: 1),
        BadSDP(label: "missing o", lines: ["v=0", "s=-"], line: 2),
        BadSDP(label: "o with 5 fields", lines: ["v=0", "o=- 1 2 IN IP4", "s=-", "t=0 0"], line: 2),
        BadSDP(label: "o id too big", lines: ["v=0", "o=- 18446744073709551616 2 IN IP4 1.2.3.4", "s=-", "t=0 0"], line: 2),
        BadSDP(label: "o version not a number", lines: ["v=0", "o=- 1 x IN IP4 1.2.3.4", "s=-", "t=0 0"], line: 2),
        BadSDP(label: "missing s", lines: ["v=0", "o=- 1 2 IN IP4 1.2.3.4", "t=0 0"], line: 3),
        BadSDP(label: "missing t", lines: ["v=0", "o=- 1 2 IN IP4 1.2.3.4", "s=-", "a=ice-lite"], line: 4),
        BadSDP(label: "missing t before m", lines: ["v=0", "o=- 1 2 IN IP4 1.2.3.4", "s=-"] + app, line: 4),
        BadSDP(label: "bad t", lines: ["v=0", "o=- 1 2 IN IP4 1.2.3.4", "s=-", "t=0"], line: 4),
        BadSDP(label: "unknown line type", lines: head + ["x=1"], line: 5),
        BadSDP(label: "upper-case type", lines: head + ["A=foo"], line: 5),
        BadSDP(label: "no equals", lines: head + ["a:foo"], line: 5),
        BadSDP(label: "a before c at session level", lines: ["v=0", "o=- 1 2 IN IP4 1.2.3.4", "s=-", "t=0 0", "a=ice-lite", "c=IN IP4 0.0.0.0"], line: 6),
        BadSDP(label: "two i= lines", lines: ["v=0", "o=- 1 2 IN IP4 1.2.3.4", "s=-", "i=a", "i=b", "t=0 0"], line: 5),
        BadSDP(label: "r without t", lines: ["v=0", "o=- 1 2 IN IP4 1.2.3.4", "s=-", "r=7d 1h 0 25h"], line: 4),
        BadSDP(label: "bad b", lines: head + ["b=AS"], line: 5).withTimingBefore(),
        BadSDP(label: "empty line in the middle", lines: head + ["", "a=ice-lite"], line: 5),
        BadSDP(label: "m port 65536", lines: head + ["m=audio 65536 RTP/AVP 0"], line: 5),
        BadSDP(label: "m port negative", lines: head + ["m=audio -1 RTP/AVP 0"], line: 5),
        BadSDP(label: "m without formats", lines: head + ["m=audio 9 RTP/AVP"], line: 5),
        BadSDP(label: "o= inside media", lines: head + app + ["o=- 1 2 IN IP4 1.2.3.4"], line: 8),
        BadSDP(label: "second c= in media", lines: head + app.prefix(2) + ["c=IN IP4 1.1.1.1"], line: 7),
        BadSDP(label: "c after a in media", lines: head + app + ["c=IN IP4 1.1.1.1"], line: 8),
        BadSDP(label: "bad c", lines: head + ["m=audio 9 RTP/AVP 0", "c=IN IP4"], line: 6),
        BadSDP(label: "duplicate mid", lines: head + app + app, line: 10),
        BadSDP(label: "two mids in one section", lines: head + app + ["a=mid:1"], line: 8),
        BadSDP(label: "empty mid", lines: head + ["m=audio 9 RTP/AVP 0", "a=mid:"], line: 6),
        BadSDP(label: "mid with space", lines: head + ["m=audio 9 RTP/AVP 0", "a=mid:a b"], line: 6),
        BadSDP(label: "fingerprint not hex", lines: head + ["a=fingerprint:sha-256 ZZ"], line: 5),
        BadSDP(label: "fingerprint wrong length", lines: head + ["a=fingerprint:sha-256 AB:CD"], line: 5),
        BadSDP(label: "fingerprint no colons", lines: head + ["a=fingerprint:sha-1 ABCD"], line: 5),
        BadSDP(label: "fingerprint trailing colon", lines: head + ["a=fingerprint:x AB:"], line: 5),
        BadSDP(label: "setup unknown", lines: head + ["a=setup:both"], line: 5),
        BadSDP(label: "ice-lite with value", lines: head + ["a=ice-lite:yes"], line: 5),
        BadSDP(label: "ice-ufrag missing value", lines: head + ["a=ice-ufrag"], line: 5),
        BadSDP(label: "sctp-port 65536", lines: head + app + ["a=sctp-port:65536"], line: 8),
        BadSDP(label: "max-message-size negative", lines: head + app + ["a=max-message-size:-1"], line: 8),
        BadSDP(label: "bad candidate", lines: head + app + ["a=candidate:1 1 udp 1 1.2.3.4 99999 typ host"], line: 8),
        BadSDP(label: "rtpmap pt 128", lines: head + ["m=audio 9 RTP/AVP 0", "a=rtpmap:128 x/8000"], line: 6),
        BadSDP(label: "rtpmap no clock", lines: head + ["m=audio 9 RTP/AVP 0", "a=rtpmap:0 PCMU"], line: 6),
        BadSDP(label: "extmap id 0", lines: head + ["m=audio 9 RTP/AVP 0", "a=extmap:0 urn:x"], line: 6),
        BadSDP(label: "extmap bad direction", lines: head + ["m=audio 9 RTP/AVP 0", "a=extmap:1/sideways urn:x"], line: 6),
        BadSDP(label: "ssrc not a number", lines: head + ["m=audio 9 RTP/AVP 0", "a=ssrc:abc cname:x"], line: 6),
        BadSDP(label: "ssrc-group bad member", lines: head + ["m=audio 9 RTP/AVP 0", "a=ssrc-group:FID 1 x"], line: 6),
        BadSDP(label: "rid bad direction", lines: head + ["m=video 9 RTP/AVP 96", "a=rid:h both"], line: 6),
        BadSDP(label: "simulcast odd", lines: head + ["m=video 9 RTP/AVP 96", "a=simulcast:send"], line: 6),
        BadSDP(label: "simulcast empty alt", lines: head + ["m=video 9 RTP/AVP 96", "a=simulcast:send a;;b"], line: 6),
        BadSDP(label: "attribute name not a token", lines: head + ["a=foo bar"], line: 5),
        BadSDP(label: "NUL in a line", lines: head + ["a=x\u{0}y"], line: 5),
        BadSDP(label: "stray CR", lines: head + ["a=x\ry"], line: 5),
    ]

    @Test(arguments: cases)
    func errorLine(_ bad: BadSDP) {
        for ending in ["\r\n", "\n"] {
            let text = bad.lines.joined(separator: ending) + ending
            do {
                let d = try SessionDescription.parse(text)
                Issue.record("accepted \(bad.label): \(d.serialize())")
            } catch {
                #expect(error.line == bad.line, "\(bad.label): \(error)")
                #expect(!error.reason.isEmpty)
            }
        }
    }

    @Test func missingLineAtEndNamesTheLastLine() {
        // No line ending after the last line: the missing s= is reported on line 2, not 3.
        #expect(throws: SDPParseError(line: 2, reason: "missing s= line")) {
            try SessionDescription.parse("v=0\no=- 1 2 IN IP4 1.2.3.4")
        }
        #expect(throws: SDPParseError(line: 3, reason: "missing s= line")) {
            try SessionDescription.parse("v=0\no=- 1 2 IN IP4 1.2.3.4\n")
        }
    }
}

extension BadSDP {
    /// `b=` belongs before `t=`: move the timing after the bad line so only the value is wrong.
    func withTimingBefore() -> BadSDP {
        var l = lines
        if let t = l.firstIndex(of: "t=0 0"), let b = l.firstIndex(where: { $0.hasPrefix("b=") }) {
            l.swapAt(t, b)
        }
        return BadSDP(label: label, lines: l, line: line - 1)
    }
}
