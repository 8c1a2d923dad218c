/// The class of a STUN message (RFC 8489 §5): two bits interleaved into the message type.
package enum STUNClass: UInt8, Sendable, Hashable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}

/// A STUN method (RFC 8489 §18.2, RFC 8656 §17): a 12-bit number.
package struct STUNMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package var rawValue: UInt16
    package init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    package static let binding = STUNMethod(rawValue: 0x001)
    package static let allocate = STUNMethod(rawValue: 0x003)
    package static let refresh = STUNMethod(rawValue: 0x004)
    package static let send = STUNMethod(rawValue: 0x006)
    package static let data = STUNMethod(rawValue: 0x007)
    package static let createPermission = STUNMethod(rawValue: 0x008)
    package static let channelBind = STUNMethod(rawValue: 0x009)

    package var description: String { "0x" + String(rawValue, radix: 16) }
}

/// Packs and unpacks the 14-bit message type: M11..M7 C1 M6..M4 C0 M3..M0 (RFC 8489 §5, figure 3).
package enum STUNMessageType {
    /// The 16-bit type field for `method` and `cls` (top two bits zero).
    package static func encode(method: STUNMethod, cls: STUNClass) -> UInt16 {
        let m = method.rawValue, c = UInt16(cls.rawValue)
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0x1) << 4) | ((c & 0x2) << 7)
    }

    /// The method and class of a type field, or nil when either of the top two bits is set.
    package static func decode(_ type: UInt16) -> (STUNMethod, STUNClass)? {
        guard type & 0xC000 == 0 else { return nil }
        let m = (type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80)
        let c = UInt8(((type >> 4) & 0x1) | ((type >> 7) & 0x2))
        guard let cls = STUNClass(rawValue: c) else { return nil }
        return (STUNMethod(rawValue: m), cls)
    }
}
