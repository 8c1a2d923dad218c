import WebRTCCore

/// DCEP channel types (RFC 8832 §5.1): ordered/unordered × reliable, rexmit-limited, timed.
package enum DCEPChannelType: UInt8, Sendable, CaseIterable {
    case reliable = 0x00
    case reliableUnordered = 0x80
    case partialReliableRexmit = 0x01
    case partialReliableRexmitUnordered = 0x81
    case partialReliableTimed = 0x02
    case partialReliableTimedUnordered = 0x82

    /// High bit clear = ordered delivery.
    package var ordered: Bool { rawValue & 0x80 == 0 }

    /// The type for a delivery order and an optional reliability limit.
    package init(ordered: Bool, maxRetransmits: UInt16?, maxPacketLifeTime: UInt16?) {
        switch (ordered, maxRetransmits != nil, maxPacketLifeTime != nil) {
        case (true, true, _): self = .partialReliableRexmit
        case (false, true, _): self = .partialReliableRexmitUnordered
        case (true, false, true): self = .partialReliableTimed
        case (false, false, true): self = .partialReliableTimedUnordered
        case (true, false, false): self = .reliable
        case (false, false, false): self = .reliableUnordered
        }
    }
}

/// A DATA_CHANNEL_OPEN message (RFC 8832 §5.1).
package struct DCEPOpen: Sendable, Equatable {
    /// The channel type byte.
    package var channelType: DCEPChannelType
    /// Priority (RFC 8832 §5.1, values from RFC 8831 §6.4).
    package var priority: UInt16
    /// Retransmission count or lifetime in ms, by channel type; 0 for reliable types.
    package var reliability: UInt32
    /// Channel label (UTF-8, at most 65,535 bytes).
    package var label: String
    /// Sub-protocol (UTF-8, at most 65,535 bytes).
    package var `protocol`: String

    /// An OPEN with the given fields.
    package init(channelType: DCEPChannelType, priority: UInt16 = 256, reliability: UInt32 = 0,
                 label: String, protocol: String = "") {
        self.channelType = channelType
        self.priority = priority
        self.reliability = reliability
        self.label = label
        self.protocol = `protocol`
    }

    /// The OPEN announcing a locally created channel.
    package init(parameters p: DataChannelParameters) {
        let type = DCEPChannelType(ordered: p.ordered, maxRetransmits: p.maxRetransmits,
                                   maxPacketLifeTime: p.maxPacketLifeTime)
        let reliability = UInt32(p.maxRetransmits ?? p.maxPacketLifeTime ?? 0)
        self.init(channelType: type, priority: p.priority, reliability: reliability,
                  label: p.label, protocol: p.protocol)
    }

    /// The parameters the remote side asked for, for a channel on stream `id`. Reliability values
    /// above 65,535 clamp to 65,535 (the W3C attributes are unsigned short).
    package func parameters(id: UInt16) -> DataChannelParameters {
        let clamped = UInt16(min(reliability, UInt32(UInt16.max)))
        var p = DataChannelParameters(label: label, protocol: `protocol`, ordered: channelType.ordered,
                                      priority: priority, negotiated: false, id: id)
        switch channelType {
        case .partialReliableRexmit, .partialReliableRexmitUnordered: p.maxRetransmits = clamped
        case .partialReliableTimed, .partialReliableTimedUnordered: p.maxPacketLifeTime = clamped
        case .reliable, .reliableUnordered: break
        }
        return p
    }
}

/// A DCEP message (PPID 50).
package enum DCEPMessage: Sendable, Equatable {
    case open(DCEPOpen)
    case ack

    /// Message type bytes (RFC 8832 §8.2.1).
    static let openType: UInt8 = 0x03
    static let ackType: UInt8 = 0x02

    /// Why a DCEP payload was rejected; the raw value is the drop-counter reason.
    package enum DecodeError: String, Error, Sendable, Equatable {
        case empty = "dcep.empty"
        case unknownType = "dcep.unknownType"
        case truncated = "dcep.truncated"
        case unknownChannelType = "dcep.unknownChannelType"
        case lengthMismatch = "dcep.lengthMismatch"
        case invalidUTF8 = "dcep.invalidUTF8"
    }

    /// The wire bytes. Labels or protocols longer than 65,535 UTF-8 bytes are the caller's error
    /// (checked by `SCTPAssociation.openChannel`); here they would be truncated by the u16 length.
    package func encode() -> [UInt8] {
        switch self {
        case .ack:
            return [Self.ackType]
        case .open(let o):
            let label = Array(o.label.utf8), proto = Array(o.protocol.utf8)
            var w = ByteWriter(capacity: 12 + label.count + proto.count)
            w.u8(Self.openType)
            w.u8(o.channelType.rawValue)
            w.u16(o.priority)
            w.u32(o.reliability)
            w.u16(UInt16(truncatingIfNeeded: label.count))
            w.u16(UInt16(truncatingIfNeeded: proto.count))
            w.append(label)
            w.append(proto)
            return w.bytes
        }
    }

    /// Parses a DCEP payload with bounds checks. The label and protocol lengths must exactly fill
    /// the message: some stacks count characters rather than UTF-8 bytes, and a guess at what they
    /// meant would silently rename the channel, so such an OPEN is rejected (RFC 8832 §5.1 says
    /// the lengths are in bytes).
    package static func decode(_ bytes: ArraySlice<UInt8>) -> Result<DCEPMessage, DecodeError> {
        var r = ByteReader(bytes)
        guard let type = r.u8() else { return .failure(.empty) }
        switch type {
        case ackType:
            // RFC 8832 §5.2: the ACK is one byte; anything after it is ignored.
            return .success(.ack)
        case openType:
            guard let rawType = r.u8(), let priority = r.u16(), let reliability = r.u32(),
                  let labelLength = r.u16(), let protocolLength = r.u16() else { return .failure(.truncated) }
            guard let channelType = DCEPChannelType(rawValue: rawType) else { return .failure(.unknownChannelType) }
            guard r.remaining == Int(labelLength) + Int(protocolLength),
                  let labelBytes = r.take(Int(labelLength)), let protoBytes = r.take(Int(protocolLength))
            else { return .failure(.lengthMismatch) }
            guard let label = String(validating: labelBytes, as: UTF8.self),
                  let proto = String(validating: protoBytes, as: UTF8.self) else { return .failure(.invalidUTF8) }
            return .success(.open(DCEPOpen(channelType: channelType, priority: priority, reliability: reliability,
                                           label: label, protocol: proto)))
        default:
            return .failure(.unknownType)
        }
    }

    /// `decode` over a whole array.
    package static func decode(_ bytes: [UInt8]) -> Result<DCEPMessage, DecodeError> { decode(bytes[...]) }
}
