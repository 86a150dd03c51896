import Foundation
import XCTest

@testable import AnnostoreModel

/// What a pass over an export yields: its events as text (records in canonical form, with
/// their pointer and offset), then the error that stopped it, if any.
struct PassOutcome: Equatable, CustomStringConvertible {
  var events: [String] = []
  var error: JSONError?
  /// Any other error (a file that cannot be read), as text.
  var otherError: String?

  var description: String {
    (events.suffix(3) + [error.map { "error: \($0)" } ?? otherError ?? "no error"])
      .joined(separator: "\n")
  }

  /// `read`'s outcome.
  static func read(_ path: String, chunkSize: Int = ExportReader.defaultChunkSize) -> PassOutcome {
    var events: [String] = []
    var outcome = PassOutcome.capture {
      try ExportReader(path: path, chunkSize: chunkSize).read { event in
        events.append(event.text(place: \.pointer))
      }
    }
    outcome.events = events
    return outcome
  }

  /// `scan`'s outcome with every record parsed in the visitor (errors located with
  /// `locate`); `file` holds the file's bytes, against which each record's bytes and
  /// offset are checked.
  static func scan(
    _ path: String, chunkSize: Int = ExportReader.defaultChunkSize, file: [UInt8],
    sourceFile: StaticString = #filePath, line: UInt = #line
  ) -> PassOutcome {
    var events: [String] = []
    let reader = ExportReader(path: path, chunkSize: chunkSize)
    let parser = JSONRecordParser()
    var outcome = PassOutcome.capture {
      try reader.scan { event in
        switch event {
        case .sectionStart(let section): events.append("start \(section.rawValue)")
        case .sectionEnd(let section): events.append("end \(section.rawValue)")
        case .record(let record):
          let value: JSONValue
          do {
            value = try parser.parse(record)
          } catch let error as JSONError {
            XCTAssertEqual(error.location.line, 0, file: sourceFile, line: line)
            throw try reader.locate(error)
          }
          XCTAssertEqual(
            Array(record.bytes), Array(file[record.offset..<record.offset + record.bytes.count]),
            "bytes of \(record.pointer)", file: sourceFile, line: line)
          XCTAssertEqual(record.bytes.first, UInt8(ascii: "{"), file: sourceFile, line: line)
          XCTAssertEqual(record.bytes.last, UInt8(ascii: "}"), file: sourceFile, line: line)
          let head =
            record.key.map { "values \($0)" }
            ?? "record \(record.section.rawValue) \(record.index)"
          XCTAssertEqual(
            record.section == .annotationPropertyValues, record.key != nil, file: sourceFile,
            line: line)
          events.append(
            "\(head) \(record.pointer) @\(record.offset) " + CanonicalJSON.encode(value).text)
        }
      }
    }
    outcome.events = events
    return outcome
  }

  /// An outcome without events, with the error `body` throws.
  private static func capture(_ body: () throws -> Void) -> PassOutcome {
    var outcome = PassOutcome()
    do {
      try body()
    } catch let jsonError as JSONError {
      outcome.error = jsonError
    } catch {
      outcome.otherError = "\(error)"
    }
    return outcome
  }
}

/// Asserts that `scan` (records parsed in the visitor) yields exactly what `read` yields,
/// error included, for the file at `path` and each chunk size.
func assertScanMatchesRead(
  _ path: String, chunkSizes: [Int], file: StaticString = #filePath, line: UInt = #line
) throws {
  let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  let expected = PassOutcome.read(path)
  for chunkSize in chunkSizes {
    let scanned = PassOutcome.scan(
      path, chunkSize: chunkSize, file: bytes, sourceFile: file, line: line)
    XCTAssertEqual(
      scanned, expected, "chunk \(chunkSize):\nscan\n\(scanned)\nread\n\(expected)", file: file,
      line: line)
  }
}

extension ExportEvent {
  /// The event as comparable text: a record in canonical form after its section, index (or
  /// annotation id), `place` of its location and its offset.
  func text(place: (JSONLocation) -> String) -> String {
    switch self {
    case .sectionStart(let section): return "start \(section.rawValue)"
    case .sectionEnd(let section): return "end \(section.rawValue)"
    case .record(let section, let value, let index, let location):
      return "record \(section.rawValue) \(index) \(place(location)) @\(location.offset) "
        + CanonicalJSON.encode(value).text
    case .values(let annotationId, let value, let location):
      return "values \(annotationId) \(place(location)) @\(location.offset) "
        + CanonicalJSON.encode(value).text
    }
  }
}
