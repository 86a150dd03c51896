/// Exact decimal digits of a whole double, as Python's `str(int(value))` prints them: every
/// digit of the integer the double holds, however large (`1e21` → `1000000000000000000000`,
/// `1e300` → all 301 digits), and `0` for `-0.0`.
enum WholeNumber {
  /// Appends the integer `value` holds; `value` must be finite and whole.
  static func append(_ value: Double, into output: inout [UInt8]) {
    let magnitude = value.magnitude
    if magnitude < 9.2e18 {
      let integer = Int64(value)
      if integer < 0 { output.append(UInt8(ascii: "-")) }
      appendDecimal(integer.magnitude, into: &output)
      return
    }
    if value < 0 { output.append(UInt8(ascii: "-")) }
    appendLarge(magnitude, into: &output)
  }

  /// Appends the decimal digits of an unsigned integer.
  static func appendDecimal(_ number: UInt64, into output: inout [UInt8]) {
    if number == 0 {
      output.append(UInt8(ascii: "0"))
      return
    }
    var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &scratch) { buffer in
      var index = buffer.count
      var rest = number
      while rest > 0 {
        index -= 1
        buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      }
      output.append(contentsOf: buffer[index...])
    }
  }

  /// A whole double of at least 2^63: its 53-bit significand shifted left, computed in
  /// base-10^9 limbs (least significant first) and printed.
  private static func appendLarge(_ magnitude: Double, into output: inout [UInt8]) {
    let significand = magnitude.significandBitPattern | (1 << 52)
    var shift = Int(magnitude.exponent) - 52
    let base: UInt64 = 1_000_000_000
    var limbs: [UInt64] = [
      significand % base, (significand / base) % base, significand / base / base,
    ]
    while shift > 0 {
      let step = min(shift, 29)
      shift -= step
      var carry: UInt64 = 0
      for index in limbs.indices {
        let product = (limbs[index] << UInt64(step)) + carry
        limbs[index] = product % base
        carry = product / base
      }
      while carry > 0 {
        limbs.append(carry % base)
        carry /= base
      }
    }
    while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
    appendDecimal(limbs.last!, into: &output)
    for limb in limbs.dropLast().reversed() {
      let text = String(limb)
      output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 9 - text.utf8.count))
      output.append(contentsOf: text.utf8)
    }
  }
}
