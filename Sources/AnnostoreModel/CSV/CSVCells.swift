/// Writing text into a CSV line: NimbusImage's quoting, plus annostore's RFC 4180 repair of
/// the cells NimbusImage would write unquoted although they break the row.
struct CSVCells {
  let delimiter: UInt8

  /// A quoted cell: every `"` doubled, the whole wrapped in `"…"` (empty text too).
  static func appendQuoted<Text: Collection<UInt8>>(_ text: Text, into line: inout [UInt8]) {
    let quote = UInt8(ascii: "\"")
    line.append(quote)
    if text.contains(quote) {
      for byte in text {
        line.append(byte)
        if byte == quote { line.append(quote) }
      }
    } else {
      line.append(contentsOf: text)
    }
    line.append(quote)
  }

  /// A cell of an unquoted column: as is, like NimbusImage, unless it holds the delimiter,
  /// a `"`, CR or LF; then (annostore's deviation) quoted per RFC 4180 so the row stays whole.
  func appendUnquoted<Text: Collection<UInt8>>(_ text: Text, into line: inout [UInt8]) {
    if needsQuotes(text) {
      Self.appendQuoted(text, into: &line)
    } else {
      line.append(contentsOf: text)
    }
  }

  /// Whether unquoted text would break the row.
  func needsQuotes<Text: Collection<UInt8>>(_ text: Text) -> Bool {
    for byte in text {
      switch byte {
      case delimiter, UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r"): return true
      default: continue
      }
    }
    return false
  }

  /// Appends a cell in the column's quoting.
  func append<Text: Collection<UInt8>>(_ text: Text, quoted: Bool, into line: inout [UInt8]) {
    if quoted {
      Self.appendQuoted(text, into: &line)
    } else {
      appendUnquoted(text, into: &line)
    }
  }
}
