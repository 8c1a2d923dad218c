extension SessionDescription {
    /// The SDP text: RFC 8866 §5 line order, CRLF after every line.
    ///
    /// An empty `timing` is written as `t=0 0`, since `t=` is mandatory.
    package func serialize() -> String {
        var out = ""
        out.reserveCapacity(256 + media.count * 512)
        func line(_ type: String, _ value: String) {
            out += type
            out += "="
            out += value
            out += "\r\n"
        }
        line("v", "0")
        line("o", origin.value)
        line("s", sessionName)
        if let information { line("i", information) }
        if let uri { line("u", uri) }
        for e in emails { line("e", e) }
        for p in phones { line("p", p) }
        if let connection { line("c", connection.value) }
        for b in bandwidths { line("b", b.text) }
        for t in timing.isEmpty ? [SDPTiming()] : timing {
            line("t", "\(t.start) \(t.stop)")
            for r in t.repeats { line("r", r) }
        }
        if let timeZones { line("z", timeZones) }
        if let encryptionKey { line("k", encryptionKey) }
        for a in attributes { line("a", a.text) }
        for m in media {
            line("m", MediaLine.text(m))
            if let i = m.information { line("i", i) }
            if let c = m.connection { line("c", c.value) }
            for b in m.bandwidths { line("b", b.text) }
            if let k = m.encryptionKey { line("k", k) }
            for a in m.attributes { line("a", a.text) }
        }
        return out
    }
}
