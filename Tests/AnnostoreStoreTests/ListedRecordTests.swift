import AnnostoreGit
import Testing

@testable import AnnostoreStore

/// Listed records keep their ids whole, order them by their bytes and match them exactly,
/// whether the id fits in its key (24 bytes) or not.
@Suite struct ListedRecordTests {
  static let ids = [
    "a", "A", "0", "_", "-", "ab", "a-", "a_b", String(repeating: "f", count: 23),
    String(repeating: "f", count: 24), String(repeating: "f", count: 25),
    String(repeating: "f", count: 24) + "-", String(repeating: "f", count: 24) + "0",
    "667668a8d891b7584acd6145", "667668a8d891b7584acd6146", "667668a8d891b7584acd61450",
    String(repeating: "z", count: 128),
  ]

  @Test func idsOrderAndMatchAsTheirBytes() {
    let records = Self.ids.enumerated().map {
      ListedRecord(id: $0.element, blob: ObjectID(bytes: (UInt64($0.offset), 0, 0)))
    }
    for (record, id) in zip(records, Self.ids) { #expect(record.id == id) }
    for a in records {
      for b in records {
        #expect(
          ListedRecord.precedes(a, b) == a.id.utf8.lexicographicallyPrecedes(b.id.utf8),
          "\(a.id) < \(b.id)")
        #expect(ListedRecord.sameID(a, b) == (a.id == b.id), "\(a.id) == \(b.id)")
      }
    }
    #expect(
      ListedRecord.sameID(records[3], ListedRecord(id: "_", blob: ObjectID(bytes: (9, 9, 9)))))
  }
}
