import WebRTCCore

/// An ERROR-CODE value (RFC 8489 §14.8): a code 300…699 and a reason phrase.
package struct STUNErrorCode: Sendable, Hashable {
    package var code: Int
    package var reason: String
    package init(code: Int, reason: String) { self.code = code; self.reason = reason }

    package static let badRequest = 400, unauthorized = 401, unknownAttribute = 420, staleNonce = 438
    package static let roleConflict = 487, allocationMismatch = 437, insufficientCapacity = 508
}

// MARK: - Building attributes

extension STUNAttribute {
    /// USERNAME (UTF-8, at most 513 bytes per RFC 8489 §14.3).
    package static func username(_ s: String) -> STUNAttribute { .init(type: .username, value: Array(s.utf8)) }
    /// REALM.
    package static func realm(_ s: String) -> STUNAttribute { .init(type: .realm, value: Array(s.utf8)) }
    /// NONCE.
    package static func nonce(_ s: String) -> STUNAttribute { .init(type: .nonce, value: Array(s.utf8)) }
    /// NONCE from raw bytes (echoed exactly as received).
    package static func nonce(bytes: [UInt8]) -> STUNAttribute { .init(type: .nonce, value: bytes) }
    /// REALM from raw bytes.
    package static func realm(bytes: [UInt8]) -> STUNAttribute { .init(type: .realm, value: bytes) }
    /// SOFTWARE.
    package static func software(_ s: String) -> STUNAttribute { .init(type: .software, value: Array(s.utf8)) }
    /// MAPPED-ADDRESS.
    package static func mappedAddress(_ a: TransportAddress) -> STUNAttribute { .init(type: .mappedAddress, value: STUNAddressCodec.encode(a)) }
    /// XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS or XOR-RELAYED-ADDRESS.
    package static func xorAddress(_ type: STUNAttributeType, _ a: TransportAddress, transactionID: [UInt8]) -> STUNAttribute {
        .init(type: type, value: STUNAddressCodec.encodeXOR(a, transactionID: transactionID))
    }
    /// ERROR-CODE: class = code / 100, number = code % 100.
    package static func errorCode(_ code: Int, reason: String) -> STUNAttribute {
        let c = min(max(code, 300), 699)
        return .init(type: .errorCode, value: [0, 0, UInt8(c / 100), UInt8(c % 100)] + Array(reason.utf8.prefix(763)))
    }
    /// UNKNOWN-ATTRIBUTES: a list of 16-bit types.
    package static func unknownAttributes(_ types: [UInt16]) -> STUNAttribute {
        var w = ByteWriter()
        for t in types { w.u16(t) }
        return .init(type: .unknownAttributes, value: w.bytes)
    }
    /// PRIORITY (RFC 8445 §16.1).
    package static func priority(_ p: UInt32) -> STUNAttribute { .init(type: .priority, value: u32(p)) }
    /// USE-CANDIDATE (empty).
    package static var useCandidate: STUNAttribute { .init(type: .useCandidate, value: []) }
    /// ICE-CONTROLLING with the tie-breaker.
    package static func iceControlling(_ t: UInt64) -> STUNAttribute { .init(type: .iceControlling, value: u64(t)) }
    /// ICE-CONTROLLED with the tie-breaker.
    package static func iceControlled(_ t: UInt64) -> STUNAttribute { .init(type: .iceControlled, value: u64(t)) }
    /// CHANNEL-NUMBER (RFC 8656 §18.1): the number then two reserved bytes.
    package static func channelNumber(_ n: UInt16) -> STUNAttribute { .init(type: .channelNumber, value: [UInt8(n >> 8), UInt8(n & 0xFF), 0, 0]) }
    /// LIFETIME in seconds.
    package static func lifetime(_ s: UInt32) -> STUNAttribute { .init(type: .lifetime, value: u32(s)) }
    /// DATA.
    package static func data(_ d: [UInt8]) -> STUNAttribute { .init(type: .data, value: d) }
    /// REQUESTED-TRANSPORT (17 = UDP): protocol then three reserved bytes.
    package static func requestedTransport(_ proto: UInt8 = 17) -> STUNAttribute { .init(type: .requestedTransport, value: [proto, 0, 0, 0]) }
    /// DONT-FRAGMENT (empty).
    package static var dontFragment: STUNAttribute { .init(type: .dontFragment, value: []) }
    /// REQUESTED-ADDRESS-FAMILY (0x01 IPv4, 0x02 IPv6).
    package static func requestedAddressFamily(ipv6: Bool) -> STUNAttribute { .init(type: .requestedAddressFamily, value: [ipv6 ? 2 : 1, 0, 0, 0]) }

    private static func u32(_ v: UInt32) -> [UInt8] { var w = ByteWriter(); w.u32(v); return w.bytes }
    private static func u64(_ v: UInt64) -> [UInt8] { var w = ByteWriter(); w.u64(v); return w.bytes }
}

// MARK: - Reading attributes

extension STUNMessage {
    private func string(_ t: STUNAttributeType) -> String? {
        attribute(t).flatMap { String(validating: $0.value, as: UTF8.self) }
    }
    private func u32(_ t: STUNAttributeType) -> UInt32? {
        guard let v = attribute(t)?.value, v.count == 4 else { return nil }
        var r = ByteReader(v)
        return r.u32()
    }
    private func u64(_ t: STUNAttributeType) -> UInt64? {
        guard let v = attribute(t)?.value, v.count == 8 else { return nil }
        var r = ByteReader(v)
        return r.u64()
    }

    package var username: String? { string(.username) }
    package var realm: String? { string(.realm) }
    package var nonce: String? { string(.nonce) }
    package var software: String? { string(.software) }
    package var mappedAddress: TransportAddress? { attribute(.mappedAddress).flatMap { STUNAddressCodec.decode($0.value) } }
    package var xorMappedAddress: TransportAddress? { xorAddress(.xorMappedAddress) }
    package var xorPeerAddress: TransportAddress? { xorAddress(.xorPeerAddress) }
    package var xorRelayedAddress: TransportAddress? { xorAddress(.xorRelayedAddress) }

    /// Decodes an XOR address attribute of `type`.
    package func xorAddress(_ type: STUNAttributeType) -> TransportAddress? {
        attribute(type).flatMap { STUNAddressCodec.decodeXOR($0.value, transactionID: transactionID) }
    }

    /// ERROR-CODE, or nil when absent or malformed (class must be 3…6, number 0…99).
    package var errorCode: STUNErrorCode? {
        guard let v = attribute(.errorCode)?.value, v.count >= 4 else { return nil }
        let cls = Int(v[2] & 0x07), num = Int(v[3])
        guard (3...6).contains(cls), num < 100 else { return nil }
        return STUNErrorCode(code: cls * 100 + num, reason: String(decoding: v[4...], as: UTF8.self))
    }

    /// UNKNOWN-ATTRIBUTES.
    package var unknownAttributes: [UInt16]? {
        guard let v = attribute(.unknownAttributes)?.value, v.count % 2 == 0 else { return nil }
        var r = ByteReader(v)
        var out: [UInt16] = []
        while let t = r.u16() { out.append(t) }
        return out
    }

    package var priority: UInt32? { u32(.priority) }
    package var useCandidate: Bool { attribute(.useCandidate) != nil }
    package var iceControlling: UInt64? { u64(.iceControlling) }
    package var iceControlled: UInt64? { u64(.iceControlled) }
    package var lifetime: UInt32? { u32(.lifetime) }
    package var data: [UInt8]? { attribute(.data)?.value }
    package var dontFragment: Bool { attribute(.dontFragment) != nil }

    /// CHANNEL-NUMBER.
    package var channelNumber: UInt16? {
        guard let v = attribute(.channelNumber)?.value, v.count == 4 else { return nil }
        return UInt16(v[0]) << 8 | UInt16(v[1])
    }
    /// REQUESTED-TRANSPORT protocol number.
    package var requestedTransport: UInt8? {
        guard let v = attribute(.requestedTransport)?.value, v.count == 4 else { return nil }
        return v[0]
    }
    /// REQUESTED-ADDRESS-FAMILY (0x01 or 0x02).
    package var requestedAddressFamily: UInt8? {
        guard let v = attribute(.requestedAddressFamily)?.value, v.count == 4 else { return nil }
        return v[0]
    }
}
