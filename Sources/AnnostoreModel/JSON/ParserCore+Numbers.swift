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
  /// Literals of up to 19 significant digits are accumulated exactly; when the digits fit in
  /// 53 bits and the power of ten is at most 22 the result is one exact multiplication or
  /// division (Clinger's fast path), otherwise Eisel-Lemire decides, and in the rare cases
  /// it cannot (or the literal is subnormal or out of range) `strtod` converts the literal.
  mutating func parseNumber() throws(ParseFailure) -> Double {
    let start = pos
    var cursor = pos
    let negative = cursor.pointee == 0x2D
    if negative {
      cursor += 1
      guard cursor < end else { throw endOfInput() }
    }
    var mantissa: UInt64 = 0
    var digitCount = 0
    var exponent = 0
    var truncated = false
    var isInteger = true

    let first = cursor.pointee
    if first == 0x30 {
      cursor += 1
      if cursor < end && Self.isDigit(cursor.pointee) {
        throw failure("invalid number: leading zeros are not allowed", at: start)
      }
    } else if Self.isDigit(first) {
      repeat {
        let digit = UInt64(cursor.pointee &- 0x30)
        if digitCount < 19 {
          mantissa = mantissa &* 10 &+ digit
          digitCount += 1
        } else {
          exponent += 1
          if digit != 0 { truncated = true }
        }
        cursor += 1
      } while cursor < end && Self.isDigit(cursor.pointee)
    } else {
      throw failure(
        "invalid number: expected a digit after '-' but found \(Self.describe(first))",
        at: cursor)
    }

    if cursor < end && cursor.pointee == 0x2E {  // .
      isInteger = false
      cursor += 1
      guard cursor < end else { throw endOfInput() }
      guard Self.isDigit(cursor.pointee) else {
        throw failure("invalid number: expected a digit after '.'", at: cursor)
      }
      repeat {
        let digit = UInt64(cursor.pointee &- 0x30)
        if digitCount < 19 {
          if mantissa != 0 || digit != 0 {
            mantissa = mantissa &* 10 &+ digit
            digitCount += 1
          }
          exponent -= 1
        } else if digit != 0 {
          truncated = true
        }
        cursor += 1
      } while cursor < end && Self.isDigit(cursor.pointee)
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

    if isInteger && (exponent > 0 || mantissa > Self.exactIntegerLimit) {
      throw failure(
        "number \(literal(from: start)) cannot be held exactly by a double"
          + " (integers are limited to ±2^53)", at: start)
    }
    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    if !truncated {
      if mantissa <= Self.exactIntegerLimit && exponent >= -22 && exponent <= 22 {
        let magnitude = Double(mantissa)
        let power = Self.exactPowerOfTen(exponent < 0 ? -exponent : exponent)
        let value = exponent < 0 ? magnitude / power : magnitude * power
        return negative ? -value : value
      }
      if let magnitude = EiselLemire.convert(mantissa, exponent: exponent) {
        return negative ? -magnitude : magnitude
      }
    } else if let magnitude = EiselLemire.convert(mantissa, exponent: exponent),
      magnitude == EiselLemire.convert(mantissa + 1, exponent: exponent)
    {
      // The dropped digits lie between mantissa and mantissa + 1: both round alike.
      return negative ? -magnitude : magnitude
    }
    let value = Self.convertWithStrtod(start, count: cursor - start)
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
