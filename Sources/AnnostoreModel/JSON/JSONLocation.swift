/// Where in an input a problem is: 1-based line and column (in bytes), byte offset, and the
/// RFC 6901 JSON pointer of the value being read.
///
/// Locations are what make an error in a 700 MB export actionable: the line and column open
/// the file at the right place, the pointer (`/annotations/12/coordinates/3`) names the record.
public struct JSONLocation: Sendable, Equatable, CustomStringConvertible {
  /// 1-based line number (lines end at `\n`); 0 when not known (an error found by parsing a
  /// part of a file, see `JSONRecordParser`).
  public var line: Int
  /// 1-based column, counted in bytes from the start of the line; 0 when not known.
  public var column: Int
  /// 0-based byte offset from the start of the input.
  public var offset: Int
  /// RFC 6901 JSON pointer of the value being read; empty for the whole document.
  public var pointer: String

  public init(line: Int, column: Int, offset: Int, pointer: String) {
    self.line = line
    self.column = column
    self.offset = offset
    self.pointer = pointer
  }

  /// "`pointer` (line L, column C)", or "byte N" in place of the line when it is not known.
  public var description: String {
    let place = line > 0 ? "line \(line), column \(column)" : "byte \(offset)"
    return pointer.isEmpty ? place : "\(pointer) (\(place))"
  }
}

/// Helpers for RFC 6901 JSON pointers.
public enum JSONPointer {
  /// One reference token of a pointer: `~` becomes `~0`, `/` becomes `~1`.
  public static func escape(_ key: String) -> String {
    let needsEscape =
      key.utf8.withContiguousStorageIfAvailable { bytes in
        bytes.contains { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }
      } ?? key.utf8.contains { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }
    guard needsEscape else { return key }
    var escaped = ""
    escaped.reserveCapacity(key.utf8.count + 4)
    for character in key.unicodeScalars {
      switch character {
      case "~": escaped += "~0"
      case "/": escaped += "~1"
      default: escaped.unicodeScalars.append(character)
      }
    }
    return escaped
  }

  /// `base` extended by one object key or array index (`"/annotations"` + `3`).
  public static func appending(_ key: String, to base: String) -> String {
    base + "/" + escape(key)
  }

  /// `base` extended by an array index.
  public static func appending(_ index: Int, to base: String) -> String {
    base + "/" + String(index)
  }
}
