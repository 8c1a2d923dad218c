/// Reading and writing RFC 8285 header extension elements on an `RTPPacket`.
package enum RTPHeaderExtensions {
    /// The one-byte form's profile value (RFC 8285 §4.2).
    package static let oneByteProfile: UInt16 = 0xBEDE
    /// The two-byte form's profile value with the 4 "appbits" zero (RFC 8285 §4.3).
    package static let twoByteProfile: UInt16 = 0x1000

    /// Why a set of elements cannot be written.
    package enum WriteError: Error, Sendable, Equatable {
        /// An id outside 1…255 (0 is padding in both forms).
        case badID(UInt8)
        /// A value longer than 255 bytes.
        case valueTooLong(UInt8)
        /// The same id twice.
        case duplicateID(UInt8)
    }

    /// Encodes `elements` as one header-extension block: the one-byte form when every id is 1…14 and
    /// every value is 1…16 bytes (RFC 8285 §4.2), otherwise the two-byte form (§4.3). Returns the
    /// profile and the data zero-padded to a multiple of 4 bytes.
    package static func encode(_ elements: [(id: UInt8, data: [UInt8])]) throws(WriteError) -> (profile: UInt16, data: [UInt8]) {
        var seen: UInt64 = 0, seenHigh: [UInt8] = []
        for e in elements {
            guard e.id != 0 else { throw .badID(e.id) }
            guard e.data.count <= 255 else { throw .valueTooLong(e.id) }
            if e.id < 64 {
                guard seen & (1 << UInt64(e.id)) == 0 else { throw .duplicateID(e.id) }
                seen |= 1 << UInt64(e.id)
            } else {
                guard !seenHigh.contains(e.id) else { throw .duplicateID(e.id) }
                seenHigh.append(e.id)
            }
        }
        let oneByte = elements.allSatisfy { $0.id <= 14 && (1...16).contains($0.data.count) }
        var out: [UInt8] = []
        out.reserveCapacity(elements.reduce(0) { $0 + $1.data.count + 2 } + 3)
        for e in elements {
            if oneByte {
                out.append(e.id << 4 | UInt8(e.data.count - 1))
            } else {
                out.append(e.id)
                out.append(UInt8(e.data.count))
            }
            out.append(contentsOf: e.data)
        }
        while out.count % 4 != 0 { out.append(0) }
        return (oneByte ? oneByteProfile : twoByteProfile, out)
    }
}

extension RTPPacket {
    /// The RFC 8285 elements of this packet's header extension.
    package var headerExtensionElements: RTPHeaderExtensionElements {
        RTPHeaderExtensionElements(profile: extensionProfile, data: extensionData)
    }

    /// The value of the element with local `id`, nil when absent (or the block is not RFC 8285).
    /// A linear scan of the block: no dictionary is built per packet.
    package func headerExtension(id: UInt8) -> ArraySlice<UInt8>? {
        guard id != 0 else { return nil }
        for e in headerExtensionElements where e.id == id { return e.data }
        return nil
    }

    /// Replaces the header extension with `elements` (none: the X bit is cleared).
    package mutating func setHeaderExtensions(_ elements: [(id: UInt8, data: [UInt8])]) throws(RTPHeaderExtensions.WriteError) {
        if elements.isEmpty {
            extensionProfile = nil
            extensionData = []
            return
        }
        let (profile, data) = try RTPHeaderExtensions.encode(elements)
        extensionProfile = profile
        extensionData = data[...]
    }
}
