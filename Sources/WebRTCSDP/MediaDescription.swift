/// One m-section: the `m=` line and the `i=`, `c=`, `b=`, `k=` and `a=` lines under it.
package struct MediaDescription: Equatable, Sendable {
    /// "audio", "video", "application" or another token.
    package var kind: String
    /// Port; 0 marks a rejected section (RFC 8866 §5.14, RFC 9429 §5.2.2).
    package var port: UInt16
    /// The "/<number of ports>" suffix of the port, if written.
    package var numberOfPorts: UInt16?
    /// Transport protocol, e.g. "UDP/DTLS/SCTP", "UDP/TLS/RTP/SAVPF".
    package var proto: String
    /// Formats: payload types, or "webrtc-datachannel".
    package var formats: [String]
    /// `i=`.
    package var information: String?
    /// `c=`.
    package var connection: SDPConnection?
    /// `b=` lines.
    package var bandwidths: [SDPBandwidth]
    /// `k=`, verbatim.
    package var encryptionKey: String?
    /// `a=` lines, in order.
    package var attributes: [SDPAttribute]

    /// Creates an m-section.
    package init(kind: String, port: UInt16, proto: String, formats: [String],
                 connection: SDPConnection? = nil, attributes: [SDPAttribute] = []) {
        self.kind = kind
        self.port = port
        self.numberOfPorts = nil
        self.proto = proto
        self.formats = formats
        self.information = nil
        self.connection = connection
        self.bandwidths = []
        self.encryptionKey = nil
        self.attributes = attributes
    }

    /// `a=mid`.
    package var mid: String? { attributes.lazy.compactMap { if case .mid(let v) = $0 { v } else { nil } }.first }
    /// Media-level `a=ice-ufrag`.
    package var iceUfrag: String? { SDPAttributeQuery.iceUfrag(attributes) }
    /// Media-level `a=ice-pwd`.
    package var icePwd: String? { SDPAttributeQuery.icePwd(attributes) }
    /// Media-level `a=fingerprint` lines.
    package var fingerprints: [SDPFingerprint] { SDPAttributeQuery.fingerprints(attributes) }
    /// Media-level `a=setup`.
    package var setup: SDPSetupRole? { SDPAttributeQuery.setup(attributes) }
    /// `a=candidate` lines.
    package var candidates: [CandidateAttribute] {
        attributes.compactMap { if case .candidate(let c) = $0 { c } else { nil } }
    }
    /// True if `a=end-of-candidates` is present.
    package var endOfCandidates: Bool { attributes.contains(.endOfCandidates) }
    /// `a=sctp-port`.
    package var sctpPort: UInt16? { attributes.lazy.compactMap { if case .sctpPort(let p) = $0 { p } else { nil } }.first }
    /// `a=max-message-size` (0 means unlimited; absent means 64 KiB per RFC 8841 §6.1).
    package var maxMessageSize: UInt64? {
        attributes.lazy.compactMap { if case .maxMessageSize(let m) = $0 { m } else { nil } }.first
    }
    /// The direction attribute, if any.
    package var direction: SDPDirection? {
        attributes.lazy.compactMap { if case .direction(let d) = $0 { d } else { nil } }.first
    }
    /// True if `a=rtcp-mux` is present.
    package var rtcpMux: Bool { attributes.contains(.rtcpMux) }
    /// True if the port is 0 (a rejected or removed section).
    package var isRejected: Bool { port == 0 }
    /// `a=rtpmap` lines.
    package var rtpMaps: [SDPRtpMap] { attributes.compactMap { if case .rtpmap(let r) = $0 { r } else { nil } } }
    /// Values of unknown attributes named `name`.
    package func otherAttributeValues(_ name: String) -> [String?] {
        attributes.compactMap { if case .other(let n, let v) = $0, n == name { .some(v) } else { nil } }
    }
}

/// Lookups shared by session and media level.
enum SDPAttributeQuery {
    static func iceUfrag(_ a: [SDPAttribute]) -> String? {
        a.lazy.compactMap { if case .iceUfrag(let v) = $0 { v } else { nil } }.first
    }
    static func icePwd(_ a: [SDPAttribute]) -> String? {
        a.lazy.compactMap { if case .icePwd(let v) = $0 { v } else { nil } }.first
    }
    static func fingerprints(_ a: [SDPAttribute]) -> [SDPFingerprint] {
        a.compactMap { if case .fingerprint(let f) = $0 { f } else { nil } }
    }
    static func setup(_ a: [SDPAttribute]) -> SDPSetupRole? {
        a.lazy.compactMap { if case .setup(let r) = $0 { r } else { nil } }.first
    }
    static func iceOptions(_ a: [SDPAttribute]) -> [String] {
        var out: [String] = []
        for case .iceOptions(let o) in a { out += o }
        return out
    }
}
