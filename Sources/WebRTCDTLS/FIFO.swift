/// A small first-in first-out queue over one array: amortised O(1) push and pop, storage reused
/// once drained (the engine's transmit and event queues are drained after every call).
struct FIFO<Element> {
    private var items: [Element] = []
    private var head = 0

    /// Number of queued elements.
    var count: Int { items.count - head }

    mutating func push(_ element: Element) { items.append(element) }

    mutating func pop() -> Element? {
        guard head < items.count else { return nil }
        let element = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return element
    }
}
