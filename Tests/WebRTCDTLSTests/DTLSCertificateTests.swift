import Glibc
import Testing
@testable import WebRTCDTLS

@Suite struct DTLSCertificateTests {
    @Test(arguments: [DTLSCertificate.KeyType.ecdsaP256, .rsa2048])
    func pemRoundTripKeepsFingerprint(type: DTLSCertificate.KeyType) throws {
        let original = try DTLSCertificate.generate(type)
        let pem = original.pem()
        #expect(pem.contains("-----BEGIN CERTIFICATE-----"))
        #expect(pem.contains("-----BEGIN PRIVATE KEY-----"))
        let imported = try DTLSCertificate(pem: pem)
        for algorithm in ["sha-1", "sha-256", "sha-512"] {
            #expect(imported.fingerprint(algorithm: algorithm) == original.fingerprint(algorithm: algorithm))
        }
        #expect(imported.derBytes == original.derBytes)
        #expect(imported.expires == original.expires)
        #expect(imported.x509Version == 2)  // v3

        // The imported certificate's key really works: a handshake with it succeeds.
        let peer = try DTLSCertificate.generate()
        let a = try DTLSEngine(role: .client, certificate: imported, remoteFingerprints: fingerprints(of: peer))
        let b = try DTLSEngine(role: .server, certificate: peer, remoteFingerprints: fingerprints(of: original))
        let pipe = DTLSPipe(a: a, b: b)
        pipe.startBoth()
        #expect(pipe.run(for: .seconds(5), until: DTLSPipe.bothConnected))
    }

    @Test func pemWithKeyFirstAlsoImports() throws {
        let original = try DTLSCertificate.generate()
        let pem = original.pem()
        let marker = "-----BEGIN PRIVATE KEY-----"
        let parts = pem.split(separator: marker, omittingEmptySubsequences: false)
        try #require(parts.count == 2)
        let swapped = marker + String(parts[1]) + String(parts[0])
        #expect(try DTLSCertificate(pem: swapped).fingerprint() == original.fingerprint())
    }

    @Test func badPemIsRejected() throws {
        #expect(throws: DTLSError.self) { try DTLSCertificate(pem: "") }
        #expect(throws: DTLSError.self) { try DTLSCertificate(pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n") }
        let a = try DTLSCertificate.generate(), b = try DTLSCertificate.generate()
        // b's certificate with a's key: mismatched pair.
        let certB = String(b.pem().split(separator: "-----BEGIN PRIVATE KEY-----")[0])
        let keyA = "-----BEGIN PRIVATE KEY-----" + String(a.pem().split(separator: "-----BEGIN PRIVATE KEY-----")[1])
        #expect(throws: DTLSError.self) { try DTLSCertificate(pem: certB + keyA) }
    }

    @Test(arguments: [DTLSCertificate.KeyType.ecdsaP256, .rsa2048])
    func certificatesAreV3WithExpiry(type: DTLSCertificate.KeyType) throws {
        let now = Double(time(nil))
        let defaultCert = try DTLSCertificate.generate(type)
        #expect(defaultCert.x509Version == 2)
        #expect(abs(defaultCert.expires - (now + 30 * 86400)) < 5)
        let shortLived = try DTLSCertificate.generate(type, expires: .seconds(3600))
        #expect(abs(shortLived.expires - (now + 3600)) < 5)
        #expect(defaultCert.fingerprint() != shortLived.fingerprint())
        #expect(defaultCert.derBytes.first == 0x30)  // DER SEQUENCE
    }

    @Test func ecdsaGenerationIsFast() throws {
        let clock = ContinuousClock()
        let elapsed = try clock.measure { for _ in 0..<20 { _ = try DTLSCertificate.generate() } }
        print("20 ECDSA certificates in \(elapsed)")
        #expect(elapsed < .seconds(1))  // ~ms each even in debug builds on a loaded machine
    }
}
