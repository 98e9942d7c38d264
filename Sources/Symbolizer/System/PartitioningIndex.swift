extension RandomAccessCollection where Index == Int {
    /// The index of the first element for which `belongsInSecondPartition` is true, in a collection partitioned so
    /// that every such element follows every other (e.g. sorted entries and "starts above the address"); `endIndex`
    /// when there is none. O(log n).
    func partitioningIndex(where belongsInSecondPartition: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if belongsInSecondPartition(self[middle]) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
