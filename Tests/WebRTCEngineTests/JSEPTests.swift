import Foundation
import Testing
import WebRTCCore
import WebRTCDTLS
import WebRTCEngine
import WebRTCSDP

/// JSEP details of the engine against descriptions real peers wrote.
@Suite(.serialized) struct JSEPTests {
    static func fixture(_ name: String) throws -> String {
        let dir = URLPath.fixtures
        return try String(contentsOfFile: dir + name, encoding: .utf8)
    }

    func answerer() throws -> PeerConnectionEngine {
        PeerConnectionEngine(configuration: EngineConfiguration(certificates: [try DTLSCertificate.generate()]), random: RandomSource(seed: 1))
    }

    /// Answers `offer`, gathers on one host address, and returns the answer and every candidate event.
    func answer(_ offer: String) throws -> (answer: SessionDescription, candidates: [LocalCandidateEvent?]) {
        let engine = try answerer()
        let now = Instant.zero
        try engine.setRemoteDescription(type: .offer, sdp: offer, now: now)
        try engine.setLocalDescription(type: nil, sdp: nil, now: now)
        var candidates: [LocalCandidateEvent?] = []
        var rounds = 0
        while rounds < 100 {
            rounds += 1
            guard let e = engine.pollEvent() else {
                if let d = engine.nextDeadline() { engine.handleTimeout(now: d) } else { break }
                continue
            }
            switch e {
            case .bindHostSockets:
                engine.addHostSockets([(id: 1, address: TransportAddress(ip: IPAddress("192.0.2.10")!, port: 40_000))], now: now)
            case .iceCandidate(let c):
                candidates.append(c)
                if c == nil { rounds = 100 }
            default:
                break
            }
        }
        let text = try #require(engine.descriptions().currentLocal?.text)
        return (try SessionDescription.parse(text), candidates)
    }

    // webrtc-pc §4.4.1.3 / RFC 8840: candidates belong to the section that carries the transport.
    @Test func trickledCandidatesNameTheDataSectionNotARejectedOne() throws {
        let (answer, candidates) = try answer(try Self.fixture("aiortc-tests-safari-audio-video-data.sdp"))
        #expect(answer.media.map(\.mid) == ["audio", "video", "data"])
        let real = candidates.compactMap { $0 }.filter { !$0.candidate.isEmpty }
        #expect(!real.isEmpty)
        for c in real {
            #expect(c.sdpMid == "data")
            #expect(c.sdpMLineIndex == 2)
        }
        // The end of this generation ("") for that section, then the null candidate.
        #expect(candidates.contains { $0?.candidate == "" && $0?.sdpMid == "data" })
        #expect(candidates.last.map { $0 == nil } == true)
    }

    // aiortc refused answers whose rejected sections had no ICE credentials.
    @Test func rejectedSectionsCarryCredentialsFingerprintAndSetup() throws {
        let (answer, _) = try answer(try Self.fixture("aiortc-1.16-audio-video-offer.sdp"))
        #expect(answer.media.count == 3)
        for (i, m) in answer.media.enumerated() {
            #expect(answer.iceUfrag(for: i) != nil, "m-section \(i) has no ice-ufrag")
            #expect(answer.icePwd(for: i) != nil)
            #expect(!answer.fingerprints(for: i).isEmpty)
            #expect(answer.setup(for: i) != nil)
            if m.kind != "application" { #expect(m.isRejected) }
        }
    }

    // RFC 9429 §5.3.1: an answer to an offer that restarts ICE carries new credentials.
    @Test func answerToARestartingOfferHasNewCredentials() throws {
        let offerer = try answerer(), answering = try answerer()
        let now = Instant.zero
        _ = try offerer.createDataChannel(.init(label: "x"), now: now)
        try offerer.setLocalDescription(type: .offer, sdp: try offerer.createOffer(iceRestart: false), now: now)
        try answering.setRemoteDescription(type: .offer, sdp: offerer.descriptions().pendingLocal!.text, now: now)
        try answering.setLocalDescription(type: nil, sdp: nil, now: now)
        try offerer.setRemoteDescription(type: .answer, sdp: answering.descriptions().currentLocal!.text, now: now)
        let first = try SessionDescription.parse(answering.descriptions().currentLocal!.text).iceUfrag(for: 0)
        try offerer.setLocalDescription(type: .offer, sdp: try offerer.createOffer(iceRestart: true), now: now)
        try answering.setRemoteDescription(type: .offer, sdp: offerer.descriptions().pendingLocal!.text, now: now)
        try answering.setLocalDescription(type: nil, sdp: nil, now: now)
        let second = try SessionDescription.parse(answering.descriptions().currentLocal!.text).iceUfrag(for: 0)
        #expect(first != nil && second != nil && first != second)
    }
}

enum URLPath {
    /// Tests/Fixtures/sdp/ next to this file's folder.
    static var fixtures: String {
        let file = #filePath
        let testsDir = file.split(separator: "/").dropLast(2).joined(separator: "/")
        return "/" + testsDir + "/Fixtures/sdp/"
    }
}

/// webrtc-pc §4.7.3 "update the negotiation-needed flag".
@Suite struct NegotiationNeededTests {
    func engine() throws -> PeerConnectionEngine {
        PeerConnectionEngine(configuration: EngineConfiguration(certificates: [try DTLSCertificate.generate()]), random: RandomSource(seed: 2))
    }

    func count(_ e: PeerConnectionEngine) -> Int {
        var n = 0
        while let ev = e.pollEvent() { if case .negotiationNeeded = ev { n += 1 } }
        return n
    }

    @Test func firesAgainAfterARollback() throws {
        let a = try engine()
        _ = try a.createDataChannel(.init(label: "x"), now: .zero)
        #expect(count(a) == 1)
        _ = try a.createDataChannel(.init(label: "y"), now: .zero)
        #expect(count(a) == 0, "a second channel needs no new negotiation event")
        try a.setLocalDescription(type: .offer, sdp: nil, now: .zero)
        try a.setLocalDescription(type: .rollback, sdp: nil, now: .zero)
        #expect(count(a) == 1, "the need outlived the rolled-back offer")
    }

    @Test func firesAgainAfterAnAnswerWithoutTheDataSection() throws {
        let a = try engine(), b = try engine()
        _ = try a.createDataChannel(.init(label: "x"), now: .zero)
        #expect(count(a) == 1)
        try a.setLocalDescription(type: .offer, sdp: nil, now: .zero)
        try b.setRemoteDescription(type: .offer, sdp: a.descriptions().pendingLocal!.text, now: .zero)
        try b.setLocalDescription(type: .answer, sdp: nil, now: .zero)
        // The remote rejects the data section (port 0).
        let answer = b.descriptions().currentLocal!.text.replacingOccurrences(of: "m=application 9 ", with: "m=application 0 ")
        try a.setRemoteDescription(type: .answer, sdp: answer, now: .zero)
        #expect(count(a) == 1)
    }

    @Test func clearsOnceTheDataSectionIsNegotiated() throws {
        let a = try engine(), b = try engine()
        _ = try a.createDataChannel(.init(label: "x"), now: .zero)
        try a.setLocalDescription(type: .offer, sdp: nil, now: .zero)
        try b.setRemoteDescription(type: .offer, sdp: a.descriptions().pendingLocal!.text, now: .zero)
        try b.setLocalDescription(type: .answer, sdp: nil, now: .zero)
        _ = count(a)
        try a.setRemoteDescription(type: .answer, sdp: b.descriptions().currentLocal!.text, now: .zero)
        #expect(count(a) == 0)
        _ = try a.createDataChannel(.init(label: "later"), now: .zero)
        #expect(count(a) == 0, "channels share the negotiated data section")
        a.restartIce()
        #expect(count(a) == 1)
    }
}
