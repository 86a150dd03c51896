import Foundation
import XCTest

@testable import AnnostoreModel

final class ExportReaderTests: XCTestCase {
  /// Events as comparable text (values in canonical form, locations included).
  static func events(
    _ path: String, chunkSize: Int = ExportReader.defaultChunkSize
  ) throws -> [String] {
    var events: [String] = []
    try ExportReader(path: path, chunkSize: chunkSize).read { event in
      events.append(event.text(place: \.description))
    }
    return events
  }

  /// The same events computed from the whole file with `JSONParser` (locations excepted).
  static func expectedEvents(_ path: String) throws -> [String] {
    let document = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    var events: [String] = []
    for member in document.objectMembers ?? [] {
      events.append("start \(member.key)")
      if let elements = member.value.arrayElements {
        for (index, element) in elements.enumerated() {
          events.append("record \(member.key) \(index) " + CanonicalJSON.encode(element).text)
        }
      } else {
        for value in member.value.objectMembers ?? [] {
          events.append("values \(value.key) " + CanonicalJSON.encode(value.value).text)
        }
      }
      events.append("end \(member.key)")
    }
    return events
  }

  /// Drops the location part of `events` lines.
  static func withoutLocations(_ events: [String]) -> [String] {
    events.map { line in
      guard line.hasPrefix("record") || line.hasPrefix("values") else { return line }
      let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
      let canonicalStart = line.range(of: " {")!.lowerBound
      let head =
        parts[0] == "record" ? "\(parts[0]) \(parts[1]) \(parts[2])" : "\(parts[0]) \(parts[1])"
      return head + String(line[canonicalStart...])
    }
  }

  func testSampleExportCounts() throws {
    let summary = try ExportReader(path: Fixtures.path("sample-export.json")).validate()
    XCTAssertEqual(summary.annotations, 12)
    XCTAssertEqual(summary.annotationConnections, 7)
    XCTAssertEqual(summary.annotationProperties, 5)
    XCTAssertEqual(summary.annotationPropertyValues, 9)
    XCTAssertEqual(
      summary.sections,
      [.annotations, .annotationConnections, .annotationProperties, .annotationPropertyValues])
    XCTAssertEqual(summary.bytes, 9020)

    var counts: [ExportSection: Int] = [:]
    var order: [String] = []
    try ExportReader(path: Fixtures.path("sample-export.json")).read { event in
      switch event {
      case .sectionStart(let section): order.append("+\(section.rawValue)")
      case .sectionEnd(let section): order.append("-\(section.rawValue)")
      case .record(let section, let value, let index, let location):
        XCTAssertEqual(index, counts[section, default: 0])
        XCTAssertEqual(location.pointer, "/\(section.rawValue)/\(index)")
        XCTAssertNotNil(value["_id"]?.stringValue)
        counts[section, default: 0] += 1
      case .values(let annotationId, let value, let location):
        XCTAssertEqual(location.pointer, "/annotationPropertyValues/\(annotationId)")
        XCTAssertNotNil(value.objectMembers)
        counts[.annotationPropertyValues, default: 0] += 1
      }
    }
    XCTAssertEqual(counts[.annotations], 12)
    XCTAssertEqual(counts[.annotationConnections], 7)
    XCTAssertEqual(counts[.annotationProperties], 5)
    XCTAssertEqual(counts[.annotationPropertyValues], 9)
    XCTAssertEqual(order.count, 8)
  }

  func testFixturesMatchTheWholeFileParser() throws {
    let expectedCounts: [String: [Int]] = [
      "sample-export.json": [12, 7, 5, 9],
      "sample-export-annotations-only.json": [12, 0, 0, 0],
      "sample-export-legacy-frontend.json": [12, 7, 5, 9],
      "sample-export.pretty.json": [12, 7, 5, 9],
    ]
    for (name, counts) in expectedCounts {
      let path = Fixtures.path(name)
      let events = try Self.events(path)
      XCTAssertEqual(Self.withoutLocations(events), try Self.expectedEvents(path), name)
      let summary = try ExportReader(path: path).validate()
      XCTAssertEqual(
        [
          summary.annotations, summary.annotationConnections, summary.annotationProperties,
          summary.annotationPropertyValues,
        ], counts, name)
      // Every chunk size gives the same events, locations included.
      for chunkSize in [1, 2, 3, 5, 7, 16, 100, 1000] {
        XCTAssertEqual(try Self.events(path, chunkSize: chunkSize), events, "\(name) @\(chunkSize)")
      }
    }
  }

  func testRecordLocationsInPrettyFile() throws {
    let path = Fixtures.path("sample-export.pretty.json")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    try ExportReader(path: path, chunkSize: 64).read { event in
      guard case .record(_, _, _, let location) = event else { return }
      let line = Array(lines[location.line - 1].utf8)
      XCTAssertEqual(line[location.column - 1], UInt8(ascii: "{"), "\(location)")
      let offset = Array(text.utf8)[location.offset]
      XCTAssertEqual(offset, UInt8(ascii: "{"))
    }
  }

  func testGeneratedExportAtEveryChunkBoundary() throws {
    let directory = try TemporaryDirectory()
    var generator = ExportGenerator(seed: 7, varied: true)
    for pretty in [false, true] {
      let bytes = generator.export(annotations: 20, pretty: pretty)
      let path = try directory.write(bytes, name: "generated-\(pretty).json")
      let events = try Self.events(path)
      XCTAssertEqual(Self.withoutLocations(events), try Self.expectedEvents(path))
      XCTAssertEqual(events.filter { $0.hasPrefix("record annotations") }.count, 20)
      for chunkSize in [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 17, 31, 64, 511] {
        XCTAssertEqual(try Self.events(path, chunkSize: chunkSize), events, "chunk \(chunkSize)")
      }
    }
  }

  func testRecordLargerThanTheBuffer() throws {
    let directory = try TemporaryDirectory()
    let vertices = (0..<20_000).map { "{\"x\":\($0).5,\"y\":\($0)}" }.joined(separator: ",")
    let big = "{\"_id\":\"big\",\"coordinates\":[\(vertices)]}"
    let path = try directory.write(
      "{\"annotations\":[{\"_id\":\"a\"},\(big),{\"_id\":\"c\"}]}")
    var ids: [String] = []
    try ExportReader(path: path, chunkSize: 4096).read { event in
      if case .record(_, let value, _, _) = event { ids.append(value["_id"]!.stringValue!) }
      if case .record(_, let value, 1, _) = event {
        XCTAssertEqual(value["coordinates"]?.arrayElements?.count, 20_000)
      }
    }
    XCTAssertEqual(ids, ["a", "big", "c"])
  }

  func testEmptySectionsAndAnyOrder() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write(
      " {\"annotationPropertyValues\":{},\"annotations\":[ ],\n\"annotationProperties\":[]} \n")
    XCTAssertEqual(
      try Self.events(path, chunkSize: 3),
      [
        "start annotationPropertyValues", "end annotationPropertyValues", "start annotations",
        "end annotations", "start annotationProperties", "end annotationProperties",
      ])
    let empty = try directory.write("{}", name: "empty-object.json")
    XCTAssertEqual(try Self.events(empty), [])
  }

  func testProgressIsReported() throws {
    let directory = try TemporaryDirectory()
    var generator = ExportGenerator(seed: 9)
    let bytes = generator.export(annotations: 20_000)
    XCTAssertGreaterThan(bytes.count, 9 << 20)
    let path = try directory.write(bytes)
    var reports: [Int] = []
    var records = 0
    let progress: (Int) -> Void = { reports.append($0) }
    try ExportReader(path: path).read(progress: progress) { event in
      if case .record(.annotations, _, _, _) = event { records += 1 }
    }
    XCTAssertEqual(records, 20_000)
    XCTAssertGreaterThanOrEqual(reports.count, 3)
    XCTAssertEqual(reports.last, bytes.count)
    XCTAssertEqual(reports, reports.sorted())
  }

  // MARK: Errors

  /// Asserts that reading `text` fails with `message` at the given place, identically for
  /// every chunk size and in the validating pass.
  func assertExportError(
    _ input: [UInt8], _ message: String, line: Int? = nil, column: Int? = nil,
    pointer: String? = nil, file: StaticString = #filePath, sourceLine: UInt = #line
  ) throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write(input)
    var first: JSONError?
    for chunkSize in [ExportReader.defaultChunkSize, 1, 2, 3, 7, 64] {
      for validating in [false, true] {
        do {
          let reader = ExportReader(path: path, chunkSize: chunkSize)
          if validating { _ = try reader.validate() } else { try reader.read { _ in } }
          XCTFail("accepted (chunk \(chunkSize))", file: file, line: sourceLine)
        } catch let error as JSONError {
          if let first {
            XCTAssertEqual(error, first, "chunk \(chunkSize)", file: file, line: sourceLine)
          } else {
            first = error
            assertLocated(
              error, message, line: line, column: column, pointer: pointer, file: file,
              sourceLine: sourceLine)
          }
        }
      }
    }
    // `scan`, with each record parsed as it comes, refuses the file with the same error.
    try assertScanMatchesRead(path, chunkSizes: [ExportReader.defaultChunkSize, 1, 2, 7])
  }

  func assertExportError(
    _ input: String, _ message: String, line: Int? = nil, column: Int? = nil,
    pointer: String? = nil, file: StaticString = #filePath, sourceLine: UInt = #line
  ) throws {
    try assertExportError(
      bytes(input), message, line: line, column: column, pointer: pointer, file: file,
      sourceLine: sourceLine)
  }

  func testEmptyFile() throws {
    try assertExportError("", "the file is empty (0 bytes)", line: 1, column: 1, pointer: "")
    try assertExportError(" \n ", "unexpected end of input", line: 2, column: 2)
  }

  func testMissingFileAndDirectory() throws {
    let directory = try TemporaryDirectory()
    let missing = directory.url.appendingPathComponent("nope.json").path
    XCTAssertThrowsError(try ExportReader(path: missing).read { _ in }) { error in
      let error = error as? ExportFileError
      XCTAssertEqual(error?.path, missing)
      XCTAssertTrue(
        error?.message.contains("No such file") ?? false, "\(String(describing: error))")
    }
    XCTAssertThrowsError(try ExportReader(path: directory.url.path).validate()) { error in
      XCTAssertTrue(
        (error as? ExportFileError)?.message.contains("is a directory") ?? false, "\(error)")
    }
  }

  func testUnreadableFile() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("{}")
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
    if FileManager.default.isReadableFile(atPath: path) {
      throw XCTSkip("running with privileges that read any file")
    }
    XCTAssertThrowsError(try ExportReader(path: path).read { _ in }) { error in
      XCTAssertTrue((error as? ExportFileError)?.message.contains("cannot open") ?? false)
    }
  }

  func testByteOrderMark() throws {
    try assertExportError(
      [0xEF, 0xBB, 0xBF] + bytes("{\"annotations\":[]}"),
      "the file starts with a UTF-8 byte-order mark; save it without one", line: 1, column: 1)
  }

  func testTopLevelNotAnObject() throws {
    try assertExportError(
      "[{\"_id\":\"a\"}]", "the top level must be an object (a NimbusImage export), not an array",
      line: 1, column: 1)
    try assertExportError("hello", "expected a value but found 'h'", line: 1, column: 1)
  }

  func testWrongContainerTypes() throws {
    try assertExportError(
      "{\"annotations\": {}}", "\"annotations\" must be an array of objects, not an object",
      line: 1, column: 17, pointer: "/annotations")
    try assertExportError(
      "{\"annotationConnections\": null}", "must be an array of objects, not null",
      pointer: "/annotationConnections")
    try assertExportError(
      "{\"annotationPropertyValues\": []}",
      "\"annotationPropertyValues\" must be an object, not an array",
      pointer: "/annotationPropertyValues")
    try assertExportError(
      "{\"annotations\": [{}, 3]}",
      "each element of \"annotations\" must be an object, not a number", line: 1, column: 22,
      pointer: "/annotations/1")
    try assertExportError(
      "{\"annotationPropertyValues\": {\"a\": [1]}}",
      "the values of annotation \"a\" must be an object, not an array",
      pointer: "/annotationPropertyValues/a")
    try assertExportError(
      "{\"annotations\": [{}, @]}", "expected a value but found '@'", pointer: "/annotations/1")
  }

  func testUnknownTopLevelKey() throws {
    try assertExportError(
      "{\"annotations\":[],\n \"datasets\": []}",
      "unknown top-level key \"datasets\"; an export holds only \"annotations\","
        + " \"annotationConnections\", \"annotationProperties\" and \"annotationPropertyValues\"",
      line: 2, column: 2, pointer: "/datasets")
  }

  func testDuplicateKeys() throws {
    try assertExportError(
      "{\"annotations\":[],\"annotations\":[]}", "duplicate key \"annotations\"", line: 1,
      column: 19, pointer: "/annotations")
    try assertExportError(
      "{\"annotationPropertyValues\":{\"a1\":{},\"a2\":{},\"a1\":{}}}", "duplicate key \"a1\"",
      column: 46, pointer: "/annotationPropertyValues/a1")
    try assertExportError(
      "{\"annotations\":[{\"_id\":\"x\"},{\"_id\":\"y\",\"_id\":\"z\"}]}",
      "duplicate key \"_id\"", column: 40, pointer: "/annotations/1/_id")
  }

  func testErrorsInsideRecords() throws {
    var generator = ExportGenerator(seed: 3)
    var good = generator.export(annotations: 15)
    // Break annotation 12's name with a Latin-1 byte.
    let text = good.text
    let marker = "\"name\":\"Cell 12\""
    let range = text.range(of: marker)!
    let offset = text.utf8.distance(from: text.startIndex, to: range.lowerBound) + 12
    good[offset] = 0xE9
    try assertExportError(
      good, "invalid UTF-8 byte 0xE9 in a string", line: 1, column: offset + 1,
      pointer: "/annotations/12/name")
    try assertExportError(
      "{\"annotations\":[\n{\"coordinates\":[{\"x\":1e400}]}]}", "number 1e400 is out of range",
      line: 2, column: 22, pointer: "/annotations/0/coordinates/0/x")
    try assertExportError(
      "{\"annotations\":[{\"n\":12345678901234567890}]}", "cannot be held exactly",
      pointer: "/annotations/0/n")
    try assertExportError(
      "{\"annotations\":[{\"t\":\"\\ud800\"}]}", "lone surrogate", pointer: "/annotations/0/t")
    try assertExportError(
      bytes("{\"annotations\":[{\"k") + [0xC3] + bytes("\":1}]}"), "invalid UTF-8 byte 0xC3",
      pointer: "/annotations/0")
    try assertExportError(
      "{\"annotations\":[{\"a\":1 \"b\":2}]}", "expected ',' or '}' after an object member",
      column: 24, pointer: "/annotations/0")
    try assertExportError(
      "{\"annotations\":[{\"a\":\"x\ny\"}]}", "control character U+000A must be escaped",
      pointer: "/annotations/0/a")
  }

  func testTruncatedFile() throws {
    var generator = ExportGenerator(seed: 4)
    let bytes = generator.export(annotations: 5)
    for cut in [1, 10, 100, bytes.count / 2, bytes.count - 3, bytes.count - 2] {
      try assertExportError(
        Array(bytes[0..<cut]), "unexpected end of input (the file may be truncated)", line: 1,
        column: cut + 1)
    }
  }

  func testTrailingContent() throws {
    try assertExportError(
      "{\"annotations\":[]}\n{}", "unexpected content after the top-level object: '{'",
      line: 2, column: 1)
    try assertExportError(
      "{\"annotations\":[]} garbage", "unexpected content after the top-level object", column: 20)
    try assertExportError(
      "{\"annotations\":[]", "unexpected end of input (the file may be truncated)", column: 18)
  }

  func testSyntaxBetweenRecords() throws {
    try assertExportError(
      "{\"annotations\":[{},]}", "trailing comma before ']' is not allowed", column: 20)
    try assertExportError(
      "{\"annotations\":[{} {}]}", "expected ',' or ']' after an element of \"annotations\"",
      column: 20, pointer: "/annotations")
    try assertExportError(
      "{\"annotations\":[] \"x\":1}", "expected ',' or '}' after a top-level member", column: 19)
    try assertExportError("{\"annotations\" []}", "expected ':' after an object key", column: 16)
    try assertExportError("{annotations:[]}", "expected a key in double quotes", column: 2)
  }

  func testDepthLimitCountsTheWholeDocument() throws {
    // Top-level object (1) and the array (2) leave 510 levels to a record.
    let ok = String(repeating: "[", count: 509) + String(repeating: "]", count: 509)
    let directory = try TemporaryDirectory()
    try ExportReader(path: try directory.write("{\"annotations\":[{\"a\":\(ok)}]}")).read { _ in }
    let deep = String(repeating: "[", count: 510) + String(repeating: "]", count: 510)
    try assertExportError(
      "{\"annotations\":[{\"a\":\(deep)}]}", "nesting deeper than 512 levels")
  }
}
