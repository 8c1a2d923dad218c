/// The one source of randomness an engine uses: seeded and reproducible in tests, the system's
/// cryptographic generator in production.
///
/// A reference type so that every engine of one connection draws from the same sequence; it is
/// only ever used from that connection's serial executor (hence `@unchecked Sendable`).
package final class RandomSource: @unchecked Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    private let seeded: Bool

    /// A deterministic xoshiro256** stream for `seed`, or the system generator when `seed` is nil.
    package init(seed: UInt64? = nil) {
        if let seed {
            seeded = true
            var sm = seed
            func splitmix() -> UInt64 {
                sm &+= 0x9E37_79B9_7F4A_7C15
                var z = sm
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
            state = (splitmix(), splitmix(), splitmix(), splitmix())
        } else {
            seeded = false
            state = (0, 0, 0, 0)
        }
    }

    /// The next 64 random bits.
    package func next() -> UInt64 {
        guard seeded else {
            var g = SystemRandomNumberGenerator()
            return g.next()
        }
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniformly distributed integer in `range`.
    package func uniform(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    /// A uniformly distributed double in [0, 1).
    package func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// `count` random bytes.
    package func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count)
        while out.count < count {
            var v = next()
            for _ in 0..<8 where out.count < count {
                out.append(UInt8(v & 0xFF))
                v >>= 8
            }
        }
        return out
    }

    /// A random string of `count` characters from the ICE character set (RFC 8839 `ice-char`).
    package func iceString(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        return String((0..<count).map { _ in alphabet[Int(next() % 64)] })
    }
}
