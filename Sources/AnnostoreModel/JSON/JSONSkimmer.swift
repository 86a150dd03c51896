/// A forward reader that steps over JSON without building values: the shared part of the
/// fast paths that take a few members out of a document (`AnnotationFields`) or find
/// values by path (`CanonicalValuesLookup`). It checks only structure; whatever it cannot
/// take on (an escaped key) it reports, so that its caller can use the full parser.
struct JSONSkimmer {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// The byte at the reading position, nil at the end.
  func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

  /// Moves past `byte` when it comes next.
  mutating func take(_ byte: UInt8) -> Bool {
    guard index < bytes.count, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  mutating func skipSpace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  /// The bytes of a key without escapes (others send the document to the full parser).
  mutating func plainKey() -> Range<Int>? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    let start = index
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: "\""):
        defer { index += 1 }
        return start..<index
      case UInt8(ascii: "\\"), 0..<0x20: return nil
      default: index += 1
      }
    }
    return nil
  }

  /// Moves past the object at the reading position, written without whitespace between
  /// tokens (canonical JSON), handing `member` each member's key (without quotes) and
  /// value as byte ranges, in order. False when the bytes are not such an object, a key
  /// has an escape, or `member` returns false.
  mutating func members(_ member: (_ key: Range<Int>, _ value: Range<Int>) -> Bool) -> Bool {
    guard take(UInt8(ascii: "{")) else { return false }
    if take(UInt8(ascii: "}")) { return true }
    while true {
      guard let key = plainKey(), take(UInt8(ascii: ":")) else { return false }
      let start = index
      guard skipValue(), member(key, start..<index) else { return false }
      if take(UInt8(ascii: ",")) { continue }
      return take(UInt8(ascii: "}"))
    }
  }

  /// Moves past one value: a string, an object or array (brackets counted, strings
  /// inside skipped), or a scalar.
  mutating func skipValue() -> Bool {
    guard index < bytes.count else { return false }
    switch bytes[index] {
    case UInt8(ascii: "\""): return skipString()
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: "\""):
          guard skipString() else { return false }
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          if depth == 0 {
            index += 1
            return true
          }
        default: break
        }
        index += 1
      }
      return false
    default:
      let start = index
      while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D:
          return index > start
        default: index += 1
        }
      }
      return false
    }
  }

  /// Moves past the string starting at the reading position.
  mutating func skipString() -> Bool {
    index += 1
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: "\""):
        index += 1
        return true
      case UInt8(ascii: "\\"): index += 2
      default: index += 1
      }
    }
    return false
  }
}
