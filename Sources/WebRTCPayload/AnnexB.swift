/// H.264 Annex B byte streams (ITU-T H.264 Annex B): NAL units behind 3- or 4-byte start codes.
package enum AnnexB {
    /// The 4-byte start code the depacketizer writes before every NAL unit.
    package static let startCode: [UInt8] = [0, 0, 0, 1]

    /// The NAL units of `stream`, without start codes. Bytes before the first start code are
    /// ignored; zero bytes just before a start code (the leading zero of a 4-byte start code or
    /// `trailing_zero_8bits`) are not part of the NAL unit; empty NAL units are skipped.
    package static func split(_ stream: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var nals: [ArraySlice<UInt8>] = []
        var start: Int?
        var i = stream.startIndex
        func close(at end: Int) {
            guard let s = start else { return }
            var e = end
            while e > s, stream[e - 1] == 0 { e -= 1 }
            if e > s { nals.append(stream[s..<e]) }
        }
        while i + 2 < stream.endIndex {
            if stream[i] == 0, stream[i + 1] == 0, stream[i + 2] == 1 {
                close(at: i)
                start = i + 3
                i += 3
            } else if stream[i + 2] > 1 {
                i += 3  // no start code can begin at i, i+1 or i+2
            } else {
                i += 1
            }
        }
        close(at: stream.endIndex)
        return nals
    }

    /// The NAL units of `stream`.
    package static func split(_ stream: [UInt8]) -> [ArraySlice<UInt8>] { split(stream[...]) }

    /// `nals` joined with 4-byte start codes.
    package static func join<C: Collection<UInt8>>(_ nals: [C]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(nals.reduce(0) { $0 + $1.count + 4 })
        for nal in nals {
            out.append(contentsOf: startCode)
            out.append(contentsOf: nal)
        }
        return out
    }
}
