/// A JSON number literal taken apart without converting it: its significant digits as an
/// integer and the power of ten that scales them. Both the CSV writer's number cells (the
/// double a literal stands for, and the literal's own digits when they are the double's
/// shortest ones) read literals through this one scan.
struct DecimalLiteral {
  var negative: Bool
  /// The first 19 significant digits as an integer (leading zeros are not significant;
  /// trailing ones are).
  var mantissa: UInt64
  /// How many significant digits the literal has (more than 19 when `mantissa` holds only
  /// the first 19).
  var digitCount: Int
  /// The power of ten: the literal's value is `mantissa × 10^exponent` when `digitCount`
  /// is at most 19.
  var exponent: Int

  /// Takes apart `literal`, nil unless it is one whole JSON number (an exponent beyond
  /// six digits counts as not one).
  init?(_ literal: UnsafeBufferPointer<UInt8>) {
    func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    var index = 0
    negative = literal.first == UInt8(ascii: "-")
    if negative { index += 1 }
    mantissa = 0
    digitCount = 0
    exponent = 0
    var seenPoint = false
    var sawDigit = false
    while index < literal.count {
      let byte = literal[index]
      if isDigit(byte) {
        sawDigit = true
        if digitCount > 0 || byte != 0x30 {
          if digitCount < 19 {
            mantissa = mantissa &* 10 &+ UInt64(byte - 0x30)
            if seenPoint { exponent -= 1 }
          } else if !seenPoint {
            exponent += 1
          }
          digitCount += 1
        } else if seenPoint {
          exponent -= 1
        }
      } else if byte == UInt8(ascii: ".") && !seenPoint {
        seenPoint = true
      } else {
        break
      }
      index += 1
    }
    guard sawDigit else { return nil }
    if index < literal.count, literal[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      var negativeExponent = false
      if index < literal.count,
        literal[index] == UInt8(ascii: "-") || literal[index] == UInt8(ascii: "+")
      {
        negativeExponent = literal[index] == UInt8(ascii: "-")
        index += 1
      }
      let start = index
      var written = 0
      while index < literal.count, isDigit(literal[index]), index - start < 6 {
        written = written * 10 + Int(literal[index] - 0x30)
        index += 1
      }
      guard index > start else { return nil }
      exponent += negativeExponent ? -written : written
    }
    guard index == literal.count else { return nil }
  }
}
