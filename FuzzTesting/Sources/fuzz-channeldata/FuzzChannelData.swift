import FuzzSupport
import WebRTCSTUN

/// libFuzzer entry point for TURN ChannelData framing (RFC 8656 §12.4). Properties: no trap; a
/// decoded frame has a channel in 0x4000–0x4FFF and data that fits the datagram; it re-encodes
/// (padded and unpadded) to bytes that decode equal; the stream framer's length for it covers the
/// padded frame.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChannelData(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let frameLength = TURNChannelData.streamFrameLength(bytes[...])
    if bytes.count >= 2 { _ = TURNChannelData.streamFrameLength(bytes[1...]) }  // a slice not at index 0
    guard let cd = TURNChannelData.decode(bytes) else {
        if bytes.count >= 4, TURNChannelData.channelRange.contains(UInt16(bytes[0]) << 8 | UInt16(bytes[1])) {
            let length = Int(bytes[2]) << 8 | Int(bytes[3])
            require(4 + length > bytes.count, "rejected a ChannelData whose length fits")
        }
        return 0
    }
    require(TURNChannelData.channelRange.contains(cd.channel), "channel \(cd.channel) out of range")
    require(cd.data.count + 4 <= bytes.count, "data longer than the datagram")
    require(Array(bytes[4..<(4 + cd.data.count)]) == cd.data, "data is not the datagram's bytes")
    require(TURNChannelData.decode(cd.encode()) == cd, "unpadded round trip")
    let padded = cd.encode(pad: true)
    require(padded.count % 4 == 0 && TURNChannelData.decode(padded) == cd, "padded round trip")
    require(frameLength == padded.count, "stream frame length \(String(describing: frameLength)) != \(padded.count)")
    return 0
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer.
@_cdecl("fuzz_channeldata_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzChannelData(data, size) }
}
