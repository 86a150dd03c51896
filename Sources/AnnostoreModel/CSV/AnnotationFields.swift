/// The members of an annotation document a CSV row needs (`_id`, `channel`, `location`,
/// `name`, `shape`, `tags`), read without building the rest. An annotation's bytes are
/// mostly its `coordinates`, which a row never shows; skipping them instead of building
/// a value per vertex makes reading a row several times cheaper.
public enum AnnotationFields {
  /// The keys a row uses.
  static let wanted: Set<String> = ["_id", "channel", "location", "name", "shape", "tags"]

  /// The wanted keys as bytes, for comparing without making strings.
  static let wantedBytes: [[UInt8]] = wanted.map { Array($0.utf8) }

  /// An object holding only the wanted members of the JSON object in `bytes`: their text
  /// is gathered into a small object and parsed by `JSONParser` in one go. Nil when the
  /// text is not a plain object this reader can skim (then parse it whole).
  public static func read(_ bytes: [UInt8]) -> JSONValue? {
    var skim = Skimmer(bytes: bytes)
    return skim.object()
  }

  private struct Skimmer {
    let bytes: [UInt8]
    var index = 0

    mutating func object() -> JSONValue? {
      skipSpace()
      guard take(UInt8(ascii: "{")) else { return nil }
      var kept: [UInt8] = [UInt8(ascii: "{")]
      kept.reserveCapacity(256)
      skipSpace()
      if !take(UInt8(ascii: "}")) {
        while true {
          skipSpace()
          let keyStart = index
          guard let key = plainKey() else { return nil }
          skipSpace()
          guard take(UInt8(ascii: ":")) else { return nil }
          skipSpace()
          let start = index
          guard skipValue() else { return nil }
          if isWanted(key) {
            if kept.count > 1 { kept.append(UInt8(ascii: ",")) }
            kept.append(contentsOf: bytes[keyStart..<key.upperBound + 1])
            kept.append(UInt8(ascii: ":"))
            kept.append(contentsOf: bytes[start..<index])
          }
          skipSpace()
          if take(UInt8(ascii: ",")) { continue }
          guard take(UInt8(ascii: "}")) else { return nil }
          break
        }
      }
      // Only whitespace may follow the object.
      skipSpace()
      guard index == bytes.count else { return nil }
      kept.append(UInt8(ascii: "}"))
      return try? JSONParser.parse(kept)
    }

    func isWanted(_ key: Range<Int>) -> Bool {
      for wanted in AnnotationFields.wantedBytes where wanted.count == key.count {
        if bytes[key].elementsEqual(wanted) { return true }
      }
      return false
    }

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

    /// Moves past one value: a string, an object or array (brackets counted, strings
    /// inside skipped), or a scalar. Checks only the structure; wanted values are parsed.
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
}
