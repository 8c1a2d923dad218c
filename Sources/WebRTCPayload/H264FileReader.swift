/// Splits a raw H.264 Annex B file into access units.
///
/// A new access unit starts at an access unit delimiter, at an SPS/PPS/SEI/AUD after a slice
/// (these only precede the first slice of an access unit, H.264 §7.4.1.2.3), or at a slice with
/// `first_mb_in_slice` = 0 after a slice (the first slice of the next picture).
package enum H264FileReader {
    /// The access units of `file`, each as Annex B with 4-byte start codes.
    package static func accessUnits(_ file: [UInt8]) -> [[UInt8]] {
        var units: [[UInt8]] = []
        var current: [ArraySlice<UInt8>] = []
        var sawSlice = false
        for nal in AnnexB.split(file) {
            let type = H264NALType.type(nal.first!)
            let isSlice = type == H264NALType.slice || type == H264NALType.idr
            // first_mb_in_slice is ue(v) first in the slice header: value 0 is the single bit "1".
            let firstSliceOfPicture = isSlice && nal.count > 1 && nal[nal.startIndex + 1] & 0x80 != 0
            let opensUnit = type == H264NALType.aud
                || (sawSlice && [H264NALType.sei, H264NALType.sps, H264NALType.pps].contains(type))
                || (sawSlice && firstSliceOfPicture)
            if opensUnit, !current.isEmpty {
                units.append(AnnexB.join(current))
                current = []
                sawSlice = false
            }
            current.append(nal)
            if isSlice { sawSlice = true }
        }
        if !current.isEmpty { units.append(AnnexB.join(current)) }
        return units
    }
}
