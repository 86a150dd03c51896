/// The shortest decimal digits that read back as the same double, with the closest one
/// chosen among equally short candidates: what Python's `repr` (David Gay's dtoa, mode 0)
/// and Swift's `description` both produce. Swift computes them; this only takes its text
/// apart, so the layout can follow Python's rules instead of Swift's.
enum ShortestDigits {
  /// For a finite positive `value`: digits `d1d2…dn` (ASCII, no leading or trailing zeros)
  /// and the decimal point position `point`, with `value = 0.d1d2…dn × 10^point`.
  static func of(_ value: Double) -> (digits: [UInt8], point: Int) {
    var digits: [UInt8] = []
    digits.reserveCapacity(17)
    var integerDigits = 0
    var seenPoint = false
    var exponent = 0
    var exponentSign = 1
    var inExponent = false
    for byte in value.description.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        if inExponent {
          exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
        } else {
          digits.append(byte)
          if !seenPoint { integerDigits += 1 }
        }
      case UInt8(ascii: "."): seenPoint = true
      case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
      case UInt8(ascii: "-"): if inExponent { exponentSign = -1 }
      default: continue
      }
    }
    var point = integerDigits + exponentSign * exponent
    var leading = 0
    while leading < digits.count - 1, digits[leading] == UInt8(ascii: "0") { leading += 1 }
    point -= leading
    var end = digits.count
    while end > leading + 1, digits[end - 1] == UInt8(ascii: "0") { end -= 1 }
    return (Array(digits[leading..<end]), point)
  }

  /// The digits and point (as `of` gives them) of the double nearest to the JSON number
  /// `literal`, read off the literal when it has at most 15 significant digits: a decimal
  /// of 15 or fewer significant digits is always the shortest text of its nearest double
  /// (two such decimals lie further apart than any double's rounding interval is wide),
  /// so its digits are those `of` would compute. Nil for longer literals and for zero.
  static func of(literal: UnsafeBufferPointer<UInt8>) -> (digits: [UInt8], point: Int)? {
    guard var decimal = DecimalLiteral(literal), decimal.digitCount <= 19, decimal.mantissa > 0
    else { return nil }
    while decimal.mantissa % 10 == 0 {
      decimal.mantissa /= 10
      decimal.exponent += 1
      decimal.digitCount -= 1
    }
    guard decimal.digitCount <= 15 else { return nil }
    let digits = Array(String(decimal.mantissa).utf8)
    return (digits, digits.count + decimal.exponent)
  }
}
