import FuzzSupport
import WebRTCCore
import WebRTCSTUN

/// libFuzzer entry point for the STUN codec (RFC 8489). Properties:
/// - decode and every accessor and verifier never trap;
/// - a decoded message re-encodes (without integrity) to bytes that decode to the same
///   method, class, transaction id and attributes;
/// - re-encoded with MESSAGE-INTEGRITY, -SHA256 and FINGERPRINT, it verifies under the right key
///   and fails under a different one;
/// - XOR address attributes that decode re-encode to the same address.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSTUN(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = STUNMessage.isSTUN(bytes)
    _ = PacketClass(bytes)
    guard let m = STUNMessage.decode(bytes) else { return 0 }
    require(bytes.count >= STUNMessage.headerLength && bytes.count % 4 == 0, "decoded a message of \(bytes.count) bytes")

    // Every verifier and accessor, on attacker bytes.
    let key: [UInt8] = Array("fuzz-password".utf8)
    _ = m.verifyIntegrity(key: key)
    _ = m.verifyIntegritySHA256(key: key)
    _ = m.verifyFingerprint()
    _ = (m.username, m.realm, m.nonce, m.software, m.mappedAddress, m.xorMappedAddress, m.xorPeerAddress, m.xorRelayedAddress)
    _ = (m.errorCode, m.unknownAttributes, m.priority, m.useCandidate, m.iceControlling, m.iceControlled, m.lifetime, m.data)
    _ = (m.channelNumber, m.requestedTransport, m.requestedAddressFamily, m.unknownComprehensionRequired, m.hasIntegrity, m.hasFingerprint)
    if let e = m.errorCode { require((300...699).contains(e.code), "error code \(e.code)") }

    // Plain round trip.
    let plain = m.encode()
    guard let again = STUNMessage.decode(plain) else { fatalError("re-encoded message does not decode: \(plain)") }
    require(again.method == m.method && again.cls == m.cls && again.transactionID == m.transactionID, "header changed")
    require(again.attributes == m.attributes, "attributes changed in the round trip")
    require(again.encode() == plain, "encoding is not stable")

    // With integrity and fingerprint (stay inside the 16-bit length).
    if plain.count + 24 + 36 + 8 <= 0xFFFF + STUNMessage.headerLength {
        let secured = m.encode(integrityKey: key, integritySHA256Key: key, fingerprint: true)
        guard let s = STUNMessage.decode(secured) else { fatalError("secured message does not decode") }
        require(s.verifyIntegrity(key: key), "MESSAGE-INTEGRITY does not verify")
        require(s.verifyIntegritySHA256(key: key), "MESSAGE-INTEGRITY-SHA256 does not verify")
        require(s.verifyFingerprint(), "FINGERPRINT does not verify")
        // (Not `key + [0]`: HMAC zero-pads short keys, so that key is equivalent.)
        let wrongKey: [UInt8] = Array("fuzz-passwore".utf8)
        require(!s.verifyIntegrity(key: wrongKey), "MESSAGE-INTEGRITY verifies under a wrong key")
        require(!s.verifyIntegritySHA256(key: wrongKey), "MESSAGE-INTEGRITY-SHA256 verifies under a wrong key")
        require(s.attributes == m.attributes, "attributes changed when secured")
    }

    // XOR addresses.
    for type in [STUNAttributeType.xorMappedAddress, .xorPeerAddress, .xorRelayedAddress] {
        guard let a = m.xorAddress(type) else { continue }
        let value = STUNAddressCodec.encodeXOR(a, transactionID: m.transactionID)
        require(STUNAddressCodec.decodeXOR(value, transactionID: m.transactionID) == a, "XOR address round trip")
    }
    return 0
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer.
@_cdecl("fuzz_stun_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzSTUN(data, size) }
}
