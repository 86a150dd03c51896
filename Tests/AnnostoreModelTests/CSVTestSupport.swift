import Foundation

@testable import AnnostoreModel

/// Test files in Tests/Fixtures, and python3 for comparisons.
enum CSVFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

  static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }

  /// Runs a python3 script and returns its standard output; nil when python3 is missing.
  static func runPython(_ script: String) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
  }
}

/// A small order-keeping JSON reader for tests only (the real parser is JSONParser): objects
/// keep their key order, numbers become doubles.
struct TestJSON {
  private let bytes: [UInt8]
  private var index = 0

  static func parse(_ bytes: [UInt8]) -> JSONValue {
    var reader = TestJSON(bytes: bytes)
    return reader.value()
  }

  static func parse(_ text: String) -> JSONValue { parse(Array(text.utf8)) }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func skipSpace() {
    while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
  }

  private mutating func value() -> JSONValue {
    skipSpace()
    switch bytes[index] {
    case UInt8(ascii: "{"):
      index += 1
      var members: [JSONMember] = []
      skipSpace()
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      while true {
        skipSpace()
        let key = string()
        skipSpace()
        index += 1  // :
        members.append(JSONMember(key, value()))
        skipSpace()
        let separator = bytes[index]
        index += 1
        if separator == UInt8(ascii: "}") { return .object(members) }
      }
    case UInt8(ascii: "["):
      index += 1
      var elements: [JSONValue] = []
      skipSpace()
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(elements)
      }
      while true {
        elements.append(value())
        skipSpace()
        let separator = bytes[index]
        index += 1
        if separator == UInt8(ascii: "]") { return .array(elements) }
      }
    case UInt8(ascii: "\""): return .string(string())
    case UInt8(ascii: "t"):
      index += 4
      return .bool(true)
    case UInt8(ascii: "f"):
      index += 5
      return .bool(false)
    case UInt8(ascii: "n"):
      index += 4
      return .null
    default:
      let start = index
      while index < bytes.count, Array("+-0123456789.eE".utf8).contains(bytes[index]) {
        index += 1
      }
      return .number(Double(String(decoding: bytes[start..<index], as: UTF8.self))!)
    }
  }

  private mutating func string() -> String {
    index += 1  // opening quote
    var scalars: [UInt8] = []
    while bytes[index] != UInt8(ascii: "\"") {
      if bytes[index] == UInt8(ascii: "\\") {
        index += 1
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "n"): scalars.append(0x0A)
        case UInt8(ascii: "t"): scalars.append(0x09)
        case UInt8(ascii: "r"): scalars.append(0x0D)
        case UInt8(ascii: "b"): scalars.append(0x08)
        case UInt8(ascii: "f"): scalars.append(0x0C)
        case UInt8(ascii: "u"):
          var code = hex4()
          if (0xD800..<0xDC00).contains(code) {
            index += 2  // \u
            code = 0x10000 + ((code - 0xD800) << 10) + (hex4() - 0xDC00)
          }
          scalars.append(contentsOf: String(Character(Unicode.Scalar(code)!)).utf8)
        default: scalars.append(escape)
        }
      } else {
        scalars.append(bytes[index])
        index += 1
      }
    }
    index += 1
    return String(decoding: scalars, as: UTF8.self)
  }

  private mutating func hex4() -> UInt32 {
    let text = String(decoding: bytes[index..<index + 4], as: UTF8.self)
    index += 4
    return UInt32(text, radix: 16)!
  }
}

/// A NimbusImage export held in memory the way the store hands it to the CSV writer.
struct SampleDataset {
  var annotations: [JSONValue]
  var propertyNames: [String: String]
  var values: [String: JSONValue]

  init(export: JSONValue) {
    annotations = (export["annotations"]?.arrayElements ?? []).sorted {
      ($0["_id"]?.stringValue ?? "").utf8.lexicographicallyPrecedes(
        ($1["_id"]?.stringValue ?? "").utf8)
    }
    var names: [String: String] = [:]
    for property in export["annotationProperties"]?.arrayElements ?? [] {
      if let id = property["_id"]?.stringValue { names[id] = property["name"]?.stringValue ?? "" }
    }
    propertyNames = names
    var values: [String: JSONValue] = [:]
    for member in export["annotationPropertyValues"]?.objectMembers ?? [] {
      values[member.key] = member.value
    }
    self.values = values
  }

  static func load(_ name: String = "sample-export.json") throws -> SampleDataset {
    SampleDataset(export: TestJSON.parse(try CSVFixtures.bytes(name)))
  }

  /// The CSV as one string, through the line encoder.
  func csv(paths: [PropertyPath], format: CSVFormat, ids: Set<String>? = nil) -> String {
    let columns = CSVColumns(
      paths: paths, propertyNames: propertyNames, sanitize: format.sanitizeColumnNames)
    let encoder = CSVLineEncoder(columns: columns, format: format)
    var bytes: [UInt8] = []
    encoder.appendHeader(into: &bytes)
    for annotation in annotations {
      let id = annotation["_id"]?.stringValue ?? ""
      if let ids, !ids.contains(id) { continue }
      encoder.appendRow(annotation: annotation, values: values[id], into: &bytes)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The default columns: NimbusImage's computed-path walk over the values in row order.
  func leafPaths() -> [PropertyPath] {
    let collector = LeafPathCollector()
    for annotation in annotations {
      if let values = values[annotation["_id"]?.stringValue ?? ""] { collector.add(values) }
    }
    return collector.paths { propertyNames[$0] != nil }
  }
}
