/// A string token found by `scanString`: the bytes between the quotes, already validated.
struct StringSpan {
  var start: UnsafePointer<UInt8>
  var end: UnsafePointer<UInt8>
  /// True when the bytes contain backslash escapes that `makeString` must decode.
  var hasEscapes: Bool
}

extension ParserCore {
  /// Scans the string starting at the opening quote at `pos`, validating UTF-8 (no
  /// overlongs, no encoded surrogates), escapes (no lone surrogates) and control characters.
  /// Leaves `pos` after the closing quote.
  mutating func scanString() throws(ParseFailure) -> StringSpan {
    let open = pos
    var cursor = pos + 1
    var hasEscapes = false
    while true {
      cursor = Self.skipPlainASCII(from: cursor, to: end)
      guard cursor < end else {
        throw endOfInput()
      }
      let byte = cursor.pointee
      if byte == 0x22 {
        pos = cursor + 1
        return StringSpan(start: open + 1, end: cursor, hasEscapes: hasEscapes)
      }
      if byte == 0x5C {
        hasEscapes = true
        cursor = try scanEscape(at: cursor)
      } else if byte < 0x20 {
        throw failure(
          "control character U+00\(Self.hexByte(byte).dropFirst(2)) must be escaped in a string",
          at: cursor)
      } else {
        cursor = try scanMultiByteSequence(at: cursor)
      }
    }
  }

  /// The first byte at or after `cursor` that is a quote, a backslash, a control character
  /// or non-ASCII; eight bytes at a time where possible.
  @inline(__always)
  static func skipPlainASCII(
    from start: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>
  ) -> UnsafePointer<UInt8> {
    var cursor = start
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while end - cursor >= 8 {
      let word = UInt64(littleEndian: UnsafeRawPointer(cursor).loadUnaligned(as: UInt64.self))
      let quotes = word ^ (ones &* 0x22)
      let backslashes = word ^ (ones &* 0x5C)
      var special = word & highs
      special |= (word &- ones &* 0x20) & ~word & highs
      special |= (quotes &- ones) & ~quotes & highs
      special |= (backslashes &- ones) & ~backslashes & highs
      if special != 0 {
        return cursor + (special.trailingZeroBitCount >> 3)
      }
      cursor += 8
    }
    while cursor < end {
      let byte = cursor.pointee
      if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte >= 0x80 { return cursor }
      cursor += 1
    }
    return cursor
  }

  /// Validates the escape at `cursor` (a backslash); returns the position after it.
  mutating func scanEscape(at cursor: UnsafePointer<UInt8>) throws(ParseFailure)
    -> UnsafePointer<UInt8>
  {
    guard end - cursor >= 2 else { throw endOfInput() }
    switch cursor[1] {
    case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
      return cursor + 2
    case 0x75:  // u
      let unit = try hex4(at: cursor)
      switch unit {
      case 0xD800...0xDBFF:
        guard end - cursor >= 8 else { throw endOfInput() }
        if cursor[6] == 0x5C && cursor[7] == 0x75 {
          let low = try hex4(at: cursor + 6)
          if (0xDC00...0xDFFF).contains(low) { return cursor + 12 }
        }
        throw loneSurrogate(at: cursor)
      case 0xDC00...0xDFFF:
        throw loneSurrogate(at: cursor)
      default:
        return cursor + 6
      }
    default:
      throw failure(
        "invalid escape '\\\(Self.describe(cursor[1]).trimmingQuotes)' in a string"
          + " (valid escapes: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
        at: cursor)
    }
  }

  /// The code unit of the `\uXXXX` escape at `cursor`.
  mutating func hex4(at cursor: UnsafePointer<UInt8>) throws(ParseFailure) -> UInt16 {
    var unit: UInt16 = 0
    for index in 2..<6 {
      guard cursor + index < end else { throw endOfInput() }
      guard let digit = Self.hexValue(cursor[index]) else {
        throw failure("invalid \\u escape: expected four hex digits", at: cursor)
      }
      unit = unit << 4 | UInt16(digit)
    }
    return unit
  }

  @inline(__always)
  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
  }

  func loneSurrogate(at cursor: UnsafePointer<UInt8>) -> ParseFailure {
    let text = String(decoding: UnsafeBufferPointer(start: cursor, count: 6), as: UTF8.self)
    return failure(
      "lone surrogate escape \(text) in a string (\\uD800-\\uDBFF must be followed by"
        + " \\uDC00-\\uDFFF; the text is not valid Unicode)", at: cursor)
  }

  /// Validates the UTF-8 sequence whose lead byte (>= 0x80) is at `cursor`; returns the
  /// position after it. Overlong forms, surrogates and values above U+10FFFF are refused.
  mutating func scanMultiByteSequence(at cursor: UnsafePointer<UInt8>) throws(ParseFailure)
    -> UnsafePointer<UInt8>
  {
    let lead = cursor.pointee
    var continuation = 0
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: continuation = 1
    case 0xE0:
      continuation = 2
      low = 0xA0
    case 0xE1...0xEC, 0xEE, 0xEF: continuation = 2
    case 0xED:
      continuation = 2
      high = 0x9F
    case 0xF0:
      continuation = 3
      low = 0x90
    case 0xF1...0xF3: continuation = 3
    case 0xF4:
      continuation = 3
      high = 0x8F
    default:
      throw invalidUTF8(at: cursor)
    }
    for index in 1...continuation {
      guard cursor + index < end else { throw endOfInput() }
      let byte = cursor[index]
      let (min, max) = index == 1 ? (low, high) : (0x80, 0xBF)
      guard byte >= min && byte <= max else { throw invalidUTF8(at: cursor) }
    }
    return cursor + continuation + 1
  }

  func invalidUTF8(at cursor: UnsafePointer<UInt8>) -> ParseFailure {
    failure("invalid UTF-8 byte \(Self.hexByte(cursor.pointee)) in a string", at: cursor)
  }

  /// The text of a scanned string.
  @inline(__always)
  mutating func makeString(_ span: StringSpan) -> String {
    if !span.hasEscapes {
      let length = span.end - span.start
      if length > 0 && length <= 15 {
        return strings.string(span.start, length: length, readable: end - span.start)
      }
      return String(
        decoding: UnsafeBufferPointer(start: span.start, count: length), as: UTF8.self)
    }
    return decodeEscapes(span)
  }

  /// Decodes a string with escapes (already validated by `scanString`).
  @inline(never)
  mutating func decodeEscapes(_ span: StringSpan) -> String {
    scratch.removeAll(keepingCapacity: true)
    var cursor = span.start
    while cursor < span.end {
      var run = cursor
      while run < span.end && run.pointee != 0x5C { run += 1 }
      if run > cursor {
        scratch.append(contentsOf: UnsafeBufferPointer(start: cursor, count: run - cursor))
        cursor = run
        continue
      }
      let kind = cursor[1]
      cursor += 2
      switch kind {
      case 0x62: scratch.append(0x08)
      case 0x66: scratch.append(0x0C)
      case 0x6E: scratch.append(0x0A)
      case 0x72: scratch.append(0x0D)
      case 0x74: scratch.append(0x09)
      case 0x75:
        var scalar = UInt32(Self.hex4Unchecked(cursor))
        cursor += 4
        if (0xD800...0xDBFF).contains(scalar) {
          let low = UInt32(Self.hex4Unchecked(cursor + 2))
          cursor += 6
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        for byte in UTF8.encode(Unicode.Scalar(scalar)!)! { scratch.append(byte) }
      default: scratch.append(kind)  // " \ /
      }
    }
    return String(decoding: scratch, as: UTF8.self)
  }

  static func hex4Unchecked(_ cursor: UnsafePointer<UInt8>) -> UInt16 {
    var unit: UInt16 = 0
    for index in 0..<4 { unit = unit << 4 | UInt16(hexValue(cursor[index]) ?? 0) }
    return unit
  }
}

extension String {
  /// `'x'` without its quotes (for messages that quote differently).
  fileprivate var trimmingQuotes: String {
    if hasPrefix("'") && hasSuffix("'") && count >= 3 { return String(dropFirst().dropLast()) }
    return self
  }
}
