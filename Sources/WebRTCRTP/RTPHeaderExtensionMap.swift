/// Maps the header-extension URIs negotiated in SDP (`a=extmap`, RFC 8285 §5) to local ids, with
/// typed accessors for the extensions WebRTC uses. Built once per session; reading a packet only
/// scans its extension block.
package struct RTPHeaderExtensionMap: Sendable, Equatable {
    /// The header extensions this map knows by URI.
    package enum Kind: Int, CaseIterable, Sendable {
        /// RFC 9143 §15: `urn:ietf:params:rtp-hdrext:sdes:mid`.
        case mid
        /// RFC 8852 §3.1: `urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id`.
        case rtpStreamID
        /// RFC 8852 §3.2: `urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id`.
        case repairedRTPStreamID
        /// Absolute send time (6.18 fixed-point seconds, 24 bits).
        case absSendTime
        /// Transport-wide sequence number (16 bits), draft-holmer-rmcat-transport-wide-cc-extensions-01.
        case transportSequenceNumber
        /// RFC 6464: client-to-mixer audio level.
        case audioLevel

        /// The URI negotiated in SDP for this extension.
        package var uri: String {
            switch self {
            case .mid: "urn:ietf:params:rtp-hdrext:sdes:mid"
            case .rtpStreamID: "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
            case .repairedRTPStreamID: "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
            case .absSendTime: "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
            case .transportSequenceNumber: "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
            case .audioLevel: "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
            }
        }

        /// The kind for `uri`, nil for a URI this map does not know.
        package init?(uri: String) {
            guard let k = Self.allCases.first(where: { $0.uri == uri }) else { return nil }
            self = k
        }
    }

    /// Local id per `Kind.rawValue`; 0 means not negotiated.
    private var ids: [UInt8] = Array(repeating: 0, count: Kind.allCases.count)

    /// An empty map (nothing negotiated).
    package init() {}

    /// A map from negotiated `(id, uri)` pairs; unknown URIs and ids outside 1…255 are ignored.
    package init(_ extmaps: [(id: Int, uri: String)]) {
        for e in extmaps {
            guard let kind = Kind(uri: e.uri), (1...255).contains(e.id) else { continue }
            ids[kind.rawValue] = UInt8(e.id)
        }
    }

    /// The local id negotiated for `kind`, nil if none.
    package func id(for kind: Kind) -> UInt8? {
        let v = ids[kind.rawValue]
        return v == 0 ? nil : v
    }

    /// Sets (or with nil removes) the id for `kind`.
    package mutating func setID(_ id: UInt8?, for kind: Kind) { ids[kind.rawValue] = id ?? 0 }

    /// The raw value of `kind` in `packet`, nil if not negotiated or absent.
    package func value(_ kind: Kind, in packet: RTPPacket) -> ArraySlice<UInt8>? {
        id(for: kind).flatMap { packet.headerExtension(id: $0) }
    }

    /// The MID (RFC 9143), nil if absent or empty.
    package func mid(in packet: RTPPacket) -> String? { string(.mid, packet) }
    /// The RID (RFC 8852 §3.1).
    package func rtpStreamID(in packet: RTPPacket) -> String? { string(.rtpStreamID, packet) }
    /// The repaired RID (RFC 8852 §3.2).
    package func repairedRTPStreamID(in packet: RTPPacket) -> String? { string(.repairedRTPStreamID, packet) }

    /// Absolute send time: the 24-bit 6.18 fixed-point seconds value.
    package func absSendTime(in packet: RTPPacket) -> UInt32? {
        guard let v = value(.absSendTime, in: packet), v.count == 3 else { return nil }
        return UInt32(v[v.startIndex]) << 16 | UInt32(v[v.startIndex + 1]) << 8 | UInt32(v[v.startIndex + 2])
    }

    /// The transport-wide sequence number.
    package func transportSequenceNumber(in packet: RTPPacket) -> UInt16? {
        guard let v = value(.transportSequenceNumber, in: packet), v.count >= 2 else { return nil }
        return UInt16(v[v.startIndex]) << 8 | UInt16(v[v.startIndex + 1])
    }

    /// RFC 6464 §3: the voice-activity flag and the level in −dBov (0…127).
    package func audioLevel(in packet: RTPPacket) -> (voiceActivity: Bool, level: UInt8)? {
        guard let v = value(.audioLevel, in: packet), let b = v.first else { return nil }
        return (b & 0x80 != 0, b & 0x7F)
    }

    private func string(_ kind: Kind, _ packet: RTPPacket) -> String? {
        guard let v = value(kind, in: packet) else { return nil }
        // Some senders pad the identifier with NULs; they are not part of it.
        let trimmed = v.prefix { $0 != 0 }
        return trimmed.isEmpty ? nil : String(decoding: trimmed, as: UTF8.self)
    }

    /// Encoded values for writing with `RTPPacket.setHeaderExtensions`.
    package enum Value {
        /// An SDES identifier (MID, RID): its UTF-8 bytes.
        package static func string(_ s: String) -> [UInt8] { Array(s.utf8) }
        /// Absolute send time, 24 bits.
        package static func absSendTime(_ v: UInt32) -> [UInt8] { [UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        /// Absolute send time for `nanoseconds` since any epoch: 6.18 fixed point, wrapping every 64 s.
        package static func absSendTime(nanoseconds: Int64) -> [UInt8] {
            let ns = nanoseconds.magnitude % 64_000_000_000  // the field wraps every 64 s
            let fixed = (ns << 18) / 1_000_000_000
            return absSendTime(UInt32(truncatingIfNeeded: fixed) & 0xFF_FFFF)
        }
        /// Transport-wide sequence number, 16 bits.
        package static func transportSequenceNumber(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
        /// RFC 6464 audio level.
        package static func audioLevel(voiceActivity: Bool, level: UInt8) -> [UInt8] { [(voiceActivity ? 0x80 : 0) | min(level, 127)] }
    }
}
