import Foundation
import XCTest

@testable import AnnostoreModel

/// Property-style checks on generated values: parse(canonical(v)) == v (members sorted) and
/// canonical(parse(canonical(v))) == canonical(v).
final class RoundTripTests: XCTestCase {
  struct ValueGenerator {
    var random: SeededGenerator

    /// A double whose canonical text the parser accepts back: not NaN or infinite, and not
    /// an integer between 2^53 and 1e21 (ECMAScript prints those as integer literals, which
    /// the parser refuses as not exactly held).
    mutating func number() -> Double {
      while true {
        let value: Double
        switch Int.random(in: 0..<6, using: &random) {
        case 0: value = Double(bitPattern: random.next())
        case 1: value = Double(Int.random(in: -100_000...100_000, using: &random))
        case 2:
          value =
            Double(Int.random(in: -10_000_000...10_000_000, using: &random))
            / [1, 2, 4, 10, 100, 1000][Int.random(in: 0..<6, using: &random)]
        case 3:
          value = Double.random(in: -1e6...1e6, using: &random)
        case 4:
          value =
            Double(Int.random(in: 1...999_999_999_999_999, using: &random))
            * pow(10, Double(Int.random(in: -30...30, using: &random)))
        default:
          value =
            [
              0, -0.0, 1e21, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
              9_007_199_254_740_992,
            ][
              Int.random(in: 0..<7, using: &random)]
        }
        guard value.isFinite else { continue }
        let magnitude = value.magnitude
        if magnitude > 9_007_199_254_740_992 && magnitude < 1e21 && magnitude == magnitude.rounded()
        {
          continue
        }
        return value
      }
    }

    mutating func string() -> String {
      let length = Int.random(in: 0..<12, using: &random)
      var scalars = String.UnicodeScalarView()
      for _ in 0..<length {
        let pick = Int.random(in: 0..<10, using: &random)
        let value: UInt32
        switch pick {
        case 0: value = UInt32.random(in: 0..<0x20, using: &random)
        case 1:
          value =
            [0x22, 0x5C, 0x2F, 0x7F, 0x2028, 0x2029, 0xFEFF, 0xFFFD][
              Int.random(in: 0..<8, using: &random)]
        case 2: value = UInt32.random(in: 0x80..<0x800, using: &random)
        case 3: value = UInt32.random(in: 0xE000...0xFFFF, using: &random)
        case 4: value = UInt32.random(in: 0x10000...0x10FFFF, using: &random)
        case 5: value = UInt32.random(in: 0x800..<0xD800, using: &random)
        default: value = UInt32.random(in: 0x20..<0x7F, using: &random)
        }
        if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
      }
      return String(scalars)
    }

    mutating func value(depth: Int = 0) -> JSONValue {
      let kinds = depth > 4 ? 4 : 6
      switch Int.random(in: 0..<kinds, using: &random) {
      case 0: return .null
      case 1: return .bool(Bool.random(using: &random))
      case 2: return .number(number())
      case 3: return .string(string())
      case 4:
        return .array(
          (0..<Int.random(in: 0..<5, using: &random)).map { _ in value(depth: depth + 1) })
      default:
        var members: [JSONMember] = []
        var seen: [[UInt8]] = []
        for _ in 0..<Int.random(in: 0..<(Bool.random(using: &random) ? 6 : 30), using: &random) {
          let key = string()
          if seen.contains(Array(key.utf8)) { continue }
          seen.append(Array(key.utf8))
          members.append(JSONMember(key, value(depth: depth + 1)))
        }
        return .object(members)
      }
    }
  }

  /// `value` with every object's members in canonical order.
  static func sorted(_ value: JSONValue) -> JSONValue {
    switch value {
    case .array(let elements): return .array(elements.map(sorted))
    case .object(let members):
      return .object(
        members.sorted { CanonicalJSON.keyPrecedes($0.key, $1.key) }
          .map { JSONMember($0.key, sorted($0.value)) })
    default: return value
    }
  }

  /// Equality that also tells keys apart by their code points (Swift's `==` on strings
  /// identifies canonically equivalent ones).
  static func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
    case (.array(let x), .array(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
    case (.object(let x), .object(let y)):
      return x.count == y.count
        && zip(x, y).allSatisfy {
          $0.key.unicodeScalars.elementsEqual($1.key.unicodeScalars)
            && identical($0.value, $1.value)
        }
    default: return a == b
    }
  }

  func testRandomValuesRoundTrip() throws {
    var generator = ValueGenerator(random: SeededGenerator(seed: 8785))
    for index in 0..<5000 {
      let value = generator.value()
      let text = CanonicalJSON.encode(value)
      let parsed: JSONValue
      do {
        parsed = try JSONParser.parse(text)
      } catch {
        XCTFail("case \(index): \(error) in \(text.text)")
        continue
      }
      XCTAssertTrue(Self.identical(parsed, Self.sorted(value)), "case \(index): \(text.text)")
      XCTAssertEqual(CanonicalJSON.encode(parsed), text, "case \(index) not idempotent")
      XCTAssertNoThrow(try JSONParser.validate(text))
    }
  }

  func testRandomDoublesRoundTrip() throws {
    var generator = ValueGenerator(random: SeededGenerator(seed: 754))
    for _ in 0..<200_000 {
      let number = generator.number()
      var text: [UInt8] = []
      CanonicalJSON.appendNumber(number, into: &text)
      let back = try JSONParser.parse(text).numberValue
      XCTAssertEqual(back, number, text.text)
      XCTAssertEqual(Double(text.text), number, text.text)
    }
  }

  /// ECMAScript prints integers between 2^53 and 1e21 as integer literals, which the parser
  /// refuses: such a double can never come from an accepted input, so the store never
  /// writes one.
  func testLargeIntegersAreNotReadBack() {
    let value = Double(1 << 60)
    XCTAssertEqual(ECMAScriptNumber.string(value), "1152921504606847000")
    assertParseError(ECMAScriptNumber.string(value), "cannot be held exactly")
  }
}
