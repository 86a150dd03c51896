import Testing

@testable import AnnostoreModel

@Suite struct DecimalLiteralTests {
  private func parts(_ text: String) -> (Bool, UInt64, Int, Int)? {
    Array(text.utf8).withUnsafeBufferPointer { buffer in
      DecimalLiteral(buffer).map { ($0.negative, $0.mantissa, $0.digitCount, $0.exponent) }
    }
  }

  @Test func literalsComeApartIntoDigitsAndAPowerOfTen() throws {
    let cases: [(String, Bool, UInt64, Int, Int)] = [
      ("0", false, 0, 0, 0), ("-0", true, 0, 0, 0), ("0.0", false, 0, 0, -1),
      ("123", false, 123, 3, 0), ("-1.5e3", true, 15, 2, 2), ("1E-7", false, 1, 1, -7),
      ("0.000123", false, 123, 3, -6), ("2170.50", false, 217_050, 6, -2),
      ("1e+5", false, 1, 1, 5),
      ("12345678901234567890123", false, 1_234_567_890_123_456_789, 23, 4),
      ("0.12345678901234567890123", false, 1_234_567_890_123_456_789, 23, -19),
    ]
    for (text, negative, mantissa, digits, exponent) in cases {
      let found = try #require(parts(text), "\(text)")
      #expect(found.0 == negative && found.1 == mantissa, "\(text)")
      #expect(found.2 == digits && found.3 == exponent, "\(text)")
    }
  }

  @Test func whatIsNotOneWholeNumberIsRefused() {
    for text in ["", "-", "1e", "1e+", "1x", "1.5.2", "e5", "1e1234567"] {
      #expect(parts(text) == nil, "\(text)")
    }
  }
}
