internal import DequeModule

/// The one first-in first-out queue of the engines (transmit and event queues): swift-collections'
/// ring buffer `Deque`, so push and pop are O(1) and storage is reused once drained.
package struct FIFO<Element> {
    private var items = Deque<Element>()

    package init() {}

    /// Number of queued elements.
    package var count: Int { items.count }
    /// Whether nothing is queued.
    package var isEmpty: Bool { items.isEmpty }
    /// The oldest element, without removing it.
    package var first: Element? { items.first }

    /// Appends at the back.
    package mutating func push(_ element: Element) { items.append(element) }
    /// Puts an element back at the front.
    package mutating func pushFront(_ element: Element) { items.prepend(element) }
    /// Removes and returns the oldest element.
    package mutating func pop() -> Element? { items.popFirst() }
    /// Changes the oldest element in place.
    package mutating func modifyFirst(_ body: (inout Element) -> Void) {
        guard !items.isEmpty else { return }
        body(&items[items.startIndex])
    }
    /// Drops everything.
    package mutating func removeAll() { items.removeAll(keepingCapacity: true) }
}
