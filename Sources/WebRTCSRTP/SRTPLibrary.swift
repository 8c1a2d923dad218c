import CWebRTCSRTP

/// Process-wide libsrtp initialisation.
///
/// libsrtp requires `srtp_init()` once before any other call. A Swift global `let` is initialised
/// lazily exactly once under `swift_once`, which makes this a thread-safe once without a lock of
/// our own. `srtp_shutdown()` is never called: the library stays usable for the process lifetime.
enum SRTPLibrary {
    private static let initStatus: Int32 = Int32(bitPattern: UInt32(srtp_init().rawValue))

    /// Runs `srtp_init()` on first use; throws if libsrtp failed to initialise.
    static func ensureInitialized() throws {
        guard initStatus == 0 else { throw SRTPError(.libraryInit, status: initStatus) }
    }

    /// libsrtp may write up to this many bytes past the end of the packet in `srtp_protect`
    /// (`SRTP_MAX_TRAILER_LEN` = max tag + max MKI). We always provide them.
    static let maxTrailerLength = Int(SRTP_MAX_TAG_LEN) + Int(SRTP_MAX_MKI_LEN)
}
