/// A parsed SDP session description (RFC 8866) with the attributes JSEP (RFC 9429) uses.
///
/// Every line of the input has a place in the model, so `serialize()` of a parsed description
/// parses back to an equal value. Lines are kept in RFC 8866 §5 order.
package struct SessionDescription: Equatable, Sendable {
    /// `o=`.
    package var origin: SDPOrigin
    /// `s=`, "-" in WebRTC.
    package var sessionName: String
    /// `i=` (session information).
    package var information: String?
    /// `u=`.
    package var uri: String?
    /// `e=` lines.
    package var emails: [String]
    /// `p=` lines.
    package var phones: [String]
    /// Session-level `c=`.
    package var connection: SDPConnection?
    /// Session-level `b=` lines.
    package var bandwidths: [SDPBandwidth]
    /// `t=` lines with their `r=` lines; at least one when serialised.
    package var timing: [SDPTiming]
    /// `z=`, verbatim.
    package var timeZones: String?
    /// Session-level `k=`, verbatim.
    package var encryptionKey: String?
    /// Session-level `a=` lines, in order.
    package var attributes: [SDPAttribute]
    /// The m-sections, in order.
    package var media: [MediaDescription]

    /// Creates a description with `v=0`, `t=0 0` and nothing else beyond the arguments.
    package init(origin: SDPOrigin, sessionName: String = "-", attributes: [SDPAttribute] = [],
                 media: [MediaDescription] = []) {
        self.origin = origin
        self.sessionName = sessionName
        self.information = nil
        self.uri = nil
        self.emails = []
        self.phones = []
        self.connection = nil
        self.bandwidths = []
        self.timing = [SDPTiming()]
        self.timeZones = nil
        self.encryptionKey = nil
        self.attributes = attributes
        self.media = media
    }

    /// The mids of every `a=group:BUNDLE` line, one array per line.
    package var bundleGroups: [[String]] {
        attributes.compactMap {
            if case .group(let semantics, let ids) = $0, semantics == "BUNDLE" { return ids }
            return nil
        }
    }

    /// True if the session carries `a=ice-lite`.
    package var iceLite: Bool { attributes.contains(.iceLite) }

    /// ice-ufrag of m-section `m`: media level, else session level.
    package func iceUfrag(for m: Int) -> String? {
        media.indices.contains(m) ? media[m].iceUfrag ?? SDPAttributeQuery.iceUfrag(attributes) : nil
    }

    /// ice-pwd of m-section `m`: media level, else session level.
    package func icePwd(for m: Int) -> String? {
        media.indices.contains(m) ? media[m].icePwd ?? SDPAttributeQuery.icePwd(attributes) : nil
    }

    /// Fingerprints of m-section `m`: media level if any, else session level.
    package func fingerprints(for m: Int) -> [SDPFingerprint] {
        guard media.indices.contains(m) else { return [] }
        let own = media[m].fingerprints
        return own.isEmpty ? SDPAttributeQuery.fingerprints(attributes) : own
    }

    /// setup role of m-section `m`: media level, else session level.
    package func setup(for m: Int) -> SDPSetupRole? {
        media.indices.contains(m) ? media[m].setup ?? SDPAttributeQuery.setup(attributes) : nil
    }

    /// ice-options of m-section `m`: media level if any, else session level.
    package func iceOptions(for m: Int) -> [String] {
        guard media.indices.contains(m) else { return [] }
        let own = SDPAttributeQuery.iceOptions(media[m].attributes)
        return own.isEmpty ? SDPAttributeQuery.iceOptions(attributes) : own
    }

    /// Index of the m-section whose `a=mid` is `mid`.
    package func mediaIndex(mid: String) -> Int? {
        media.firstIndex(where: { $0.mid == mid })
    }
}
