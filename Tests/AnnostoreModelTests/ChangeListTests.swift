import Testing

@testable import AnnostoreModel

@Suite struct ChangeListTests {
  private static func values(_ id: String, _ change: ChangeType) -> ValuesDiff {
    ValuesDiff(id: id, change: change, entries: [])
  }

  /// A list produced in pages by a counter, as the store makes them.
  private static func paged(_ ids: [String], pageSize: Int, reads: Counter) -> ChangeList<
    ValuesDiff
  > {
    ChangeList(counts: ChangeCounts(added: ids.count)) { page in
      reads.increment()
      var start = 0
      while start < ids.count {
        let end = min(ids.count, start + pageSize)
        try page(ids[start..<end].map { values($0, .added) })
        start = end
      }
    }
  }

  @Test func aPagedListIsProducedAnewOnEachReadingInOrder() throws {
    let ids = (0..<10).map { "id\($0)" }
    let reads = Counter()
    let list = Self.paged(ids, pageSize: 3, reads: reads)
    #expect(list.count == 10 && list.counts.added == 10)
    #expect(reads.value == 0)
    #expect(try list.elements().map(\.id) == ids)
    var seen: [String] = []
    try list.forEachChange { seen.append($0.id) }
    #expect(seen == ids)
    #expect(reads.value == 2)
    #expect(list == ChangeList(ids.map { Self.values($0, .added) }))
  }

  @Test func anArrayListCountsEachChange() {
    let list = ChangeList([
      Self.values("a", .added), Self.values("b", .removed), Self.values("c", .modified),
      Self.values("d", .modified),
    ])
    #expect(list.counts == ChangeCounts(added: 1, removed: 1, modified: 2))
    #expect(!list.isEmpty && ChangeList<ValuesDiff>().isEmpty)
  }

  @Test func aFailingListStopsTheStreamedDocument() {
    struct Broken: Error {}
    let list = ChangeList<ValuesDiff>(counts: ChangeCounts(added: 2)) { page in
      try page([Self.values("a", .added)])
      throw Broken()
    }
    let diff = RevisionDiff(
      from: nil, to: "b", datasets: [DatasetDiff(name: "d", status: .added, values: list)])
    var written: [UInt8] = []
    #expect(throws: Broken.self) {
      try DiffJSONRenderer.streamed(diff).write { written += $0 }
    }
    #expect(throws: Broken.self) { try DiffTextRenderer.lines(diff) }
    #expect(list != ChangeList([Self.values("a", .added)]))
  }
}

/// Counts the readings of a list (all on the test's thread).
private final class Counter: @unchecked Sendable {
  private(set) var value = 0
  func increment() { value += 1 }
}
