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
    var scanner = Scanner(bytes: bytes)
    guard scanner.object(node: 0, nodes: nodes, spans: &spans) != nil else { return nil }
    return spans
  }

  /// A forward reader over canonical JSON.
  private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func peek() -> UInt8? { at < bytes.count ? bytes[at] : nil }

    /// Reads the object at `at`, noting the spans of the columns under `node`. Nil on
    /// anything unexpected.
    mutating func object(node: Int, nodes: [Node], spans: inout [Range<Int>?]) -> Void? {
      guard peek() == UInt8(ascii: "{") else { return nil }
      at += 1
      if peek() == UInt8(ascii: "}") {
        at += 1
        return ()
      }
      while true {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        let keyStart = at + 1
        guard let keyEnd = plainStringEnd(from: keyStart) else { return nil }
        at = keyEnd + 1
        guard peek() == UInt8(ascii: ":") else { return nil }
        at += 1
        let valueStart = at
        let key = UnsafeBufferPointer(rebasing: bytes[keyStart..<keyEnd])
        var child: Int?
        for (index, candidate) in nodes[node].keys.enumerated()
        where candidate.count == key.count && candidate.elementsEqual(key) {
          child = nodes[node].children[index]
          break
        }
        if let child, !nodes[child].keys.isEmpty, peek() == UInt8(ascii: "{") {
          guard object(node: child, nodes: nodes, spans: &spans) != nil else { return nil }
        } else {
          guard skipValue() != nil else { return nil }
        }
        if let child, let column = nodes[child].column { spans[column] = valueStart..<at }
        switch peek() {
        case UInt8(ascii: ","): at += 1
        case UInt8(ascii: "}"):
          at += 1
          return ()
        default: return nil
        }
      }
    }

    /// The position of the quote ending a string whose content starts at `start`; nil
    /// when the string holds an escape (or does not end).
    private func plainStringEnd(from start: Int) -> Int? {
      var index = start
      while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: "\""): return index
        case UInt8(ascii: "\\"): return nil
        default: index += 1
        }
      }
      return nil
    }

    /// Moves past the value at `at`; nil on anything unexpected.
    private mutating func skipValue() -> Void? {
      guard let first = peek() else { return nil }
      switch first {
      case UInt8(ascii: "\""):
        at += 1
        while at < bytes.count {
          switch bytes[at] {
          case UInt8(ascii: "\""):
            at += 1
            return ()
          case UInt8(ascii: "\\"): at += 2
          default: at += 1
          }
        }
        return nil
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        var depth = 0
        while at < bytes.count {
          switch bytes[at] {
          case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
          case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth == 0 {
              at += 1
              return ()
            }
          case UInt8(ascii: "\""):
            guard skipValue() != nil else { return nil }
            continue
          default: break
          }
          at += 1
        }
        return nil
      default:
        // A number or a literal: up to the next structural byte.
        let start = at
        while at < bytes.count {
          switch bytes[at] {
          case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"): return at > start ? () : nil
          default: at += 1
          }
        }
        return at > start ? () : nil
      }
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
    var index = 0
    let negative = literal.first == UInt8(ascii: "-")
    if negative { index += 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    while index < literal.count, isDigit(literal[index]) {
      mantissa = mantissa &* 10 &+ UInt64(literal[index] - 0x30)
      digits += 1
      index += 1
    }
    if index < literal.count, literal[index] == UInt8(ascii: ".") {
      index += 1
      while index < literal.count, isDigit(literal[index]) {
        mantissa = mantissa &* 10 &+ UInt64(literal[index] - 0x30)
        digits += 1
        exponent -= 1
        index += 1
      }
    }
    if index < literal.count, literal[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      var negativeExponent = false
      if index < literal.count,
        literal[index] == UInt8(ascii: "-") || literal[index] == UInt8(ascii: "+")
      {
        negativeExponent = literal[index] == UInt8(ascii: "-")
        index += 1
      }
      var written = 0
      while index < literal.count, isDigit(literal[index]), written < 100_000 {
        written = written * 10 + Int(literal[index] - 0x30)
        index += 1
      }
      exponent += negativeExponent ? -written : written
    }
    if digits <= 19, mantissa <= 1 << 53, (-22...22).contains(exponent) {
      var value = Double(mantissa)
      value = exponent >= 0 ? value * powers[exponent] : value / powers[-exponent]
      return negative ? -value : value
    }
    return ParserCore.convertWithStrtod(literal.baseAddress!, count: literal.count)
  }
}
