import Testing

@testable import AnnostoreModel

/// Property cells read straight from a values file's canonical bytes are the cells the
/// full parser gives, for every kind of value, and unusual bytes go to the full parser.
@Suite struct CSVCanonicalValuesTests {
  static let values = TestJSON.parse(
    #"{"p1": {"Area": 2170.0, "Perimeter": 1e21, "Small": 5e-7, "Neg": -0.5, "Big": 12345678901234567890, "#
      + #""Digits": 0.1234567890123456789, "Int": 347496, "Zero": 0, "Sub": 5e-324},"#
      + #" "p2": {"Phase": "G1", "Quote": "a, c", "Nl": " lead; ", "Uni": "é😀", "Tab": ""},"#
      + #" "p3": {"Obj": {"b": [1, true, null], "a": "x"}, "Arr": [1, "two"], "T": true, "F": false,"#
      + #" "N": null, "Deep": {"x": {"y": 1.5}}}, "p4": 3.25, "p5": "plain"}"#)

  static let paths: [PropertyPath] = [
    .init("p1", ["Area"]), .init("p1", ["Perimeter"]), .init("p1", ["Small"]),
    .init("p1", ["Neg"]), .init("p1", ["Big"]), .init("p1", ["Digits"]), .init("p1", ["Int"]),
    .init("p1", ["Zero"]), .init("p1", ["Sub"]), .init("p2", ["Phase"]), .init("p2", ["Quote"]),
    .init("p2", ["Nl"]), .init("p2", ["Uni"]), .init("p2", ["Tab"]), .init("p3", ["Obj"]),
    .init("p3", ["Arr"]), .init("p3", ["T"]), .init("p3", ["F"]), .init("p3", ["N"]),
    .init("p3", ["Deep", "x", "y"]), .init("p3", ["Deep"]), .init("p3", ["Deep", "x"]),
    .init("p4"), .init("p4", ["under a number"]), .init("p5"), .init("p1", ["Area"]),
    .init("missing"), .init("p2", ["missing"]), .init("p3", ["Obj", "a"]),
    .init("p3", ["Arr", "0"]),
  ]

  static func cells(
    _ values: JSONValue, paths: [PropertyPath], format: CSVFormat
  ) -> (full: [UInt8], fast: [UInt8]?) {
    let names = Dictionary(uniqueKeysWithValues: Set(paths.map(\.propertyID)).map { ($0, $0) })
    let encoder = CSVLineEncoder(
      columns: CSVColumns(paths: paths, propertyNames: names, sanitize: false), format: format)
    var canonical: [UInt8] = []
    CanonicalJSON.encode(values, into: &canonical)
    canonical.append(UInt8(ascii: "\n"))  // as a store file ends
    var full: [UInt8] = []
    encoder.appendPropertyCells(values: values, into: &full)
    var fast: [UInt8] = []
    let taken = canonical.withUnsafeBufferPointer {
      encoder.appendPropertyCells(canonicalValues: $0, into: &fast)
    }
    return (full, taken ? fast : nil)
  }

  @Test(arguments: [
    CSVFormat(), CSVFormat(delimiter: .tab, undefinedValue: "NA"),
    CSVFormat(undefinedValue: "NaN", sanitizeColumnNames: true),
  ])
  func sameCellsAsTheFullParser(format: CSVFormat) throws {
    let (full, fast) = Self.cells(Self.values, paths: Self.paths, format: format)
    let read = try #require(fast, "the fast path should take plain canonical values")
    #expect(String(decoding: read, as: UTF8.self) == String(decoding: full, as: UTF8.self))
  }

  @Test func emptyObjectGivesUndefinedCells() throws {
    let (full, fast) = Self.cells(TestJSON.parse("{}"), paths: Self.paths, format: CSVFormat())
    #expect(try #require(fast) == full)
  }

  @Test func escapesGoToTheFullParser() {
    // An escaped string in a cell, and an escaped key on the way.
    for text in [
      #"{"p2": {"Phase": "a\\b"}}"#, #"{"p\u0001": 1, "p4": 2}"#, #"{"p2": {"Quote": "a \"b\""}}"#,
      #"{"p2": {"Nl": "x\ny"}}"#,
    ] {
      let (_, fast) = Self.cells(TestJSON.parse(text), paths: Self.paths, format: CSVFormat())
      #expect(fast == nil, "\(text)")
    }
    // An escaped string that no column reads is skipped, not refused.
    let skipped = TestJSON.parse(#"{"p9": "a\"}b", "p4": 2}"#)
    let (full, fast) = Self.cells(skipped, paths: Self.paths, format: CSVFormat())
    #expect(fast == full)
  }

  @Test func pathsWithEscapedCharactersAreNotLookedUp() {
    let paths = [PropertyPath("p\"q")]
    let encoder = CSVLineEncoder(
      columns: CSVColumns(paths: paths, propertyNames: ["p\"q": "n"], sanitize: false),
      format: CSVFormat())
    var line: [UInt8] = []
    let taken = Array(#"{"p\"q": 1}"#.utf8).withUnsafeBufferPointer {
      encoder.appendPropertyCells(canonicalValues: $0, into: &line)
    }
    #expect(!taken && line.isEmpty)
  }

  @Test(arguments: [
    "0", "-0", "1", "2170", "0.1", "1e21", "1e+21", "5e-7", "5e-324", "1.7976931348623157e308",
    "12345678901234567890", "0.1234567890123456789", "9007199254740993", "123.456e-5", "4.35",
  ])
  func numberLiteralsAreCorrectlyRounded(literal: String) {
    let value = Array(literal.utf8).withUnsafeBufferPointer { NumberLiteral.value($0) }
    #expect(value.bitPattern == Double(literal)!.bitPattern)
  }
}
