import CRecordSpan

/// Finds where a record (a JSON object) ends without parsing it: it follows only strings
/// (quotes and backslash escapes) and the depth of brackets, so a record's raw bytes can be
/// handed over at close to the speed of reading the file.
///
/// Nothing inside the record is checked (UTF-8, numbers, colons, commas, which bracket closes
/// which): a record whose bytes are new is parsed fully afterwards. For a record that is
/// valid JSON the end found is exactly where the strict parser ends it, because its strings
/// and brackets are then tokenised the same way; for an invalid one the strict parser
/// stops with an error at or before that end.
///
/// Eight bytes are examined at a time (SWAR): byte masks of quotes, backslashes, openings
/// (`{` `[`) and closings (`}` `]`), a prefix XOR of the quotes to know which bytes lie inside
/// strings, then one step per bracket outside strings. A word holding a backslash is
/// walked byte by byte (rare in exports). The scan is resumable: when the bytes run out
/// before the record ends, the state is kept and `scan` continues on a longer buffer that
/// starts with the same record (after a refill moved it).
struct RecordSpanScanner {
  /// Whether the vector scanner (`CRecordSpan`, 64 bytes at a time with AVX2) runs here.
  /// It treats a backslash as escaping the next byte outside strings too: the same end for
  /// valid JSON; for invalid JSON the end may differ only after the stray backslash, where
  /// the strict parser stops first anyway.
  static let vectorized = annostore_span_available() != 0

  /// Whether this scanner uses the vector scanner.
  private let usesVector: Bool
  /// The vector scanner's state.
  private var vector = AnnostoreSpanState()
  /// Bytes of the record examined so far.
  private var scanned = 0
  /// Brackets open at `scanned` (the record's own `{` counts).
  private var depth = 0
  /// True when `scanned` lies inside a string.
  private var inString = false

  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let highs: UInt64 = 0x8080_8080_8080_8080
  private static let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
  /// Setting bit 5 maps `[` to `{` and `]` to `}` (and nothing else onto them).
  private static let bracketFold: UInt64 = 0x2020_2020_2020_2020

  /// The length of the record at `start` (whose first byte is `{`) when its last byte is
  /// among the `count` bytes there; nil when the bytes end first (call again with the same
  /// record at the start of a longer buffer).
  /// A scanner, vectorized where the CPU can (tests ask for the portable one).
  init(vectorized: Bool = RecordSpanScanner.vectorized) {
    usesVector = vectorized && Self.vectorized
  }

  mutating func scan(_ start: UnsafePointer<UInt8>, count: Int) -> Int? {
    if usesVector {
      let length = annostore_span(start, Int64(count), &vector)
      return length >= 0 ? Int(length) : nil
    }
    let end = start + count
    var cursor = start + scanned
    if scanned == 0 {
      guard count > 0 else { return nil }
      depth = 1
      cursor += 1
    }
    var depth = self.depth
    var inString = self.inString
    while end - cursor >= 8 {
      let word = UInt64(littleEndian: UnsafeRawPointer(cursor).loadUnaligned(as: UInt64.self))
      let low7 = word & Self.lows
      let notHigh = ~word & Self.highs
      if Self.matches(low7, notHigh, 0x5C) != 0 {
        let stop = cursor + 8
        if let last = Self.walkBytes(&cursor, stop, end, &depth, &inString) {
          return last + 1 - start
        }
        if cursor < stop { break }  // a backslash ends the bytes
        continue
      }
      let quotes = Self.matches(low7, notHigh, 0x22)
      let folded = low7 | Self.bracketFold
      let opens = Self.matches(folded, notHigh, 0x7B)
      let closes = Self.matches(folded, notHigh, 0x7D)
      // Bit 7 of each byte: 1 when the byte lies inside a string (opening quote included).
      var inside = quotes ^ (quotes << 8)
      inside ^= inside << 16
      inside ^= inside << 32
      if inString { inside = ~inside }
      inString = inside >> 63 != 0
      var brackets = (opens | closes) & ~inside
      while brackets != 0 {
        let bit = brackets & (0 &- brackets)
        if opens & bit != 0 {
          depth += 1
        } else {
          depth -= 1
          if depth == 0 { return cursor + (bit.trailingZeroBitCount >> 3) + 1 - start }
        }
        brackets &= brackets &- 1
      }
      cursor += 8
    }
    if let last = Self.walkBytes(&cursor, end, end, &depth, &inString) {
      return last + 1 - start
    }
    scanned = cursor - start
    self.depth = depth
    self.inString = inString
    return nil
  }

  /// Bit 7 set in each byte of the word equal to `byte` (< 0x80), exactly: `low7` is the
  /// word with bit 7 of each byte cleared, `notHigh` has bit 7 set where the word's is clear.
  @inline(__always)
  private static func matches(_ low7: UInt64, _ notHigh: UInt64, _ byte: UInt8) -> UInt64 {
    let sum = (low7 ^ (ones &* UInt64(byte))) &+ lows
    return (sum & notHigh) ^ notHigh
  }

  /// Walks the bytes from `cursor` to `stop` one at a time (an escape may reach one byte
  /// past `stop`, never past `end`). Returns the record's last byte if it is among them;
  /// otherwise leaves `cursor` at `stop` or later, or on a backslash whose escaped byte is
  /// not read yet (the last byte before `end`).
  @inline(__always)
  private static func walkBytes(
    _ cursor: inout UnsafePointer<UInt8>, _ stop: UnsafePointer<UInt8>,
    _ end: UnsafePointer<UInt8>, _ depth: inout Int, _ inString: inout Bool
  ) -> UnsafePointer<UInt8>? {
    while cursor < stop {
      let byte = cursor.pointee
      if inString {
        if byte == 0x22 {
          inString = false
        } else if byte == 0x5C {
          guard end - cursor >= 2 else { return nil }
          cursor += 1
        }
      } else if byte == 0x22 {
        inString = true
      } else if byte == 0x7B || byte == 0x5B {
        depth += 1
      } else if byte == 0x7D || byte == 0x5D {
        depth -= 1
        if depth == 0 { return cursor }
      }
      cursor += 1
    }
    return nil
  }
}
