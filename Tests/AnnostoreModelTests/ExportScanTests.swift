import Foundation
import XCTest

@testable import AnnostoreModel

/// `ExportReader.scan`: raw records that parse to what `read` yields, the same errors, and
/// `location(ofOffset:)`.
final class ExportScanTests: XCTestCase {
  static let chunkSizes = [ExportReader.defaultChunkSize, 1, 2, 3, 5, 7, 8, 9, 16, 100, 1000]

  func testEveryFixtureMatchesRead() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
      .filter { $0.hasSuffix(".json") }.sorted()
    XCTAssertGreaterThanOrEqual(names.count, 7)
    for name in names {
      try assertScanMatchesRead(Fixtures.path(name), chunkSizes: Self.chunkSizes)
    }
    // The exports among them are read without error.
    XCTAssertEqual(PassOutcome.read(Fixtures.path("sample-export.json")).events.count, 41)
    XCTAssertNotNil(PassOutcome.read(Fixtures.path("upstream-test-payloads.json")).error)
  }

  func testGeneratedExportsMatchRead() throws {
    let directory = try TemporaryDirectory()
    for (seed, varied) in [(7, true), (8, false)] {
      var generator = ExportGenerator(seed: UInt64(seed), varied: varied)
      for pretty in [false, true] {
        let path = try directory.write(
          generator.export(annotations: 25, pretty: pretty), name: "g-\(seed)-\(pretty).json")
        try assertScanMatchesRead(
          path, chunkSizes: Self.chunkSizes + [4, 6, 11, 13, 17, 31, 64, 511])
      }
    }
  }

  func testEventsSectionsIndexesAndKeys() throws {
    var generator = ExportGenerator(seed: 5)
    let directory = try TemporaryDirectory()
    let path = try directory.write(generator.export(annotations: 4))
    var events: [String] = []
    try ExportReader(path: path, chunkSize: 5).scan { event in
      switch event {
      case .sectionStart(let section): events.append("+\(section.rawValue)")
      case .sectionEnd(let section): events.append("-\(section.rawValue)")
      case .record(let record):
        events.append("\(record.section.rawValue) \(record.index) \(record.key ?? "-")")
      }
    }
    XCTAssertEqual(events.count, 4 + 1 + 3 + 4 + 8)
    XCTAssertEqual(events[0], "+annotations")
    XCTAssertEqual(
      Array(events[1...4]),
      ["annotations 0 -", "annotations 1 -", "annotations 2 -", "annotations 3 -"])
    XCTAssertEqual(events[5], "-annotations")
    let values = events.filter { $0.hasPrefix("annotationPropertyValues ") }
    XCTAssertEqual(values.count, 4)
    XCTAssertTrue(
      values.allSatisfy { $0.hasPrefix("annotationPropertyValues 0 ") && !$0.hasSuffix(" -") })
  }

  /// Quotes, escaped quotes, escaped backslashes and brackets inside keys and strings, at
  /// every chunk boundary.
  func testStringsThatLookLikeStructure() throws {
    let tricky = [
      #""a\"b""#, #""\\""#, #""\\\"""#, #""{""#, #""}""#, #""]}]}""#, #""[{""#,
      #""\\\\\\""#, #""\"}""#, #""x\\""#, #""\u005c\\""#, #""\u0022}]""#, "\"\"",
    ]
    var members: [String] = []
    for (index, text) in tricky.enumerated() {
      members.append("\(text):\(tricky[(index + 3) % tricky.count])")
    }
    let record = "{" + members.joined(separator: ",") + ",\"n\":[{\"k\":[\"]\"]},[]]}"
    XCTAssertNotNil(parse(record))
    let values = "{\"a\\\"}{\":{\"p\\\\\":\"\\\\\"},\"b\\\\\":{\"}\":{\"]\":\"{\"}}}"
    let text =
      "{\"annotations\":[\(record),{\"s\":\"\\\\\"},\(record)],"
      + "\"annotationPropertyValues\":\(values)}"
    let directory = try TemporaryDirectory()
    let path = try directory.write(text)
    try assertScanMatchesRead(path, chunkSizes: Array(1...40) + [64, 4096])
    var keys: [String] = []
    try ExportReader(path: path).scan { event in
      if case .record(let raw) = event, let key = raw.key { keys.append(key) }
    }
    XCTAssertEqual(keys, ["a\"}{", "b\\"])
  }

  func testRecordLargerThanTheBuffer() throws {
    let directory = try TemporaryDirectory()
    let vertices = (0..<20_000).map { "{\"x\":\($0).5,\"y\":\"\\\"}\"}" }.joined(separator: ",")
    let big = "{\"_id\":\"big\",\"coordinates\":[\(vertices)]}"
    let text = "{\"annotations\":[{\"_id\":\"a\"},\(big),{\"_id\":\"c\"}]}"
    let path = try directory.write(text)
    var sizes: [Int] = []
    try ExportReader(path: path, chunkSize: 4096).scan { event in
      if case .record(let record) = event { sizes.append(record.bytes.count) }
    }
    XCTAssertEqual(sizes, [11, big.utf8.count, 11])
    try assertScanMatchesRead(path, chunkSizes: [4096, 1000])
  }

  func testTruncatedInsideRecords() throws {
    var generator = ExportGenerator(seed: 4, varied: true)
    let bytes = generator.export(annotations: 5)
    let directory = try TemporaryDirectory()
    for cut in stride(from: 17, to: bytes.count - 2, by: 97) {
      let path = try directory.write(Array(bytes[0..<cut]), name: "cut-\(cut).json")
      try assertScanMatchesRead(path, chunkSizes: [ExportReader.defaultChunkSize, 7])
      do {
        try ExportReader(path: path).scan { _ in }
        XCTFail("accepted a file cut at \(cut)")
      } catch let error as JSONError {
        XCTAssertEqual(error.location.offset, cut, "cut \(cut)")
      }
    }
    // Cut inside an escape.
    let path = try directory.write("{\"annotations\":[{\"a\":\"x\\")
    try assertScanMatchesRead(path, chunkSizes: [1, 2, 100])
    XCTAssertThrowsError(try ExportReader(path: path).scan { _ in }) { error in
      XCTAssertEqual(
        (error as? JSONError)?.message, "unexpected end of input (the file may be truncated)")
      XCTAssertEqual((error as? JSONError)?.location.pointer, "/annotations/0/a")
    }
  }

  /// The scan does not look inside records: what is wrong there is found by parsing them.
  func testScanAloneDoesNotCheckInsideRecords() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write(
      bytes("{\"annotations\":[{\"a\":01,\"b\":\"") + [0xFF] + bytes("\",\"a\":nul]]}"))
    var raw: [[UInt8]] = []
    try ExportReader(path: path).scan { event in
      if case .record(let record) = event { raw.append(Array(record.bytes)) }
    }
    XCTAssertEqual(raw.count, 1)
    XCTAssertEqual(raw.first?.last, UInt8(ascii: "]"))
    try assertScanMatchesRead(path, chunkSizes: [1, 64])
    let error = PassOutcome.read(path).error
    XCTAssertEqual(error?.location.pointer, "/annotations/0/a")
  }

  /// Single-byte changes anywhere in a generated export: `scan` with the records parsed in
  /// the visitor fails (or not) exactly as `read` does.
  func testMutatedExportsFailAsReadDoes() throws {
    var generator = ExportGenerator(seed: 11, varied: true)
    let original = generator.export(annotations: 6)
    var random = SeededGenerator(seed: 99)
    let replacements: [[UInt8]] = [
      bytes("\""), bytes("\\"), bytes("{"), bytes("}"), bytes("["), bytes("]"), bytes(","),
      bytes(":"), bytes("x"), bytes(" "), [0xC3], [0xE9], bytes("\\\""), [],
    ]
    let directory = try TemporaryDirectory()
    var failures = 0
    for round in 0..<150 {
      var mutated = original
      let position = Int.random(in: 0..<mutated.count, using: &random)
      let replacement = replacements.randomElement(using: &random)!
      if round % 3 == 0 {
        mutated.insert(contentsOf: replacement, at: position)
      } else {
        mutated.replaceSubrange(position..<position + 1, with: replacement)
      }
      let path = try directory.write(mutated, name: "m\(round).json")
      try assertScanMatchesRead(path, chunkSizes: [ExportReader.defaultChunkSize, 13])
      if PassOutcome.read(path).error != nil { failures += 1 }
    }
    XCTAssertGreaterThan(failures, 50)
  }

  func testLocationOfOffsetMatchesRead() throws {
    for name in ["sample-export.json", "sample-export.pretty.json"] {
      let path = Fixtures.path(name)
      for chunkSize in [ExportReader.defaultChunkSize, 7] {
        let reader = ExportReader(path: path, chunkSize: chunkSize)
        var locations: [JSONLocation] = []
        try reader.read { event in
          switch event {
          case .record(_, _, _, let location), .values(_, _, let location):
            locations.append(location)
          default: break
          }
        }
        XCTAssertEqual(locations.count, 33)
        for location in locations {
          XCTAssertEqual(try reader.location(ofOffset: location.offset), location, name)
          // Inside the record: same pointer, later column or line.
          let inside = try reader.location(ofOffset: location.offset + 3)
          XCTAssertEqual(inside.pointer, location.pointer)
          XCTAssertEqual(inside.offset, location.offset + 3)
        }
      }
    }
    let pretty = try String(
      contentsOfFile: Fixtures.path("sample-export.pretty.json"), encoding: .utf8)
    let reader = ExportReader(path: Fixtures.path("sample-export.pretty.json"), chunkSize: 64)
    // Between records and past the end: lines only.
    XCTAssertEqual(
      try reader.location(ofOffset: 2), JSONLocation(line: 2, column: 1, offset: 2, pointer: ""))
    let size = pretty.utf8.count
    let lineCount = pretty.split(separator: "\n", omittingEmptySubsequences: false).count
    XCTAssertEqual(
      try reader.location(ofOffset: size + 10),
      JSONLocation(line: lineCount, column: 1, offset: size, pointer: ""))
  }

  func testLocateFillsLineAndColumn() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("{\"annotations\":[\n  {\"a\":1},\n  {\"b\":\n [1,2,]}]}")
    let reader = ExportReader(path: path)
    var located: JSONError?
    try reader.scan { event in
      guard case .record(let record) = event, record.index == 1 else { return }
      do {
        _ = try JSONParser.parse(record)
      } catch let error as JSONError {
        XCTAssertEqual(error.location.line, 0)
        XCTAssertEqual(error.location.offset, 42)
        XCTAssertEqual("\(error.location)", "/annotations/1/b (byte 42)")
        located = try reader.locate(error)
      }
    }
    XCTAssertEqual(located?.message, "trailing comma before ']' is not allowed")
    XCTAssertEqual(
      located?.location, JSONLocation(line: 4, column: 7, offset: 42, pointer: "/annotations/1/b"))
    XCTAssertEqual(located, PassOutcome.read(path).error)
  }

  func testParseBytesAtAnOffset() throws {
    let text = Array("xx{\"a\":[true, {\"b\": nope}]}yy".utf8)
    try text.withUnsafeBytes { all in
      let slice = UnsafeRawBufferPointer(rebasing: all[2..<(text.count - 2)])
      XCTAssertThrowsError(
        try JSONParser.parse(slice, baseOffset: 1000, pointer: "/annotations/7")
      ) { error in
        let error = error as? JSONError
        XCTAssertEqual(error?.message, "invalid literal: expected 'null'")
        XCTAssertEqual(
          error?.location,
          JSONLocation(line: 0, column: 0, offset: 1000 + 18, pointer: "/annotations/7/a/1/b"))
      }
    }
    // Four levels: inside 508 containers they fit, inside 509 they do not.
    let good = Array("{\"a\":[[[]]]} x".utf8)
    try good.withUnsafeBytes { all in
      let bytes = UnsafeRawBufferPointer(rebasing: all[0..<12])
      XCTAssertNoThrow(try JSONParser.parse(bytes, baseOffset: 0, pointer: ""))
      XCTAssertNoThrow(try JSONParser.parse(bytes, baseOffset: 0, pointer: "", enclosingDepth: 508))
      XCTAssertThrowsError(
        try JSONParser.parse(bytes, baseOffset: 5, pointer: "/p", enclosingDepth: 509)
      ) { error in
        XCTAssertEqual((error as? JSONError)?.message, "nesting deeper than 512 levels")
        XCTAssertEqual((error as? JSONError)?.location.pointer, "/p/a/0/0")
      }
      XCTAssertThrowsError(try JSONParser.parse(all, baseOffset: 100, pointer: "")) { error in
        XCTAssertEqual(
          (error as? JSONError)?.message, "unexpected content after the JSON value: 'x'")
        XCTAssertEqual((error as? JSONError)?.location.offset, 113)
      }
    }
  }

  func testReusedRecordParser() throws {
    var generator = ExportGenerator(seed: 12, varied: true)
    let directory = try TemporaryDirectory()
    let path = try directory.write(generator.export(annotations: 30))
    let parser = JSONRecordParser()
    var viaScan: [String] = []
    try ExportReader(path: path).scan { event in
      if case .record(let record) = event {
        viaScan.append(CanonicalJSON.encode(try parser.parse(record)).text)
      }
    }
    var viaRead: [String] = []
    try ExportReader(path: path).read { event in
      switch event {
      case .record(_, let value, _, _), .values(_, let value, _):
        viaRead.append(CanonicalJSON.encode(value).text)
      default: break
      }
    }
    XCTAssertEqual(viaScan, viaRead)
  }

  func testProgressIsReported() throws {
    let directory = try TemporaryDirectory()
    var generator = ExportGenerator(seed: 9)
    let bytes = generator.export(annotations: 20_000)
    let path = try directory.write(bytes)
    var reports: [Int] = []
    var records = 0
    let progress: (Int) -> Void = { reports.append($0) }
    try ExportReader(path: path).scan(progress: progress) { event in
      if case .record(let record) = event, record.section == .annotations { records += 1 }
    }
    XCTAssertEqual(records, 20_000)
    XCTAssertGreaterThanOrEqual(reports.count, 3)
    XCTAssertEqual(reports.last, bytes.count)
  }
}
