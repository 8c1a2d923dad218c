extension SessionDescription {
    /// Parses `text` and applies `validateForWebRTC`, naming lines of `text` in errors.
    package static func parseForWebRTC(_ text: String) throws(SDPParseError) -> SessionDescription {
        let (description, lines) = try parseWithLines(text)
        try description.validate(mediaLines: lines)
        return description
    }

    /// JSEP-level checks (RFC 9429 §5.8, RFC 8839 §5.4, RFC 8122 §5, RFC 8842 §5): every m-section
    /// that is not rejected has `a=mid` (unique), `a=ice-ufrag`, `a=ice-pwd`, at least one
    /// `a=fingerprint` and `a=setup`, each at media or session level. The error names the m= line
    /// as numbered in `serialize()` output (equal to the input's numbering for canonical input).
    package func validateForWebRTC() throws(SDPParseError) {
        try validate(mediaLines: serializedMediaLineNumbers())
    }

    /// Line numbers of each m= line in `serialize()` output.
    package func serializedMediaLineNumbers() -> [Int] {
        var n = 3 + (information == nil ? 0 : 1) + (uri == nil ? 0 : 1) + emails.count + phones.count
        n += (connection == nil ? 0 : 1) + bandwidths.count
        n += timing.isEmpty ? 1 : timing.reduce(0) { $0 + 1 + $1.repeats.count }
        n += (timeZones == nil ? 0 : 1) + (encryptionKey == nil ? 0 : 1) + attributes.count
        var out: [Int] = []
        out.reserveCapacity(media.count)
        for m in media {
            out.append(n + 1)
            n += 1 + (m.information == nil ? 0 : 1) + (m.connection == nil ? 0 : 1) + m.bandwidths.count
            n += (m.encryptionKey == nil ? 0 : 1) + m.attributes.count
        }
        return out
    }

    private func validate(mediaLines: [Int]) throws(SDPParseError) {
        var mids: Set<String> = []
        for (i, m) in media.enumerated() {
            let line = i < mediaLines.count ? mediaLines[i] : 1
            if let mid = m.mid, !mids.insert(mid).inserted {
                throw SDPParseError(line: line, reason: "duplicate a=mid:\(mid)")
            }
            guard !m.isRejected else { continue }
            var missing: [String] = []
            if m.mid == nil { missing.append("a=mid") }
            if iceUfrag(for: i) == nil { missing.append("a=ice-ufrag") }
            if icePwd(for: i) == nil { missing.append("a=ice-pwd") }
            if fingerprints(for: i).isEmpty { missing.append("a=fingerprint") }
            if setup(for: i) == nil { missing.append("a=setup") }
            if !missing.isEmpty {
                throw SDPParseError(line: line, reason: "m-section \(i) is missing \(missing.joined(separator: ", "))")
            }
        }
    }
}
