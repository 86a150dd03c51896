/// Formats doubles as ECMAScript's `Number.prototype.toString` does (ECMA-262 §6.1.6.1.20),
/// which RFC 8785 §3.2.2.3 makes the canonical form of a JSON number.
///
/// The digits are the shortest that round-trip (closest to the value when several qualify);
/// the layout is decimal for 1e-7 < |x| < 1e21 and exponential (`1e+21`, `1.5e-7`) outside.
/// Fast paths cover what exports are made of: integers up to 2^53 are printed directly, and
/// values with at most 15 significant digits are found by scaling by powers of ten (any
/// decimal of at most 15 significant digits is the unique shortest representation of its
/// double). Everything else takes the digits of Swift's shortest round-trip `description`.
public enum ECMAScriptNumber {
  /// The ECMAScript text of `value` (which must be finite).
  public static func string(_ value: Double) -> String {
    var output: [UInt8] = []
    append(value, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// Appends the ECMAScript text of `value` (which must be finite; NaN and infinities,
  /// which JSON cannot hold, are written as `null` as ECMAScript's JSON.stringify does).
  public static func append(_ value: Double, into output: inout [UInt8]) {
    guard value.isFinite else {
      output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
      return
    }
    let magnitude = value.magnitude
    if magnitude == value.rounded(.towardZero).magnitude && magnitude <= 9_007_199_254_740_992 {
      appendInteger(UInt64(magnitude), negative: value < 0, into: &output)
      return
    }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
      let base = digits.baseAddress!
      let (count, pointPosition) =
        fastDigits(magnitude, into: base) ?? slowDigits(magnitude, into: base)
      layout(
        negative: value < 0, digits: UnsafeBufferPointer(start: base, count: count),
        pointPosition: pointPosition, into: &output)
    }
  }

  /// Writes the digits of an integer (no sign for zero, so -0 prints as "0").
  @inline(__always)
  static func appendInteger(_ integer: UInt64, negative: Bool, into output: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
      let base = buffer.baseAddress!
      var cursor = 24
      var remaining = integer
      repeat {
        cursor -= 1
        base[cursor] = UInt8(truncatingIfNeeded: remaining % 10) &+ 0x30
        remaining /= 10
      } while remaining != 0
      if negative && integer != 0 {
        cursor -= 1
        base[cursor] = 0x2D
      }
      output.append(contentsOf: UnsafeBufferPointer(start: base + cursor, count: 24 - cursor))
    }
  }

  /// Shortest digits of a positive non-integer with at most 15 significant digits, or nil.
  /// Returns the digit count and ECMAScript's `n` (value = 0.digits × 10^n).
  @inline(__always)
  static func fastDigits(_ magnitude: Double, into digits: UnsafeMutablePointer<UInt8>) -> (
    Int, Int
  )? {
    guard magnitude >= 1e-7 && magnitude < 1e15 else { return nil }
    for decimals in 1...22 {
      let scaled = magnitude * ParserCore.exactPowerOfTen(decimals)
      if scaled >= 1e15 { return nil }
      let candidate = scaled.rounded()
      // candidate < 2^53 and 10^decimals exact: the quotient is correctly rounded, so it is
      // the double nearest to the decimal candidate × 10^-decimals.
      guard candidate / ParserCore.exactPowerOfTen(decimals) == magnitude else { continue }
      var integer = UInt64(candidate)
      var trailingZeros = 0
      while integer % 10 == 0 {
        integer /= 10
        trailingZeros += 1
      }
      let count = writeDigits(integer, into: digits)
      return (count, count + trailingZeros - decimals)
    }
    return nil
  }

  /// Writes the decimal digits of `integer` (> 0) at `digits`; returns how many.
  @inline(__always)
  static func writeDigits(_ integer: UInt64, into digits: UnsafeMutablePointer<UInt8>) -> Int {
    var count = 0
    var remaining = integer
    while remaining != 0 {
      remaining /= 10
      count += 1
    }
    remaining = integer
    var index = count
    while remaining != 0 {
      index -= 1
      digits[index] = UInt8(truncatingIfNeeded: remaining % 10) &+ 0x30
      remaining /= 10
    }
    return count
  }

  /// Shortest round-trip digits of a positive finite value, from Swift's `description`
  /// (e.g. "1.7976931348623157e+308", "0.30000000000000004", "5e-324", "100.0").
  static func slowDigits(_ magnitude: Double, into digits: UnsafeMutablePointer<UInt8>) -> (
    Int, Int
  ) {
    var count = 0
    var integerDigits = 0
    var seenPoint = false
    var leadingZeros = 0
    var exponent = 0
    var exponentNegative = false
    var inExponent = false
    for byte in magnitude.description.utf8 {
      switch byte {
      case 0x30...0x39 where inExponent:
        exponent = exponent * 10 + Int(byte - 0x30)
      case 0x30...0x39:
        if count == 0 && byte == 0x30 {
          if seenPoint { leadingZeros += 1 }  // 0.000123: zeros after the point
        } else {
          digits[count] = byte
          count += 1
          if !seenPoint { integerDigits += 1 }
        }
      case 0x2E: seenPoint = true
      case 0x65, 0x45: inExponent = true
      case 0x2D: exponentNegative = true
      default: break
      }
    }
    while count > 1 && digits[count - 1] == 0x30 { count -= 1 }
    let pointPosition =
      (integerDigits > 0 ? integerDigits : -leadingZeros)
      + (exponentNegative ? -exponent : exponent)
    return (count, pointPosition)
  }

  /// ECMA-262 Number::toString steps 6-12 for digits s (k of them) and point position n.
  static func layout(
    negative: Bool, digits: UnsafeBufferPointer<UInt8>, pointPosition n: Int,
    into output: inout [UInt8]
  ) {
    let k = digits.count
    if negative { output.append(0x2D) }
    if k <= n && n <= 21 {
      output.append(contentsOf: digits)
      output.append(contentsOf: repeatElement(0x30, count: n - k))
    } else if 0 < n && n <= 21 {
      output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[0..<n]))
      output.append(0x2E)
      output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[n...]))
    } else if -6 < n && n <= 0 {
      output.append(0x30)
      output.append(0x2E)
      output.append(contentsOf: repeatElement(0x30, count: -n))
      output.append(contentsOf: digits)
    } else {
      output.append(digits[0])
      if k > 1 {
        output.append(0x2E)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[1...]))
      }
      output.append(0x65)
      let exponent = n - 1
      output.append(exponent < 0 ? 0x2D : 0x2B)
      appendInteger(UInt64(exponent.magnitude), negative: false, into: &output)
    }
  }
}
