/// Correctly rounded decimal-to-double conversion of `mantissa × 10^exponent` for mantissas
/// of up to 19 digits (Eisel and Lemire, "Number Parsing at a Gigabyte per Second", 2021;
/// this follows Go's `strconv.eiselLemire64`).
///
/// One or two 64×64-bit multiplications by a table of 128-bit powers of ten give the double
/// unless the product lies too close to a rounding boundary, in which case the function
/// returns nil and the caller falls back to `strtod`. Exports are full of 16-17 digit
/// coordinates (`1234.5678901234567`) that Clinger's fast path cannot take.
enum EiselLemire {
  /// The double nearest to `mantissa × 10^exponent`, or nil when undecided, subnormal or
  /// out of range. `mantissa` must not be zero.
  @inline(__always)
  static func convert(_ mantissa: UInt64, exponent: Int) -> Double? {
    guard exponent >= minimumExponent && exponent <= maximumExponent && mantissa != 0 else {
      return nil
    }
    // Normalization.
    let leadingZeros = mantissa.leadingZeroBitCount
    let normalized = mantissa << UInt64(leadingZeros)
    var binaryExponent = UInt64(
      bitPattern: Int64(((217_706 &* exponent) >> 16) &+ 64 &+ 1023 &- leadingZeros))

    // Multiplication.
    let index = (exponent - minimumExponent) &* 2
    let (productHigh, productLow) = powersOfTen.withUnsafeBufferPointer { table in
      (table[index], table[index &+ 1])
    }
    var (high, low) = normalized.multipliedFullWidth(by: productHigh)

    // Wider approximation when the first product cannot decide.
    if high & 0x1FF == 0x1FF && low &+ normalized < normalized {
      let (extraHigh, extraLow) = normalized.multipliedFullWidth(by: productLow)
      var mergedHigh = high
      let mergedLow = low &+ extraHigh
      if mergedLow < low { mergedHigh &+= 1 }
      if mergedHigh & 0x1FF == 0x1FF && mergedLow &+ 1 == 0 && extraLow &+ normalized < normalized {
        return nil
      }
      high = mergedHigh
      low = mergedLow
    }

    // Shift to 54 bits.
    let topBit = high >> 63
    var result = high >> (topBit &+ 9)
    binaryExponent &-= 1 ^ topBit

    // Halfway ambiguity.
    if low == 0 && high & 0x1FF == 0 && result & 3 == 1 { return nil }

    // From 54 to 53 bits.
    result &+= result & 1
    result >>= 1
    if result >> 53 > 0 {
      result >>= 1
      binaryExponent &+= 1
    }
    // Zero (wrapped) means subnormal, 0x7FF and above infinity: leave those to strtod.
    if binaryExponent &- 1 >= 0x7FF - 1 { return nil }
    return Double(bitPattern: binaryExponent << 52 | result & 0x000F_FFFF_FFFF_FFFF)
  }
}
