import FuzzSupport
import WebRTCSRTP

/// libFuzzer entry point for `SRTPSession` (our wrapper over libsrtp; RFC 3711, RFC 7714).
/// The first byte picks the profile (bits 0–1) and the mode (bits 2–3), the rest is the packet:
/// - modes 0/1: unprotect the bytes as SRTP / SRTCP with a long-lived inbound session — never traps,
///   an unauthenticated packet is rejected and counted as a drop;
/// - modes 2/3: if the bytes are a valid plain RTP / RTCP packet, protect them with a fresh
///   outbound session and unprotect with the matching inbound one: the result equals the input,
///   and the same packet with its last byte flipped is rejected.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSRTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzBytes(data, size)
    guard let selector = input.first else { return 0 }
    let profiles = SRTPProfile.allCases
    let profile = profiles[Int(selector & 0x03) % profiles.count]
    let mode = (selector >> 2) & 0x03
    let packet = Array(input.dropFirst())
    let key = [UInt8](repeating: 0x2B, count: profile.keyLength), salt = [UInt8](repeating: 0x5A, count: profile.saltLength)
    let rtcp = mode & 1 == 1
    if mode < 2 {
        // One long-lived inbound session per profile: rejected packets must leave it unchanged.
        let inbound = SharedSessions.inbound(profile, key: key, salt: salt)
        let before = inbound.drops.total
        var p = packet
        let ok = rtcp ? inbound.unprotectRTCP(&p) : inbound.unprotectRTP(&p)
        // A random packet authenticates with probability 2^-80 (or 2^-128 for GCM): treat it as a bug.
        require(!ok, "an unauthenticated packet was accepted")
        require(inbound.drops.total == before + 1, "the rejection was not counted")
        return 0
    }
    guard let inbound = try? SRTPSession(profile: profile, key: key, salt: salt, direction: .inbound) else {
        fatalError("cannot create an inbound session")
    }
    let valid = rtcp ? RTCPPacketView.compound(packet) != nil && packet.count >= 8 : RTPHeaderView(packet) != nil
    guard valid, let outbound = try? SRTPSession(profile: profile, key: key, salt: salt, direction: .outbound) else { return 0 }
    var p = packet
    do {
        if rtcp { try outbound.protectRTCP(&p) } else { try outbound.protectRTP(&p) }
    } catch {
        return 0  // libsrtp may refuse some valid-looking headers; that is a clean error, not a trap
    }
    var tampered = p
    if let last = tampered.indices.last { tampered[last] ^= 0x01 }
    let ok = rtcp ? inbound.unprotectRTCP(&p) : inbound.unprotectRTP(&p)
    require(ok && p == packet, "protect → unprotect did not give the input back")
    guard let fresh = try? SRTPSession(profile: profile, key: key, salt: salt, direction: .inbound) else { return 0 }
    let tamperedOK = rtcp ? fresh.unprotectRTCP(&tampered) : fresh.unprotectRTP(&tampered)
    require(!tamperedOK, "a packet with a flipped tag byte was accepted")
    return 0
}

/// Inbound sessions reused across inputs (libFuzzer calls the entry point from one thread).
enum SharedSessions {
    nonisolated(unsafe) static var sessions: [SRTPProfile: SRTPSession] = [:]

    static func inbound(_ profile: SRTPProfile, key: [UInt8], salt: [UInt8]) -> SRTPSession {
        if let s = sessions[profile] { return s }
        guard let s = try? SRTPSession(profile: profile, key: key, salt: salt, direction: .inbound) else {
            fatalError("cannot create an inbound session")
        }
        sessions[profile] = s
        return s
    }
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer.
@_cdecl("fuzz_srtp_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzSRTP(data, size) }
}
