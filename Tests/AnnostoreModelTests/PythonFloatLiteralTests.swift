import Testing

@testable import AnnostoreModel

/// A number cell printed with the digits of its JSON literal is the cell printed from the
/// double: the literal's digits are used only when they are the double's shortest digits.
@Suite struct PythonFloatLiteralTests {
  static func cells(_ literal: String) -> (fromLiteral: String, fromValue: String) {
    let bytes = Array(literal.utf8)
    let value = bytes.withUnsafeBufferPointer { NumberLiteral.value($0) }
    var fromLiteral: [UInt8] = []
    bytes.withUnsafeBufferPointer {
      PythonFloat.appendCell(value, literal: $0, into: &fromLiteral)
    }
    return (String(decoding: fromLiteral, as: UTF8.self), PythonFloat.cell(value))
  }

  @Test func handPickedLiterals() {
    for literal in [
      "0.1", "-0.00123", "1e-7", "1.5e+300", "1.5E-300", "123456789012345.6", "0.30000000000000004",
      "5e-324", "1.7976931348623157e+308", "100.5", "1.50", "-2.5e-5", "0.0001", "0.00001",
      "1234567890123456.5", "12345678901234.5", "988.91", "-0", "0", "1e21", "1e+16", "0.5e1",
      "123.456e-2", "9007199254740993.5", "2.220446049250313e-16", "1e-5", "-1.25",
    ] {
      let (fromLiteral, fromValue) = Self.cells(literal)
      #expect(fromLiteral == fromValue, "\(literal)")
    }
  }

  @Test func canonicalTextOfRandomDoubles() {
    var random = SeededGenerator(seed: 77)
    for round in 0..<20_000 {
      let value: Double
      switch round % 3 {
      case 0: value = Double(bitPattern: random.next())
      case 1: value = Double(Int.random(in: -10_000_000...10_000_000, using: &random)) / 1000
      default:
        value =
          Double.random(in: 0.5...2, using: &random)
          * Double(sign: .plus, exponent: Int.random(in: -30...60, using: &random), significand: 1)
      }
      guard value.isFinite else { continue }
      let (fromLiteral, fromValue) = Self.cells(ECMAScriptNumber.string(value))
      #expect(fromLiteral == fromValue, "\(value)")
    }
  }

  @Test func literalDigits() {
    func digits(_ literal: String) -> String? {
      Array(literal.utf8).withUnsafeBufferPointer { buffer in
        ShortestDigits.of(literal: buffer).map {
          "\(String(decoding: $0.digits, as: UTF8.self))@\($0.point)"
        }
      }
    }
    #expect(digits("0.00123") == "123@-2")
    #expect(digits("-100.50") == "1005@3")
    #expect(digits("1.5e-7") == "15@-6")
    #expect(digits("0") == nil)
    #expect(digits("1234567890123456") == nil)
    #expect(digits("1e1234567") == nil)
  }
}
