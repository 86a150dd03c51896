import Testing

@testable import AnnostoreStore

@Suite struct ChangedRecordTests {
  @Test func idsOfAnyLengthComeBackAndSortInByteOrder() {
    let ids = [
      "b", "a", "66a1f8e08c1d4e2f7a04b1e0", "66a1f8e08c1d4e2f7a04b1e", "66a1f8e08c1d4e2f7a04b1e0x",
      "66a1f8e08c1d4e2f7a04b1e0-long-id-2", "66a1f8e08c1d4e2f7a04b1e0-long-id-10", "Z", "a-b_c.d",
      "123456789012345678901234567890",
    ]
    let records = ids.map { ChangedRecord(id: $0, old: nil, new: nil) }
    #expect(records.map(\.id) == ids)
    let sorted = records.sorted(by: ChangedRecord.precedes).map(\.id)
    #expect(sorted == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
  }
}
