/// Numbers as NimbusImage's server writes them into CSV cells (FORMAT.md §4.3), which is how
/// Python prints them: a whole float loses its `.0` and prints as its exact integer
/// (`2170.0` → `2170`, `1e21` → `1000000000000000000000`); any other float prints as
/// Python's `repr`/`str` does (shortest round-trip digits, exponent form below 1e-4 and from
/// 1e16 on, written `1e-07`, `1.5e+16`; `nan`, `inf`, `-inf`).
///
/// annostore holds every number as a double (RFC 8785), so it has no int/float distinction;
/// a Python int prints exactly like the whole float of the same value, so none is needed.
public enum PythonFloat {
  /// Appends `value` as a NimbusImage CSV cell writes it.
  public static func appendCell(_ value: Double, into output: inout [UInt8]) {
    if value.isFinite, value == value.rounded(.towardZero) {
      WholeNumber.append(value, into: &output)
    } else {
      appendRepr(value, into: &output)
    }
  }

  /// Appends the number a JSON literal stands for (`value`, already converted) as a
  /// NimbusImage CSV cell writes it, taking the digits from the literal when it has at
  /// most 15 significant digits (see `ShortestDigits.of(literal:)`) instead of computing
  /// them: the second pass of a large export prints a few million such numbers.
  public static func appendCell(
    _ value: Double, literal: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]
  ) {
    if value.isFinite, value != value.rounded(.towardZero),
      let (digits, point) = ShortestDigits.of(literal: literal)
    {
      if value.sign == .minus { output.append(UInt8(ascii: "-")) }
      appendPythonLayout(digits: digits, point: point, into: &output)
    } else {
      appendCell(value, into: &output)
    }
  }

  /// A number as a NimbusImage CSV cell writes it.
  public static func cell(_ value: Double) -> String {
    var bytes: [UInt8] = []
    appendCell(value, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Python's `repr(value)` for a float.
  public static func repr(_ value: Double) -> String {
    var bytes: [UInt8] = []
    appendRepr(value, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends Python's `repr(value)` for a float.
  public static func appendRepr(_ value: Double, into output: inout [UInt8]) {
    if value.isNaN {
      output.append(contentsOf: "nan".utf8)
      return
    }
    if value.sign == .minus { output.append(UInt8(ascii: "-")) }
    let magnitude = value.magnitude
    if magnitude.isInfinite {
      output.append(contentsOf: "inf".utf8)
      return
    }
    if magnitude == 0 {
      output.append(contentsOf: "0.0".utf8)
      return
    }
    let (digits, point) = ShortestDigits.of(magnitude)
    appendPythonLayout(digits: digits, point: point, into: &output)
  }

  /// Lays out significant digits `0.d1d2… × 10^point` as Python's float repr does
  /// (`format_float_short` with mode 'r' and a forced `.0`): fixed notation when
  /// `-4 < point <= 16`, else `d.ddde±XX` with at least two exponent digits.
  static func appendPythonLayout(digits: [UInt8], point: Int, into output: inout [UInt8]) {
    let zero = UInt8(ascii: "0")
    if point <= -4 || point > 16 {
      output.append(digits[0])
      if digits.count > 1 {
        output.append(UInt8(ascii: "."))
        output.append(contentsOf: digits[1...])
      }
      let exponent = point - 1
      output.append(UInt8(ascii: "e"))
      output.append(UInt8(ascii: exponent < 0 ? "-" : "+"))
      let text = String(exponent.magnitude)
      if text.utf8.count < 2 { output.append(zero) }
      output.append(contentsOf: text.utf8)
    } else if point <= 0 {
      output.append(zero)
      output.append(UInt8(ascii: "."))
      output.append(contentsOf: repeatElement(zero, count: -point))
      output.append(contentsOf: digits)
    } else if point >= digits.count {
      output.append(contentsOf: digits)
      output.append(contentsOf: repeatElement(zero, count: point - digits.count))
      output.append(contentsOf: ".0".utf8)
    } else {
      output.append(contentsOf: digits[..<point])
      output.append(UInt8(ascii: "."))
      output.append(contentsOf: digits[point...])
    }
  }
}
