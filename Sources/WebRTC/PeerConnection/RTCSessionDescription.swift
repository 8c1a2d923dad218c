/// A session description: a type and SDP text (webrtc-pc §4.7).
public struct RTCSessionDescription: Sendable, Hashable, Codable {
    /// offer, pranswer, answer or rollback.
    public var type: RTCSdpType
    /// The SDP text (empty for rollback, or for an implicit `setLocalDescription`).
    public var sdp: String

    /// Creates a description.
    public init(type: RTCSdpType, sdp: String = "") {
        self.type = type
        self.sdp = sdp
    }

    enum CodingKeys: String, CodingKey { case type, sdp }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let t = try c.decode(String.self, forKey: .type)
        guard let type = RTCSdpType(rawValue: t) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown type \(t)")
        }
        self.type = type
        self.sdp = try c.decodeIfPresent(String.self, forKey: .sdp) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type.rawValue, forKey: .type)
        try c.encode(sdp, forKey: .sdp)
    }
}
