/// Finds the values of a CSV export's property columns directly in the canonical JSON bytes
/// of an annotation's values object, without building a `JSONValue`: the second pass of a
/// large export reads a million such objects.
///
/// The bytes must be a store file (RFC 8785: no whitespace, no repeated keys). Anything
/// this reader does not take on, such as a key or string with an escape, makes `find`
/// return nil, and the caller parses the object instead; so the cells are the same either
/// way.
struct CanonicalValuesLookup: Sendable {
  /// A step of the column paths: its keys (as UTF-8), the node each leads to, and the
  /// slot of the path that ends there, if any.
  private struct Node: Sendable {
    var keys: [[UInt8]] = []
    var children: [Int] = []
    var column: Int?
  }

  private var nodes = [Node()]
  /// How many distinct paths there are.
  private var slotCount = 0
  /// For each property column (0-based, after the fixed ones), the slot of its path.
  let slotOfColumn: [Int]

  /// A lookup for `paths` (the property columns in order); nil when a path holds a
  /// character that canonical JSON escapes (a quote, a backslash, a control character),
  /// which this reader does not match.
  init?(paths: [PropertyPath]) {
    var slotOfColumn: [Int] = []
    for path in paths {
      var node = 0
      for component in path.components {
        let key = Array(component.utf8)
        if key.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        ) {
          return nil
        }
        if let index = nodes[node].keys.firstIndex(of: key) {
          node = nodes[node].children[index]
        } else {
          nodes.append(Node())
          nodes[node].keys.append(key)
          nodes[node].children.append(nodes.count - 1)
          node = nodes.count - 1
        }
      }
      if nodes[node].column == nil {
        nodes[node].column = slotCount
        slotCount += 1
      }
      slotOfColumn.append(nodes[node].column!)
    }
    self.slotOfColumn = slotOfColumn
  }

  /// The byte range of each path's value in `bytes` (by slot; nil where the row has
  /// none), or nil when the bytes need the full parser.
  func find(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>?]? {
    var spans = [Range<Int>?](repeating: nil, count: slotCount)
    var skim = JSONSkimmer(bytes: bytes)
    guard object(&skim, node: 0, spans: &spans) else { return nil }
    return spans
  }

  /// Reads the object at the skimmer's position, noting the spans of the paths under
  /// `node`; false on anything unexpected (the bytes are canonical: no whitespace).
  private func object(_ skim: inout JSONSkimmer, node: Int, spans: inout [Range<Int>?]) -> Bool {
    guard skim.take(UInt8(ascii: "{")) else { return false }
    if skim.take(UInt8(ascii: "}")) { return true }
    while true {
      guard let keyRange = skim.plainKey(), skim.take(UInt8(ascii: ":")) else { return false }
      let valueStart = skim.index
      let key = UnsafeBufferPointer(rebasing: skim.bytes[keyRange])
      var child: Int?
      for (index, candidate) in nodes[node].keys.enumerated()
      where candidate.count == key.count && candidate.elementsEqual(key) {
        child = nodes[node].children[index]
        break
      }
      if let child, !nodes[child].keys.isEmpty, skim.peek() == UInt8(ascii: "{") {
        guard object(&skim, node: child, spans: &spans) else { return false }
      } else {
        guard skim.skipValue() else { return false }
      }
      if let child, let slot = nodes[child].column { spans[slot] = valueStart..<skim.index }
      if skim.take(UInt8(ascii: ",")) { continue }
      return skim.take(UInt8(ascii: "}"))
    }
  }
}

/// The double a JSON number literal stands for, correctly rounded: exactly by one
/// multiplication or division when the digits fit in 53 bits and the power of ten is at
/// most 22 (Clinger's fast path, most literals of an export), by `strtod` otherwise.
enum NumberLiteral {
  private static let powers: [Double] = (0...22).map {
    (0..<$0).reduce(1.0) { value, _ in value * 10 }
  }

  /// The value of `literal`, a valid JSON number.
  static func value(_ literal: UnsafeBufferPointer<UInt8>) -> Double {
    if let decimal = DecimalLiteral(literal), decimal.digitCount <= 19,
      decimal.mantissa <= 1 << 53, (-22...22).contains(decimal.exponent)
    {
      var value = Double(decimal.mantissa)
      value =
        decimal.exponent >= 0 ? value * powers[decimal.exponent] : value / powers[-decimal.exponent]
      return decimal.negative ? -value : value
    }
    return ParserCore.convertWithStrtod(literal.baseAddress!, count: literal.count)
  }
}
