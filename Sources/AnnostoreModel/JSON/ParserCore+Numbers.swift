#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension ParserCore {
  /// 2^53: the largest magnitude up to which every integer is a double.
  static let exactIntegerLimit: UInt64 = 1 << 53

  /// Parses the number at `pos` into the correctly rounded double.
  ///
  /// Refuses what RFC 8259 refuses (leading zeros, `+`, `.5`, `5.`) and what a double cannot
  /// hold as written: integer literals beyond ±2^53 and literals that overflow to infinity.
  /// Literals of up to 19 digits are accumulated exactly; when the digits fit in 53 bits and
  /// the power of ten is at most 22 the result is one exact multiplication or division
  /// (Clinger's fast path), otherwise Eisel-Lemire decides, and in the rare cases it cannot
  /// (or the literal is subnormal or out of range) `strtod` converts the literal.
  mutating func parseNumber() throws(ParseFailure) -> Double {
    let start = pos
    var cursor = pos
    let negative = cursor.pointee == 0x2D
    if negative {
      cursor += 1
      guard cursor < end else { throw endOfInput() }
    }
    let integerStart = cursor
    let first = cursor.pointee
    guard Self.isDigit(first) else {
      throw failure(
        "invalid number: expected a digit after '-' but found \(Self.describe(first))",
        at: cursor)
    }
    var mantissa: UInt64 = 0
    repeat {
      mantissa = mantissa &* 10 &+ UInt64(cursor.pointee &- 0x30)
      cursor += 1
    } while cursor < end && Self.isDigit(cursor.pointee)
    if first == 0x30 && cursor - integerStart > 1 {
      throw failure("invalid number: leading zeros are not allowed", at: start)
    }
    var digitCount = cursor - integerStart
    var exponent = 0
    var isInteger = true

    if cursor < end && cursor.pointee == 0x2E {  // .
      isInteger = false
      cursor += 1
      let fractionStart = cursor
      while cursor < end && Self.isDigit(cursor.pointee) {
        mantissa = mantissa &* 10 &+ UInt64(cursor.pointee &- 0x30)
        cursor += 1
      }
      guard cursor > fractionStart else {
        guard cursor < end else { throw endOfInput() }
        throw failure("invalid number: expected a digit after '.'", at: cursor)
      }
      digitCount += cursor - fractionStart
      exponent = fractionStart - cursor
    }

    if cursor < end && cursor.pointee | 0x20 == 0x65 {  // e E
      isInteger = false
      cursor += 1
      guard cursor < end else { throw endOfInput() }
      var exponentNegative = false
      if cursor.pointee == 0x2B || cursor.pointee == 0x2D {
        exponentNegative = cursor.pointee == 0x2D
        cursor += 1
        guard cursor < end else { throw endOfInput() }
      }
      guard Self.isDigit(cursor.pointee) else {
        throw failure("invalid number: expected a digit in the exponent", at: cursor)
      }
      var value = 0
      repeat {
        if value < 1_000_000 { value = value * 10 + Int(cursor.pointee &- 0x30) }
        cursor += 1
      } while cursor < end && Self.isDigit(cursor.pointee)
      exponent += exponentNegative ? -value : value
    }

    // In a partial buffer the literal may continue in the next chunk.
    if cursor == end && !isFinal { throw ParseFailure.needMore }
    pos = cursor

    if digitCount > 19 {
      // More digits than 64 bits hold: count the significant ones again, carefully.
      return try convertLongLiteral(
        from: start, integerStart: integerStart, exponent: exponent, isInteger: isInteger)
    }
    if isInteger && mantissa > Self.exactIntegerLimit {
      throw failure(
        "number \(literal(from: start)) cannot be held exactly by a double"
          + " (integers are limited to ±2^53)", at: start)
    }
    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    // "669.0", "2170.50": drop zeros after the point so that no division is needed.
    while exponent < 0 && mantissa % 10 == 0 {
      mantissa /= 10
      exponent += 1
    }
    if mantissa <= Self.exactIntegerLimit && exponent >= -22 && exponent <= 22 {
      let magnitude = Double(mantissa)
      let value =
        exponent == 0
        ? magnitude
        : exponent < 0
          ? magnitude / Self.exactPowerOfTen(-exponent)
          : magnitude * Self.exactPowerOfTen(exponent)
      return negative ? -value : value
    }
    if let magnitude = EiselLemire.convert(mantissa, exponent: exponent) {
      return negative ? -magnitude : magnitude
    }
    return try convertWithStrtod(from: start)
  }

  /// A literal of more than 19 digits (its syntax already checked; `exponent` is the
  /// explicit exponent minus the number of fraction digits).
  @inline(never)
  mutating func convertLongLiteral(
    from start: UnsafePointer<UInt8>, integerStart: UnsafePointer<UInt8>, exponent: Int,
    isInteger: Bool
  ) throws(ParseFailure) -> Double {
    var mantissa: UInt64 = 0
    var significant = 0
    var dropped = 0  // significant digits beyond 19
    var truncated = false  // a dropped digit was not zero
    var cursor = integerStart
    while cursor < pos {
      let byte = cursor.pointee
      cursor += 1
      if byte == 0x2E { continue }
      guard Self.isDigit(byte) else { break }
      let digit = UInt64(byte &- 0x30)
      if significant == 0 && digit == 0 { continue }  // leading zeros
      if significant < 19 {
        mantissa = mantissa &* 10 &+ digit
        significant += 1
      } else {
        dropped += 1
        if digit != 0 { truncated = true }
      }
    }
    if isInteger && (dropped > 0 || mantissa > Self.exactIntegerLimit) {
      throw failure(
        "number \(literal(from: start)) cannot be held exactly by a double"
          + " (integers are limited to ±2^53)", at: start)
    }
    let negative = start.pointee == 0x2D
    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    let scale = exponent + dropped
    if !truncated, let magnitude = EiselLemire.convert(mantissa, exponent: scale) {
      return negative ? -magnitude : magnitude
    }
    if truncated, let magnitude = EiselLemire.convert(mantissa, exponent: scale),
      magnitude == EiselLemire.convert(mantissa + 1, exponent: scale)
    {
      // The dropped digits lie between mantissa and mantissa + 1: both round alike.
      return negative ? -magnitude : magnitude
    }
    return try convertWithStrtod(from: start)
  }

  /// The literal from `start` to `pos` converted by the C library; refuses infinities.
  @inline(never)
  func convertWithStrtod(from start: UnsafePointer<UInt8>) throws(ParseFailure) -> Double {
    let value = Self.convertWithStrtod(start, count: pos - start)
    if value.isInfinite {
      throw failure("number \(literal(from: start)) is out of range", at: start)
    }
    return value
  }

  @inline(__always)
  static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

  /// 10^e for 0 <= e <= 22 (all exact doubles).
  @inline(__always)
  static func exactPowerOfTen(_ exponent: Int) -> Double {
    powersOfTen[exponent]
  }

  static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  ]

  /// The literal from `start` to `pos`, shortened for a message.
  func literal(from start: UnsafePointer<UInt8>) -> String {
    let count = pos - start
    let text = String(
      decoding: UnsafeBufferPointer(start: start, count: min(count, 60)), as: UTF8.self)
    return count > 60 ? text + "..." : text
  }

  /// Correctly rounded conversion of a validated JSON number literal by the C library.
  static func convertWithStrtod(_ start: UnsafePointer<UInt8>, count: Int) -> Double {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
      let text = buffer.baseAddress!
      UnsafeMutableRawPointer(text).copyMemory(from: start, byteCount: count)
      text[count] = 0
      return strtod(text, nil)
    }
  }
}
