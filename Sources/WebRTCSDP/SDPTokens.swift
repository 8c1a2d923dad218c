/// Small lexical helpers shared by the line and attribute parsers. They work on the UTF-8 view
/// so that every split is at an ASCII byte and costs linear time.
enum SDPTokens {
    /// Splits on runs of ASCII spaces; empty tokens are dropped.
    static func words(_ s: Substring) -> [Substring] {
        // Hand-written loop: the generic `split` is several times slower in debug builds.
        var out: [Substring] = []
        let u = s.utf8
        var i = u.startIndex
        var start: String.Index?
        while i < u.endIndex {
            if u[i] == 0x20 {
                if let st = start {
                    out.append(Substring(u[st..<i]))
                    start = nil
                }
            } else if start == nil {
                start = i
            }
            u.formIndex(after: &i)
        }
        if let st = start { out.append(Substring(u[st..<u.endIndex])) }
        return out
    }

    /// True if every byte of `s` satisfies `predicate`.
    static func all(_ s: Substring, _ predicate: (UInt8) -> Bool) -> Bool {
        let u = s.utf8
        var i = u.startIndex
        while i < u.endIndex {
            if !predicate(u[i]) { return false }
            u.formIndex(after: &i)
        }
        return true
    }

    /// Splits at the first occurrence of `byte`: (before, after) or nil if absent.
    static func splitOnce(_ s: Substring, at byte: UInt8) -> (Substring, Substring)? {
        guard let i = s.utf8.firstIndex(of: byte) else { return nil }
        let after = s.utf8.index(after: i)
        return (Substring(s.utf8[s.utf8.startIndex..<i]), Substring(s.utf8[after...]))
    }

    /// Strips leading and trailing ASCII spaces.
    static func trimSpaces(_ s: Substring) -> Substring {
        let u = s.utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 }) else { return Substring(u[u.endIndex...]) }
        guard let last = u.lastIndex(where: { $0 != 0x20 }) else { return Substring(u[u.endIndex...]) }
        return Substring(u[first...last])
    }

    /// A strictly decimal unsigned integer (digits only, at least one, no overflow).
    static func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ s: Substring, as _: T.Type = T.self) -> T? {
        guard !s.utf8.isEmpty else { return nil }
        var value: T = 0
        let u = s.utf8
        var i = u.startIndex
        while i < u.endIndex {
            let b = u[i]
            u.formIndex(after: &i)
            guard b >= 0x30, b <= 0x39 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(T(b - 0x30))
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }

    /// RFC 8866 §9 `token-char`: printable ASCII except space and the separators "(),/:;<=>?@[\]{}" and '"'.
    static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x21, 0x23...0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x41...0x5A, 0x5E...0x7E: return true
        default: return false
        }
    }

    /// True if `s` is a non-empty RFC 8866 token.
    static func isToken(_ s: Substring) -> Bool {
        !s.utf8.isEmpty && all(s, isTokenChar)
    }

    /// True if `s` is non-empty and has no ASCII space, tab or control byte.
    static func isVisible(_ s: Substring) -> Bool {
        !s.utf8.isEmpty && all(s) { $0 > 0x20 && $0 != 0x7F }
    }

    /// RFC 8839 `ice-char`: ALPHA / DIGIT / "+" / "/".
    static func isIceChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2B, 0x2F: return true
        default: return false
        }
    }

    /// ASCII letter or digit.
    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
    }
}
