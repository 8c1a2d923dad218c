#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A data-channel message: text (PPID 51, or 56 when empty) or binary (PPID 53, or 57 when empty).
public enum RTCDataChannelMessage: Sendable, Hashable {
    /// A UTF-8 string message.
    case text(String)
    /// A binary message.
    case binary(Data)

    /// The size in bytes as `bufferedAmount` counts it (UTF-8 length for text).
    public var byteCount: Int {
        switch self {
        case .text(let s): return s.utf8.count
        case .binary(let d): return d.count
        }
    }
}
