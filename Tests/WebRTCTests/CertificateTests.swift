import Foundation
import Testing
import WebRTC

/// webrtc-pc §4.9–4.10 RTCCertificate and generateCertificate (ported from WPT
/// RTCCertificate.html and RTCPeerConnection-generateCertificate.html).
@Suite struct CertificateTests {
    @Test func expiresIsAnEpochTimeStampInMilliseconds() throws {
        let cert = try RTCCertificate.generate()
        let nowMs = Date().timeIntervalSince1970 * 1000
        // 30 days by default.
        #expect(abs(cert.expires - (nowMs + 30 * 86_400_000)) < 10_000)
    }

    @Test func expiresIsCappedAtAYear() throws {
        let cert = try RTCCertificate.generate(expires: .seconds(1_000 * 86_400))
        let nowMs = Date().timeIntervalSince1970 * 1000
        #expect(cert.expires <= nowMs + 365 * 86_400_000 + 10_000)
        #expect(cert.expires > nowMs + 364 * 86_400_000)
    }

    @Test func rsaWithModulusLengthAndPublicExponent() async throws {
        let cert = try await RTCPeerConnection.generateCertificate(.rsa(modulusLength: 2048, publicExponent: 65_537))
        #expect(!cert.getFingerprints().isEmpty)
        await #expect(throws: RTCError.self) { _ = try await RTCPeerConnection.generateCertificate(.rsa(modulusLength: 1024)) }
        do {
            _ = try await RTCPeerConnection.generateCertificate(.rsa(modulusLength: 2048, publicExponent: 17))
            Issue.record("exponent 17 was accepted")
        } catch let e as RTCError {
            #expect(e.name == .notSupportedError)
        }
    }

    @Test func anExpiredCertificateIsRefused() async throws {
        let cert = try RTCCertificate.generate(expires: .seconds(1))
        try await Task.sleep(for: .milliseconds(1_100))
        #expect(cert.isExpired)
        do {
            var configuration = RTCConfiguration()
            configuration.certificates = [cert]
            _ = try RTCPeerConnection(configuration: configuration)
            Issue.record("an expired certificate was accepted")
        } catch let e as RTCError {
            #expect(e.name == .invalidAccessError)
        }
    }
}
