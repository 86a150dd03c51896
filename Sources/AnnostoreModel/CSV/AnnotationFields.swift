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
    bytes.withUnsafeBufferPointer { buffer in
      var skim = Skimmer(skim: JSONSkimmer(bytes: buffer))
      return skim.object()
    }
  }

  /// Keeps the wanted members of one object.
  private struct Skimmer {
    var skim: JSONSkimmer

    mutating func object() -> JSONValue? {
      let bytes = skim.bytes
      skim.skipSpace()
      guard skim.take(UInt8(ascii: "{")) else { return nil }
      var kept: [UInt8] = [UInt8(ascii: "{")]
      kept.reserveCapacity(256)
      skim.skipSpace()
      if !skim.take(UInt8(ascii: "}")) {
        while true {
          skim.skipSpace()
          let keyStart = skim.index
          guard let key = skim.plainKey() else { return nil }
          skim.skipSpace()
          guard skim.take(UInt8(ascii: ":")) else { return nil }
          skim.skipSpace()
          let start = skim.index
          guard skim.skipValue() else { return nil }
          if isWanted(key) {
            if kept.count > 1 { kept.append(UInt8(ascii: ",")) }
            kept.append(contentsOf: bytes[keyStart..<key.upperBound + 1])
            kept.append(UInt8(ascii: ":"))
            kept.append(contentsOf: bytes[start..<skim.index])
          }
          skim.skipSpace()
          if skim.take(UInt8(ascii: ",")) { continue }
          guard skim.take(UInt8(ascii: "}")) else { return nil }
          break
        }
      }
      // Only whitespace may follow the object.
      skim.skipSpace()
      guard skim.index == bytes.count else { return nil }
      kept.append(UInt8(ascii: "}"))
      return try? JSONParser.parse(kept)
    }

    func isWanted(_ key: Range<Int>) -> Bool {
      for wanted in AnnotationFields.wantedBytes where wanted.count == key.count {
        if skim.bytes[key].elementsEqual(wanted) { return true }
      }
      return false
    }
  }
}
