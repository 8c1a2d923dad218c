/// An IVF file: a 32-byte header, then frames each behind a 12-byte header (size, timestamp).
///
/// ```
/// 0  "DKIF"  4  version (0)  6  header size (32)  8  fourcc  12 width  14 height
/// 16 timebase denominator  20 timebase numerator  24 frame count  28 unused
/// frame: 0 size (u32)  4 timestamp (u64, in timebase units)  12 data
/// ```
/// All fields little-endian.
package struct IVFFile: Sendable {
    /// One frame of the file.
    package struct Frame: Sendable, Equatable {
        /// The presentation timestamp in `timebaseNumerator / timebaseDenominator` seconds.
        package var timestamp: UInt64
        /// The encoded frame.
        package var bytes: [UInt8]
    }

    /// The codec fourcc, e.g. "VP80", "VP90", "AV01".
    package var fourcc: String
    /// The frame width in pixels.
    package var width: Int
    /// The frame height in pixels.
    package var height: Int
    /// The timebase denominator (for example 30 for 1/30 s units).
    package var timebaseDenominator: UInt32
    /// The timebase numerator.
    package var timebaseNumerator: UInt32
    /// The frame count the header states (encoders do not always fill it in).
    package var declaredFrameCount: Int
    /// The frames in file order.
    package var frames: [Frame]

    /// Parses a whole IVF file. Throws `MediaFileError` with "ivf.badSignature", "ivf.truncatedHeader"
    /// or "ivf.truncatedFrame" (a frame whose size runs past the end of the file).
    package init(_ bytes: [UInt8]) throws {
        let b = bytes[...]
        guard b.count >= 32 else { throw MediaFileError("ivf.truncatedHeader") }
        guard b.prefix(4).elementsEqual("DKIF".utf8) else { throw MediaFileError("ivf.badSignature") }
        let headerSize = Int(b.littleEndian(at: 6, count: 2)!)
        guard headerSize >= 32, headerSize <= b.count else { throw MediaFileError("ivf.truncatedHeader") }
        fourcc = String(decoding: b[8..<12], as: UTF8.self)
        width = Int(b.littleEndian(at: 12, count: 2)!)
        height = Int(b.littleEndian(at: 14, count: 2)!)
        timebaseDenominator = UInt32(b.littleEndian(at: 16, count: 4)!)
        timebaseNumerator = UInt32(b.littleEndian(at: 20, count: 4)!)
        declaredFrameCount = Int(b.littleEndian(at: 24, count: 4)!)
        frames = []
        var i = headerSize
        while i < b.endIndex {
            guard let size = b.littleEndian(at: i, count: 4), let ts = b.littleEndian(at: i + 4, count: 8),
                  UInt64(b.endIndex - i - 12) >= size else { throw MediaFileError("ivf.truncatedFrame") }
            frames.append(Frame(timestamp: ts, bytes: Array(b[i + 12..<i + 12 + Int(size)])))
            i += 12 + Int(size)
        }
    }
}
