// STUB: the interface the rest of the code is written against; the JSON implementation
// replaces every body here (and may split this file).

/// Where in an input a problem is: 1-based line and column (in bytes), byte offset, and the
/// RFC 6901 JSON pointer of the value being read.
public struct JSONLocation: Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var offset: Int
  public var pointer: String
  public init(line: Int, column: Int, offset: Int, pointer: String) {
    self.line = line
    self.column = column
    self.offset = offset
    self.pointer = pointer
  }
  public var description: String {
    pointer.isEmpty ? "line \(line), column \(column)" : "\(pointer) (line \(line), column \(column))"
  }
}

/// A JSON text that cannot be read: what is wrong and where.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var location: JSONLocation
  public init(_ message: String, at location: JSONLocation) {
    self.message = message
    self.location = location
  }
  public var description: String { "\(location): \(message)" }
}

/// Parses complete JSON texts (RFC 8259, strict).
public enum JSONParser {
  /// Parses one JSON text. Refuses invalid UTF-8, a byte-order mark, duplicate object keys,
  /// numbers a double cannot hold as written, nesting deeper than 512, trailing content.
  public static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue { fatalError("stub") }
}

/// Writes RFC 8785 canonical JSON.
public enum CanonicalJSON {
  /// Appends the canonical form of `value` (no trailing newline).
  public static func encode(_ value: JSONValue, into output: inout [UInt8]) { fatalError("stub") }

  /// The canonical form of `value` followed by one `\n`: the bytes of a store file.
  public static func fileBytes(_ value: JSONValue) -> [UInt8] { fatalError("stub") }

  /// Appends a number as ECMAScript's Number.prototype.toString writes it (RFC 8785 §3.2.2.3).
  public static func appendNumber(_ number: Double, into output: inout [UInt8]) {
    fatalError("stub")
  }

  /// Appends a string with RFC 8785's minimal escaping, quotes included.
  public static func appendString(_ text: String, into output: inout [UInt8]) { fatalError("stub") }
}

/// The four parts a NimbusImage JSON export may carry, in export order.
public enum ExportSection: String, Sendable, CaseIterable {
  case annotations
  case annotationConnections
  case annotationProperties
  case annotationPropertyValues
}

/// One thing the streaming export reader found.
public enum ExportEvent {
  /// A top-level key began; `annotationPropertyValues` and the lists report this even when empty.
  case sectionStart(ExportSection)
  /// One element of `annotations`, `annotationConnections` or `annotationProperties`.
  case record(ExportSection, JSONValue, index: Int, location: JSONLocation)
  /// One `annotationId: {propertyId: value}` member of `annotationPropertyValues`.
  case values(annotationId: String, JSONValue, location: JSONLocation)
  case sectionEnd(ExportSection)
}

/// Reads a NimbusImage JSON export file front to back in bounded memory (chunks, never the
/// whole file), handing each record to a visitor as soon as it is complete.
public struct ExportReader {
  /// The file being read.
  public let path: String
  public init(path: String) { self.path = path }

  /// Reads the file. Errors: an unreadable file, 0 bytes, not an object at the top,
  /// an unknown top-level key, a section of the wrong type, or any `JSONError`
  /// (with line:column and a pointer such as `/annotations/12/coordinates`).
  /// `progress` is called now and then with the bytes read so far.
  public func read(
    progress: ((Int) -> Void)? = nil, _ visit: (ExportEvent) throws -> Void
  ) throws { fatalError("stub") }
}

/// An export file that cannot be opened or read at all (missing, unreadable, a directory).
public struct ExportFileError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }
  public var description: String { "\(path): \(message)" }
}
