/// A STUN attribute type (RFC 8489 §18.3, RFC 8445 §16.1, RFC 8656 §18). Types below 0x8000 are
/// comprehension-required; an unknown one in a request is answered with 420.
package struct STUNAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package var rawValue: UInt16
    package init(rawValue: UInt16) { self.rawValue = rawValue }
    package init(_ rawValue: UInt16) { self.rawValue = rawValue }

    package static let mappedAddress = STUNAttributeType(0x0001)
    package static let username = STUNAttributeType(0x0006)
    package static let messageIntegrity = STUNAttributeType(0x0008)
    package static let errorCode = STUNAttributeType(0x0009)
    package static let unknownAttributes = STUNAttributeType(0x000A)
    package static let channelNumber = STUNAttributeType(0x000C)
    package static let lifetime = STUNAttributeType(0x000D)
    package static let xorPeerAddress = STUNAttributeType(0x0012)
    package static let data = STUNAttributeType(0x0013)
    package static let realm = STUNAttributeType(0x0014)
    package static let nonce = STUNAttributeType(0x0015)
    package static let xorRelayedAddress = STUNAttributeType(0x0016)
    package static let requestedAddressFamily = STUNAttributeType(0x0017)
    package static let requestedTransport = STUNAttributeType(0x0019)
    package static let dontFragment = STUNAttributeType(0x001A)
    package static let messageIntegritySHA256 = STUNAttributeType(0x001C)
    package static let xorMappedAddress = STUNAttributeType(0x0020)
    package static let priority = STUNAttributeType(0x0024)
    package static let useCandidate = STUNAttributeType(0x0025)
    package static let software = STUNAttributeType(0x8022)
    package static let fingerprint = STUNAttributeType(0x8028)
    package static let iceControlled = STUNAttributeType(0x8029)
    package static let iceControlling = STUNAttributeType(0x802A)

    /// RFC 8489 §15: 0x0000–0x7FFF must be understood by the receiver.
    package var isComprehensionRequired: Bool { rawValue < 0x8000 }

    package var description: String { "0x" + String(rawValue, radix: 16) }
}

/// One attribute as it sits on the wire: type, value, and the padding bytes it arrived with (kept
/// so that a decoded message re-encodes to identical bytes; RFC 8489 §14 lets padding be anything).
package struct STUNAttribute: Hashable, Sendable {
    package var type: STUNAttributeType
    package var value: [UInt8]
    /// Padding to the next 4-byte boundary; nil means zeros when encoding.
    package var padding: [UInt8]?

    package init(type: STUNAttributeType, value: [UInt8], padding: [UInt8]? = nil) {
        self.type = type
        self.value = value
        self.padding = padding
    }
}
