@testable import WebRTCRTP

/// Bytes from a hex string; spaces and newlines are ignored.
func hex(_ s: String) -> [UInt8] {
    let digits = Array(s.filter(\.isHexDigit))
    return stride(from: 0, to: digits.count - 1, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// A 12-byte fixed RTP header (no padding, extension or CSRCs) with PT 96.
func rtpHeader(seq: UInt16, ts: UInt32 = 0x1122_3344, ssrc: UInt32 = 0xCAFE_BABE, flags: UInt8 = 0x80) -> [UInt8] {
    [flags, 96, UInt8(seq >> 8), UInt8(seq & 0xFF),
     UInt8(ts >> 24), UInt8(ts >> 16 & 0xFF), UInt8(ts >> 8 & 0xFF), UInt8(ts & 0xFF),
     UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
}
