import Glibc
@testable import WebRTCSRTP

/// Bytes from a hex string; spaces are ignored.
func hex(_ s: String) -> [UInt8] {
    let digits = s.filter { !$0.isWhitespace }
    var out: [UInt8] = []
    var i = digits.startIndex
    while i < digits.endIndex {
        let j = digits.index(after: i)
        out.append(UInt8(digits[i...j], radix: 16)!)
        i = digits.index(after: j)
    }
    return out
}

/// A plain RTP packet: V=2, no padding/extension/CSRC unless given.
func makeRTP(seq: UInt16, ssrc: UInt32 = 0x1234_5678, timestamp: UInt32 = 0x0102_0304,
             payloadType: UInt8 = 96, marker: Bool = false, payload: [UInt8]) -> [UInt8] {
    var p: [UInt8] = [0x80, payloadType | (marker ? 0x80 : 0)]
    p += [UInt8(seq >> 8), UInt8(seq & 0xFF)]
    p += be32(timestamp) + be32(ssrc)
    return p + payload
}

/// A plain RTCP receiver report (PT 201) with no report blocks, plus optional extra words.
func makeRTCP(ssrc: UInt32 = 0x1234_5678, extraWords: Int = 0) -> [UInt8] {
    var p: [UInt8] = [0x80, 201, 0, UInt8(1 + extraWords)]
    p += be32(ssrc)
    for i in 0..<extraWords { p += be32(UInt32(i)) }
    return p
}

func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

/// A DTLS-SRTP keying-material blob of the right length for `profile` with distinct bytes.
func keyingBlob(_ profile: SRTPProfile, seed: UInt8 = 1) -> [UInt8] {
    (0..<SRTPContextPair.KeyingMaterial.length(for: profile)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
}

/// libsrtp's raw AES-ICM-128 cipher (the one `srtp_protect` uses), reached through `dlsym`
/// because `cipher.h` is not part of the CWebRTCSRTP module map. Used only to check RFC 3711
/// Appendix B.2/B.3 against libsrtp's own primitive. libsrtp must be initialised first (create
/// any `SRTPSession`).
final class LibSRTPAESICM {
    private typealias AllocFn = @convention(c) (UnsafeRawPointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?, Int32, Int32) -> UInt32
    private typealias InitFn = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?) -> UInt32
    private typealias SetIVFn = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> UInt32
    private typealias OutputFn = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?) -> UInt32
    private typealias DeallocFn = @convention(c) (UnsafeMutableRawPointer?) -> UInt32

    private let cipher: UnsafeMutableRawPointer
    private let setIV: SetIVFn
    private let output: OutputFn
    private let dealloc: DeallocFn

    private static func symbol<T>(_ name: String, as: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let p = dlsym(handle, name) else { return nil }
        return unsafeBitCast(p, to: T.self)
    }

    /// `key` is the 16-byte AES key followed by the 14-byte salt (libsrtp's "key with salt").
    init?(keyWithSalt key: [UInt8]) {
        guard key.count == 30,
              let handle = dlopen(nil, RTLD_NOW), let type = dlsym(handle, "srtp_aes_icm_128"),
              let alloc = Self.symbol("srtp_cipher_type_alloc", as: AllocFn.self),
              let initFn = Self.symbol("srtp_cipher_init", as: InitFn.self),
              let setIV = Self.symbol("srtp_cipher_set_iv", as: SetIVFn.self),
              let output = Self.symbol("srtp_cipher_output", as: OutputFn.self),
              let dealloc = Self.symbol("srtp_cipher_dealloc", as: DeallocFn.self) else { return nil }
        var c: UnsafeMutableRawPointer?
        guard alloc(UnsafeRawPointer(type), &c, 30, 0) == 0, let c else { return nil }
        guard key.withUnsafeBufferPointer({ initFn(c, $0.baseAddress) }) == 0 else {
            _ = dealloc(c)
            return nil
        }
        self.cipher = c
        self.setIV = setIV
        self.output = output
        self.dealloc = dealloc
    }

    deinit { _ = dealloc(cipher) }

    /// The first `count` keystream bytes for the 16-byte `iv` (XORed with the salt by libsrtp).
    func keystream(iv: [UInt8], count: Int) -> [UInt8]? {
        var iv = iv
        guard iv.withUnsafeMutableBufferPointer({ setIV(cipher, $0.baseAddress, 0) }) == 0 else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        var n = UInt32(count)
        guard out.withUnsafeMutableBufferPointer({ output(cipher, $0.baseAddress, &n) }) == 0 else { return nil }
        return out
    }
}
