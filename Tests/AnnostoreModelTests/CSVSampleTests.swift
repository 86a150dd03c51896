import Foundation
import Testing

@testable import AnnostoreModel

/// The NimbusImage samples, byte for byte.
@Suite struct CSVSampleTests {
  static func fixtureText(_ name: String) throws -> String {
    String(decoding: try CSVFixtures.bytes(name), as: UTF8.self)
  }

  static func request() throws -> CSVRequest {
    try CSVRequest(json: TestJSON.parse(try CSVFixtures.bytes("sample-csv-request.json")))
  }

  @Test func requestReproducesSampleCSV() throws {
    let sample = try SampleDataset.load()
    let request = try Self.request()
    #expect(request.annotationIDs == nil)
    #expect(request.format == CSVFormat())
    let csv = sample.csv(paths: request.propertyPaths, format: request.format)
    #expect(csv == (try Self.fixtureText("sample-export.csv")))
  }

  @Test func sanitizedTabNAReproducesSampleTSV() throws {
    let sample = try SampleDataset.load()
    let request = try Self.request()
    let format = CSVFormat(delimiter: .tab, undefinedValue: "NA", sanitizeColumnNames: true)
    let tsv = sample.csv(paths: request.propertyPaths, format: format)
    #expect(tsv == (try Self.fixtureText("sample-export.sanitized-NA.tsv")))
  }

  @Test func leafPathWalkGivesTheSampleColumnOrder() throws {
    let sample = try SampleDataset.load()
    #expect(sample.leafPaths() == (try Self.request()).propertyPaths)
  }

  @Test func emptyIdListGivesHeaderOnly() throws {
    let sample = try SampleDataset.load()
    let request = try Self.request()
    let csv = sample.csv(paths: request.propertyPaths, format: request.format, ids: [])
    let expected = try Self.fixtureText("sample-export.csv").split(separator: "\n")[0] + "\n"
    #expect(csv == expected)
  }

  @Test func subsetKeepsExportOrder() throws {
    let sample = try SampleDataset.load()
    let request = try Self.request()
    let ids: Set = ["66a1fc108c1d4e2f7a04b1ed", "66a1f8e08c1d4e2f7a04b1e2"]
    let lines = sample.csv(paths: request.propertyPaths, format: request.format, ids: ids)
      .split(separator: "\n")
    let full = try Self.fixtureText("sample-export.csv").split(separator: "\n")
    #expect(lines == [full[0], full[3], full[10]])
  }

  @Test func streamingWriterWritesTheSameBytes() throws {
    let sample = try SampleDataset.load()
    let request = try Self.request()
    let path = NSTemporaryDirectory() + "annostore-csv-\(UUID().uuidString).csv"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let columns = CSVColumns(
      paths: request.propertyPaths, propertyNames: sample.propertyNames, sanitize: false)
    let writer = CSVWriter(
      encoder: CSVLineEncoder(columns: columns, format: request.format),
      output: try OutputFile(path: path))
    try writer.writeHeader()
    for annotation in sample.annotations {
      try writer.writeRow(
        annotation: annotation, values: sample.values[annotation["_id"]!.stringValue!])
    }
    try writer.finish()
    #expect(writer.rowCount == 12)
    #expect(
      Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        == (try CSVFixtures.bytes("sample-export.csv")))
  }
}
