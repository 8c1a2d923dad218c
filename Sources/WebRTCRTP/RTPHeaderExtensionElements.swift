/// The elements of an RFC 8285 header-extension block, in order, without allocation.
///
/// The one-byte form (profile 0xBEDE, §4.2) has a 4-bit id and a 4-bit length-minus-one; the
/// two-byte form (profile 0x1000–0x100F, §4.3) has an 8-bit id and an 8-bit length. Iteration
/// stops at the end of the block, at a one-byte id 15 (§4.2: stop parsing), at an unknown profile,
/// or at a malformed element — one whose length runs past the block, or a one-byte element with
/// id 0 and a non-zero length — and then `isMalformed` reports it.
package struct RTPHeaderExtensionElements: Sequence, Sendable {
    /// One element: its local id and its data (a slice of the packet).
    package typealias Element = (id: UInt8, data: ArraySlice<UInt8>)

    /// The profile field (0xBEDE or 0x100x), nil without an extension.
    package let profile: UInt16?
    /// The extension data after the 4-byte block header.
    package let data: ArraySlice<UInt8>

    /// Elements of the block with `profile` and `data`.
    package init(profile: UInt16?, data: ArraySlice<UInt8>) {
        self.profile = profile
        self.data = data
    }

    /// True for the one-byte form.
    package var isOneByte: Bool { profile == RTPHeaderExtensions.oneByteProfile }
    /// True for the two-byte form.
    package var isTwoByte: Bool { profile.map { $0 & 0xFFF0 == RTPHeaderExtensions.twoByteProfile } ?? false }

    /// True when iteration stops at a malformed element.
    package var isMalformed: Bool {
        var it = makeIterator()
        while it.next() != nil {}
        return it.malformed
    }

    /// Iterator over the elements.
    package struct Iterator: IteratorProtocol {
        fileprivate let data: ArraySlice<UInt8>
        fileprivate let oneByte: Bool
        fileprivate var offset: Int
        fileprivate var done: Bool
        /// Set when iteration stopped at a malformed element.
        package private(set) var malformed = false

        /// The next element, or nil at the end (or at a stop/malformed element).
        package mutating func next() -> (id: UInt8, data: ArraySlice<UInt8>)? {
            let end = data.endIndex
            while !done, offset < end {
                let b = data[offset]
                if oneByte {
                    if b == 0 { offset += 1; continue }  // RFC 8285 §4.2: padding byte
                    let id = b >> 4
                    if id == 15 { done = true; return nil }  // §4.2: reserved, stop parsing
                    // §4.2: id 0 is only ever a whole zero padding byte; with a length it is invalid.
                    guard id != 0 else { malformed = true; done = true; return nil }
                    let length = Int(b & 0x0F) + 1
                    guard end - offset - 1 >= length else { malformed = true; done = true; return nil }
                    let value = data[offset + 1..<offset + 1 + length]
                    offset += 1 + length
                    return (id, value)
                } else {
                    if b == 0 { offset += 1; continue }  // RFC 8285 §4.3: padding byte
                    guard end - offset >= 2 else { malformed = true; done = true; return nil }
                    let length = Int(data[offset + 1])
                    guard end - offset - 2 >= length else { malformed = true; done = true; return nil }
                    let value = data[offset + 2..<offset + 2 + length]
                    offset += 2 + length
                    return (b, value)
                }
            }
            return nil
        }
    }

    /// An iterator from the start of the block.
    package func makeIterator() -> Iterator {
        let known = isOneByte || isTwoByte
        return Iterator(data: data, oneByte: isOneByte, offset: data.startIndex, done: !known)
    }
}
