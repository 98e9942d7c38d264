/// A column of a parsed payload table whose first rows are shared and never change, and whose later rows belong to
/// one decoder: the rows of a dictionary's context, parsed once, followed by the rows one block adds.
///
/// With a plain array, the first row a block appended copied the whole context column (copy on write): on a context
/// of 30,000 locations that copy, repeated for every block of a query, cost more than the rest of the block. Here
/// the shared rows are only read; appends go to ``local``.
struct SplitColumn<Element>: RandomAccessCollection {
    /// Rows `0..<shared.count`; changed only by ``freeze()``.
    private var shared: [Element] = []
    /// Rows `shared.count...`.
    private var local: [Element] = []

    init() {}

    init(_ elements: [Element]) {
        local = elements
    }

    var startIndex: Int { 0 }
    var endIndex: Int { shared.count + local.count }

    subscript(position: Int) -> Element {
        position < shared.count ? shared[position] : local[position - shared.count]
    }

    mutating func append(_ element: Element) {
        local.append(element)
    }

    static func += (column: inout SplitColumn, elements: [Element]) {
        column.local += elements
    }

    /// Reserves room for `capacity` rows in all.
    mutating func reserveCapacity(_ capacity: Int) {
        local.reserveCapacity(Swift.max(0, capacity - shared.count))
    }

    /// Makes every row shared: copies of this column made afterwards share them, and their appends copy nothing.
    mutating func freeze() {
        guard !local.isEmpty else { return }
        shared += local
        local = []
    }
}

extension SplitColumn: Sendable where Element: Sendable {}
