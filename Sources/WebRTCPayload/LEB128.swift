/// Unsigned LEB128 as AV1 uses it (AV1 bitstream spec §4.10.5): 7 bits per byte, least significant
/// group first, high bit set on every byte but the last, at most 8 bytes, value below 2^32.
package enum LEB128 {
    /// The minimal encoding of `value`.
    package static func encode(_ value: Int) -> [UInt8] {
        var v = UInt64(max(0, value))
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            out.append(byte)
        } while v != 0
        return out
    }

    /// The number of bytes `encode(value)` produces.
    package static func size(_ value: Int) -> Int {
        var v = max(0, value), n = 1
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }

    /// Reads a value at `index` of `bytes`, advancing `index`; nil when the bytes end inside it,
    /// it runs over 8 bytes, or the value does not fit in 32 bits (AV1 §4.10.5).
    package static func read(_ bytes: ArraySlice<UInt8>, at index: inout Int) -> Int? {
        var value: UInt64 = 0
        var i = index
        for n in 0..<8 {
            guard i < bytes.endIndex else { return nil }
            let b = bytes[i]
            i += 1
            value |= UInt64(b & 0x7F) << (7 * UInt64(n))
            if b & 0x80 == 0 {
                guard value <= UInt64(UInt32.max) else { return nil }
                index = i
                return Int(value)
            }
        }
        return nil
    }
}
