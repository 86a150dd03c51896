/// Formats doubles as ECMAScript's `Number.prototype.toString` does (ECMA-262 §6.1.6.1.20),
/// which RFC 8785 §3.2.2.3 makes the canonical form of a JSON number.
///
/// The digits are the shortest that round-trip (the closest to the value when several
/// qualify); the layout is decimal for 1e-7 <= |x| < 1e21 and exponential (`1e+21`,
/// `1.5e-7`) outside. Three paths produce the digits:
/// - integers up to 2^53 are printed as they are;
/// - values in [0.001, 1e15) (the coordinates and measurements exports are made of) are
///   rounded exactly to 15, then 16, then 17 significant digits with 128-bit integer
///   arithmetic, and the first rounding that converts back to the same double wins;
/// - everything else takes the shortest round-trip digits of Swift's `description`.
public enum ECMAScriptNumber {
  /// The most bytes `write` produces ("-0.0000033333333333333333" is 25).
  static let maximumLength = 32

  /// The ECMAScript text of `value` (NaN and infinities, which JSON cannot hold, give
  /// `null`, as ECMAScript's `JSON.stringify` writes them).
  public static func string(_ value: Double) -> String {
    var output: [UInt8] = []
    append(value, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// Appends the ECMAScript text of `value` (see `string(_:)`).
  public static func append(_ value: Double, into output: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumLength) { buffer in
      let count = write(value, to: buffer.baseAddress!)
      output.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: count))
    }
  }

  /// A decimal `digits × 10^(point - count)`: `count` significant digits without trailing
  /// zeros, the first of them `point` places left of the decimal point (ECMAScript's k, n).
  struct Decimal: Equatable {
    var digits: UInt64
    var count: Int
    var point: Int
  }

  /// Writes the text of `value` at `output` (room for `maximumLength` bytes); returns the
  /// number of bytes written.
  @inline(__always)
  static func write(_ value: Double, to output: UnsafeMutablePointer<UInt8>) -> Int {
    guard value.isFinite else {
      output.initialize(from: [0x6E, 0x75, 0x6C, 0x6C], count: 4)
      return 4
    }
    let magnitude = value.magnitude
    var cursor = output
    if value < 0 {
      cursor.pointee = 0x2D
      cursor += 1
    }
    if magnitude.rounded(.towardZero) == magnitude && magnitude <= 9_007_199_254_740_992 {
      let integer = UInt64(magnitude)
      if integer == 0 { return writeZero(output) }
      let count = digitCount(integer)
      writeDigits(integer, count: count, to: cursor)
      return cursor + count - output
    }
    let decimal = shortestDecimal(magnitude)
    return cursor + layout(decimal, to: cursor) - output
  }

  /// "0" (also for -0).
  private static func writeZero(_ output: UnsafeMutablePointer<UInt8>) -> Int {
    output.pointee = 0x30
    return 1
  }

  /// The shortest round-trip decimal of a positive finite non-integer (or large) value.
  static func shortestDecimal(_ magnitude: Double) -> Decimal {
    exactDecimal(magnitude) ?? descriptionDecimal(magnitude)
  }

  // MARK: Exact path

  /// Powers of ten that fit in 64 bits.
  @inline(__always)
  static func powerOfTen(_ exponent: Int) -> UInt64 {
    powersOfTen.withUnsafeBufferPointer { $0[exponent] }
  }

  /// 5^exponent for 0 <= exponent <= 12.
  @inline(__always)
  static func powerOfFive(_ exponent: Int) -> UInt64 {
    powersOfFive.withUnsafeBufferPointer { $0[exponent] }
  }

  static let powersOfFive: [UInt64] = [
    1, 5, 25, 125, 625, 3125, 15625, 78125, 390_625, 1_953_125, 9_765_625, 48_828_125,
    244_140_625,
  ]

  static let powersOfTen: [UInt64] = [
    1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
    10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000,
    100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
    100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
  ]

  /// Decimal digits of `value` (1 for 0).
  @inline(__always)
  static func digitCount(_ value: UInt64) -> Int {
    // bits × log10(2) estimates the count within one; the table settles it.
    let bits = 64 - (value | 1).leadingZeroBitCount
    let estimate = (bits &* 1233) >> 12
    return estimate &+ (estimate < 20 && value >= powerOfTen(estimate) ? 1 : 0)
  }

  /// `value` without its trailing zero digits, and how many were removed (value > 0).
  @inline(__always)
  static func strippingTrailingZeros(_ value: UInt64) -> (UInt64, Int) {
    var digits = value
    var removed = 0
    if digits % 100_000_000 == 0 {
      digits /= 100_000_000
      removed += 8
    }
    if digits % 10_000 == 0 {
      digits /= 10_000
      removed += 4
    }
    if digits % 100 == 0 {
      digits /= 100
      removed += 2
    }
    if digits % 10 == 0 {
      digits /= 10
      removed += 1
    }
    if digits % 10 == 0 {  // 16 zeros: only values this path never sees
      while digits % 10 == 0 {
        digits /= 10
        removed += 1
      }
    }
    return (digits, removed)
  }

  /// Shortest digits for 0.001 <= value < 1e15 (not an integer, not a power of two), or nil.
  ///
  /// With value = m × 2^-s exactly, the decimal rounding to k significant digits is
  /// R = round(m × 10^p / 2^s), p = k - 1 - e10: a 64×64-bit product and a shift. R × 10^-p
  /// reads back as value exactly when |R × 2^s - m × 10^p| < 10^p / 2 (ties to even m).
  /// The interval around value is symmetric (not a power of two), so the nearest k-digit
  /// decimal reads back whenever any k-digit decimal does: trying k = 15, 16, 17 in turn
  /// gives ECMAScript's shortest-then-closest digits (between two equally close, the even).
  static func exactDecimal(_ value: Double) -> Decimal? {
    guard value >= 0.001 && value < 1e15 else { return nil }
    let bits = value.bitPattern
    let fraction = bits & 0x000F_FFFF_FFFF_FFFF
    guard fraction != 0 else { return nil }
    let mantissa = fraction | (1 << 52)
    let shift = 1075 - Int(bits >> 52)  // value = mantissa × 2^-shift
    guard shift >= 1 && shift <= 63 else { return nil }

    // Few fraction bits (655.5, 0.25, 1234.125): value = odd × 2^-j = odd × 5^j × 10^-j
    // exactly, and a decimal of at most 15 digits is the shortest that reads back.
    let trailingZeros = mantissa.trailingZeroBitCount
    let decimals = shift - trailingZeros
    if decimals >= 1 && decimals <= 12 {  // odd × 5^j ends in 5: no trailing zeros
      let (digits, overflow) = (mantissa >> UInt64(trailingZeros)).multipliedReportingOverflow(
        by: powerOfFive(decimals))
      if !overflow && digits < 1_000_000_000_000_000 {
        let count = digitCount(digits)
        return Decimal(digits: digits, count: count, point: count - decimals)
      }
    }

    // e10 = floor(log10(value)), exactly.
    let e10: Int
    if value >= 1 {
      e10 = digitCount(UInt64(value)) - 1
    } else {
      let (high, low) = mantissa.multipliedFullWidth(by: 1000)
      let thousandths = (high << UInt64(64 - shift)) | (low >> UInt64(shift))
      guard thousandths > 0 else { return nil }
      e10 = digitCount(thousandths) - 4
    }

    for significant in 15...17 {
      let power = significant - 1 - e10
      guard power >= 0 && power <= 19 else { return nil }
      let tenPower = powerOfTen(power)
      let (high, low) = mantissa.multipliedFullWidth(by: tenPower)
      let quotient = (high << UInt64(64 - shift)) | (low >> UInt64(shift))
      let remainder = low & ((1 << UInt64(shift)) - 1)
      let half: UInt64 = 1 << UInt64(shift - 1)
      if remainder == half && significant == 15 {
        continue  // halfway between two 15-digit decimals: neither reads back
      }
      // Nearest; exactly halfway, the even one (ECMA-262: "choose the one that is even").
      let rounded =
        remainder > half || (remainder == half && quotient & 1 == 1) ? quotient + 1 : quotient
      guard
        readsBack(
          rounded, shift: shift, power: tenPower, productHigh: high, productLow: low,
          mantissaIsEven: mantissa & 1 == 0)
      else {
        if significant == 17 { return nil }
        continue
      }
      let total = digitCount(rounded)
      let (digits, removed) = strippingTrailingZeros(rounded)
      return Decimal(digits: digits, count: total - removed, point: total - power)
    }
    return nil
  }

  /// True when `rounded × 10^-p` converts back to m × 2^-shift, given m × 10^p as
  /// (productHigh, productLow) and `power` = 10^p.
  @inline(__always)
  static func readsBack(
    _ rounded: UInt64, shift: Int, power: UInt64, productHigh: UInt64, productLow: UInt64,
    mantissaIsEven: Bool
  ) -> Bool {
    let scaledHigh = rounded >> UInt64(64 - shift)
    let scaledLow = rounded << UInt64(shift)
    var differenceHigh: UInt64
    let differenceLow: UInt64
    if (scaledHigh, scaledLow) >= (productHigh, productLow) {
      differenceLow = scaledLow &- productLow
      differenceHigh = scaledHigh &- productHigh
      if scaledLow < productLow { differenceHigh &-= 1 }
    } else {
      differenceLow = productLow &- scaledLow
      differenceHigh = productHigh &- scaledHigh
      if productLow < scaledLow { differenceHigh &-= 1 }
    }
    guard differenceHigh == 0 && differenceLow <= UInt64.max / 2 else { return false }
    let twice = differenceLow * 2
    return twice < power || (twice == power && mantissaIsEven)
  }

  // MARK: Slow path

  /// Shortest round-trip digits from Swift's `description` of a positive finite value
  /// ("1.7976931348623157e+308", "0.30000000000000004", "5e-324", "1e-07", "100.0").
  static func descriptionDecimal(_ value: Double) -> Decimal {
    var digits: UInt64 = 0
    var count = 0
    var integerDigits = 0
    var seenPoint = false
    var leadingZeros = 0
    var exponent = 0
    var exponentNegative = false
    var inExponent = false
    for byte in value.description.utf8 {
      switch byte {
      case 0x30...0x39 where inExponent:
        exponent = exponent * 10 + Int(byte - 0x30)
      case 0x30...0x39:
        if count == 0 && byte == 0x30 {
          if seenPoint { leadingZeros += 1 }  // 0.000123: zeros after the point
        } else {
          digits = digits * 10 + UInt64(byte - 0x30)
          count += 1
          if !seenPoint { integerDigits += 1 }
        }
      case 0x2E: seenPoint = true
      case 0x65, 0x45: inExponent = true
      case 0x2D: exponentNegative = true
      default: break
      }
    }
    while count > 1 && digits % 10 == 0 {
      digits /= 10
      count -= 1
    }
    let point =
      (integerDigits > 0 ? integerDigits : -leadingZeros)
      + (exponentNegative ? -exponent : exponent)
    return Decimal(digits: digits, count: count, point: point)
  }

  // MARK: Layout

  /// "00" "01" ... "99".
  static let digitPairs: StaticString = """
    00010203040506070809101112131415161718192021222324252627282930313233343536373839\
    40414243444546474849505152535455565758596061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899
    """

  /// Writes the `count` digits of `value` at `output` (the last one at `output + count - 1`).
  @inline(__always)
  static func writeDigits(_ value: UInt64, count: Int, to output: UnsafeMutablePointer<UInt8>) {
    let pairs = UnsafeRawPointer(digitPairs.utf8Start)
    var remaining = value
    var index = count
    while index >= 2 {
      let pair = Int(truncatingIfNeeded: remaining % 100)
      remaining /= 100
      index -= 2
      UnsafeMutableRawPointer(output + index).copyMemory(from: pairs + pair * 2, byteCount: 2)
    }
    if index == 1 { output[0] = UInt8(truncatingIfNeeded: remaining) &+ 0x30 }
  }

  /// ECMA-262 Number::toString steps 6-12 for a positive decimal; returns bytes written.
  static func layout(_ decimal: Decimal, to output: UnsafeMutablePointer<UInt8>) -> Int {
    let k = decimal.count
    let n = decimal.point
    if k <= n && n <= 21 {
      writeDigits(decimal.digits, count: k, to: output)
      (output + k).initialize(repeating: 0x30, count: n - k)
      return n
    }
    if 0 < n && n <= 21 {
      writeDigits(decimal.digits, count: k, to: output + 1)
      output.update(from: output + 1, count: n)
      output[n] = 0x2E
      return k + 1
    }
    if -6 < n && n <= 0 {
      output[0] = 0x30
      output[1] = 0x2E
      (output + 2).initialize(repeating: 0x30, count: -n)
      writeDigits(decimal.digits, count: k, to: output + 2 - n)
      return 2 - n + k
    }
    var length: Int
    if k == 1 {
      output[0] = UInt8(truncatingIfNeeded: decimal.digits) &+ 0x30
      length = 1
    } else {
      writeDigits(decimal.digits, count: k, to: output + 1)
      output[0] = output[1]
      output[1] = 0x2E
      length = k + 1
    }
    output[length] = 0x65
    let exponent = n - 1
    output[length + 1] = exponent < 0 ? 0x2D : 0x2B
    let magnitude = UInt64(exponent.magnitude)
    let exponentDigits = digitCount(magnitude)
    writeDigits(magnitude, count: exponentDigits, to: output + length + 2)
    return length + 2 + exponentDigits
  }
}
