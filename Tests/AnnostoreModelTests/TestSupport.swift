import Foundation
import XCTest

@testable import AnnostoreModel

/// A small deterministic generator (SplitMix64) so property-style tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

enum Fixtures {
  /// `Tests/Fixtures`, found from this source file.
  static var directory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures")
  }

  static func path(_ name: String) -> String {
    directory.appendingPathComponent(name).path
  }
}

/// A scratch directory removed when the test case ends.
final class TemporaryDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("annostore-json-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes `bytes` to a file named `name` and returns its path.
  func write(_ bytes: [UInt8], name: String = "export.json") throws -> String {
    let file = url.appendingPathComponent(name)
    try Data(bytes).write(to: file)
    return file.path
  }

  func write(_ text: String, name: String = "export.json") throws -> String {
    try write(Array(text.utf8), name: name)
  }
}

extension Array where Element == UInt8 {
  var text: String { String(decoding: self, as: UTF8.self) }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Parses `text` and fails the test when it is refused.
func parse(
  _ text: String, file: StaticString = #filePath, line: UInt = #line
) -> JSONValue? {
  do {
    return try JSONParser.parse(bytes(text))
  } catch {
    XCTFail("\(text.prefix(80)) refused: \(error)", file: file, line: line)
    return nil
  }
}

/// The canonical text of `text`.
func canonical(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
  guard let value = parse(text, file: file, line: line) else { return nil }
  return CanonicalJSON.encode(value).text
}

/// Asserts that parsing `input` fails with a message containing `message` at the given
/// place (nil: not checked).
func assertParseError(
  _ input: [UInt8], _ message: String, line: Int? = nil, column: Int? = nil,
  offset: Int? = nil, pointer: String? = nil,
  file: StaticString = #filePath, sourceLine: UInt = #line
) {
  do {
    let value = try JSONParser.parse(input)
    XCTFail("accepted \(input.text.prefix(80)) as \(value)", file: file, line: sourceLine)
  } catch {
    assertLocated(
      error, message, line: line, column: column, offset: offset, pointer: pointer,
      file: file, sourceLine: sourceLine)
  }
  // The validating pass refuses the same input with the same error.
  do {
    try JSONParser.validate(input)
    XCTFail("validate accepted \(input.text.prefix(80))", file: file, line: sourceLine)
  } catch {
    assertLocated(
      error, message, line: line, column: column, offset: offset, pointer: pointer,
      file: file, sourceLine: sourceLine)
  }
}

func assertParseError(
  _ input: String, _ message: String, line: Int? = nil, column: Int? = nil,
  offset: Int? = nil, pointer: String? = nil,
  file: StaticString = #filePath, sourceLine: UInt = #line
) {
  assertParseError(
    bytes(input), message, line: line, column: column, offset: offset, pointer: pointer,
    file: file, sourceLine: sourceLine)
}

func assertLocated(
  _ error: Error, _ message: String, line: Int? = nil, column: Int? = nil,
  offset: Int? = nil, pointer: String? = nil,
  file: StaticString = #filePath, sourceLine: UInt = #line
) {
  guard let error = error as? JSONError else {
    XCTFail("not a JSONError: \(error)", file: file, line: sourceLine)
    return
  }
  XCTAssertTrue(
    error.message.contains(message), "message \"\(error.message)\" lacks \"\(message)\"",
    file: file, line: sourceLine)
  if let line { XCTAssertEqual(error.location.line, line, "line", file: file, line: sourceLine) }
  if let column {
    XCTAssertEqual(error.location.column, column, "column", file: file, line: sourceLine)
  }
  if let offset {
    XCTAssertEqual(error.location.offset, offset, "offset", file: file, line: sourceLine)
  }
  if let pointer {
    XCTAssertEqual(error.location.pointer, pointer, "pointer", file: file, line: sourceLine)
  }
}
