import Testing
@testable import WebRTCSDP

@Suite struct SDPFixtureTests {
    @Test func thereAreEnoughFixtures() {
        #expect(Fixtures.sdps.count >= 10)
    }

    @Test(arguments: Fixtures.sdpNames)
    func roundTrip(name: String) throws {
        let text = Fixtures.sdp(name)
        #expect(!text.isEmpty)
        let parsed = try SessionDescription.parse(text)
        let out = parsed.serialize()
        #expect(out.hasSuffix("\r\n"))
        #expect(!out.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let again = try SessionDescription.parse(out)
        #expect(again == parsed)
        #expect(again.serialize() == out)
        // Nothing is lost: every non-blank input line reappears (typed values may be normalised).
        let inLines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
        let outLines = out.split(separator: "\r\n").count
        #expect(inLines == outLines)
        // No attribute of a real SDP lands in `.other` when we model it.
        for m in parsed.media {
            for case .other(let n, _) in m.attributes {
                #expect(!["mid", "candidate", "fingerprint", "setup", "ice-ufrag", "ice-pwd", "rtpmap"].contains(n))
            }
        }
    }

    @Test(arguments: Fixtures.sdpNames)
    func webRTCFixturesValidate(name: String) throws {
        let d = try SessionDescription.parse(Fixtures.sdp(name))
        // Every fixture from a WebRTC stack carries ICE/DTLS parameters (some at session level),
        // except the legacy FreeSWITCH/no-DTLS samples and pion's partial ice-lite sample.
        let partial = name.contains("freeswitch") || name.contains("pion-tests-ice-lite")
        if partial {
            #expect(throws: SDPParseError.self) { try d.validateForWebRTC() }
        } else {
            try d.validateForWebRTC()
        }
    }

    @Test func chromiumDataChannelOffer() throws {
        let d = try SessionDescription.parse(Fixtures.sdp("chromium-156-datachannel-offer.sdp"))
        #expect(d.origin.username == "-")
        #expect(d.origin.sessionVersion == 2)
        #expect(d.bundleGroups == [["0"]])
        #expect(!d.iceLite)
        #expect(d.attributes.contains(.extmapAllowMixed))
        #expect(d.attributes.contains(.msidSemantic(SDPMsidSemantic(semantic: "WMS"))))
        #expect(d.media.count == 1)
        let m = d.media[0]
        #expect(m.kind == "application")
        #expect(m.port == 9)
        #expect(m.proto == "UDP/DTLS/SCTP")
        #expect(m.formats == ["webrtc-datachannel"])
        #expect(m.connection == SDPConnection())
        #expect(m.mid == "0")
        #expect(m.iceUfrag == "RqzD")
        #expect(m.icePwd == "n3iuvK74gU+CcMQd4lP75388")
        #expect(m.setup == .actpass)
        #expect(m.sctpPort == 5000)
        #expect(m.maxMessageSize == 262144)
        #expect(m.fingerprints.count == 1)
        #expect(m.fingerprints.first?.algorithm == "sha-256")
        #expect(m.fingerprints.first?.bytes.count == 32)
        #expect(m.fingerprints.first?.bytes.first == 0xF1)
        #expect(d.iceOptions(for: 0) == ["trickle"])
        // Chromium's own output is canonical for us: byte-identical round trip.
        #expect(d.serialize() == Fixtures.sdp("chromium-156-datachannel-offer.sdp"))
    }

    @Test func chromiumAudioVideoOffer() throws {
        let d = try SessionDescription.parse(Fixtures.sdp("chromium-156-audio-video-offer.sdp"))
        #expect(d.media.map(\.kind) == ["audio", "video", "application"])
        #expect(d.bundleGroups == [["0", "1", "2"]])
        let audio = d.media[0]
        #expect(audio.rtcpMux)
        #expect(audio.direction == .sendrecv)
        #expect(audio.rtpMaps.first == SDPRtpMap(payloadType: 111, encodingName: "opus", clockRate: 48000, encodingParameters: 2))
        #expect(audio.attributes.contains(.rtcp(SDPRtcp(port: 9, connection: SDPConnection()))))
        #expect(audio.attributes.contains(.fmtp(SDPFmtp(format: "111", parameters: "minptime=10;useinbandfec=1"))))
        #expect(audio.attributes.contains(.rtcpFb(SDPRtcpFeedback(payloadType: "111", type: "transport-cc"))))
        #expect(audio.attributes.contains(.extmap(SDPExtmap(id: 1, uri: "urn:ietf:params:rtp-hdrext:ssrc-audio-level"))))
        #expect(audio.attributes.contains(where: { if case .msid(let m) = $0 { m.streamID == "-" } else { false } }))
        #expect(audio.attributes.contains(.other(name: "rtcp-xr", value: "rcvr-rtt=all")))
        let video = d.media[1]
        #expect(video.attributes.contains(where: { if case .ssrcGroup(let g) = $0 { g.semantics == "FID" && g.ssrcs.count == 2 } else { false } }))
        #expect(video.attributes.contains(.rtcpFb(SDPRtcpFeedback(payloadType: "96", type: "nack", parameter: "pli"))))
        #expect(d.serialize() == Fixtures.sdp("chromium-156-audio-video-offer.sdp"))
    }

    @Test func aiortcOfferHasCandidatesAndSeveralFingerprints() throws {
        let d = try SessionDescription.parse(Fixtures.sdp("aiortc-1.16-datachannel-offer.sdp"))
        let m = d.media[0]
        #expect(m.candidates.count == 2)
        #expect(m.candidates.map(\.type) == [.host, .host])
        #expect(m.candidates[1].address == "fd00::2")
        #expect(m.endOfCandidates)
        #expect(m.fingerprints.map(\.algorithm) == ["sha-256", "sha-384", "sha-512"])
        #expect(m.fingerprints.map(\.bytes.count) == [32, 48, 64])
        #expect(d.attributes.contains(.msidSemantic(SDPMsidSemantic(semantic: "WMS", identifiers: ["*"]))))
    }

    @Test func sessionLevelFallbacks() throws {
        let d = try SessionDescription.parse(Fixtures.sdp("libdatachannel-datachannel-answer.sdp"))
        #expect(d.media[0].iceUfrag == nil)
        #expect(d.iceUfrag(for: 0) == "7hJ1")
        #expect(d.icePwd(for: 0) == "SYJg4xHfZHfWHHjCMmXIZQ")
        #expect(d.setup(for: 0) == .active)
        #expect(d.fingerprints(for: 0).first?.bytes.first == 0x09)
        #expect(d.iceOptions(for: 0) == ["ice2,trickle"])
        #expect(d.iceUfrag(for: 1) == nil)
        #expect(d.media[0].candidates.map(\.transport) == ["udp", "udp"])
        #expect(d.media[0].candidates[1].relatedAddress == "0.0.0.0")
        #expect(d.media[0].candidates[1].relatedPort == 0)
    }

    @Test func iceLiteAndLegacySCTP() throws {
        let d = try SessionDescription.parse(Fixtures.sdp("pion-tests-ice-lite-offer.sdp"))
        #expect(d.iceLite)
        #expect(d.media[0].proto == "DTLS/SCTP")
        #expect(d.media[0].formats == ["5000"])
        #expect(d.media[0].mid == "data")
    }

    @Test func firefoxDataChannel() throws {
        let d = try SessionDescription.parse(Fixtures.sdp("aiortc-tests-firefox-58-datachannel.sdp"))
        #expect(d.origin.username == "mozilla...THIS_IS_SDPARTA-58.0.1")
        #expect(d.attributes.contains(.direction(.sendrecv)))
        let c = d.media[0].candidates
        #expect(c.map(\.transport) == ["udp", "udp", "tcp", "tcp"])
        #expect(c[2].tcpType == "active")
        #expect(d.media[0].endOfCandidates)
    }
}
