import Testing

@testable import AnnostoreStore

/// The CSV export's spool gives back every record whole and in order, across its read
/// chunks, including records larger than a chunk.
@Suite struct CSVSpoolTests {
  @Test func recordsComeBackWholeAndInOrder() throws {
    let spool = try CSVSpool()
    var expected: [([UInt8], [UInt8]?)] = []
    var batch: [UInt8] = []
    for index in 0..<30_000 {
      let fixed = Array("\"id\(index)\",0,1,1,1,\"t\",\"point\",\"\"".utf8)
      let values: [UInt8]? =
        index % 7 == 0
        ? nil
        : Array(String(repeating: "v", count: index == 12_345 ? 9_000_000 : 1 + index % 300).utf8)
      CSVSpool.appendRecord(fixed: fixed, values: values, into: &batch)
      expected.append((fixed, values))
      if index % 1000 == 999 {
        try spool.write(batch)
        batch.removeAll()
      }
    }
    try spool.write(batch)
    var got: [([UInt8], [UInt8]?)] = []
    while let (bytes, records) = try spool.nextRecords() {
      for (fixed, values) in records {
        got.append((Array(bytes[fixed]), values.map { Array(bytes[$0]) }))
      }
    }
    #expect(got.count == expected.count)
    for (index, (a, b)) in zip(got, expected).enumerated() where a.0 != b.0 || a.1 != b.1 {
      Issue.record(
        "record \(index) differs: \(a.0.count) \(a.1?.count ?? -1) vs \(b.0.count) \(b.1?.count ?? -1)"
      )
      break
    }
  }
}
