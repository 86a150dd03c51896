import Foundation
import XCTest

@testable import AnnostoreModel

final class JSONParserTests: XCTestCase {
  func testValues() {
    XCTAssertEqual(parse("null"), .null)
    XCTAssertEqual(parse(" true "), .bool(true))
    XCTAssertEqual(parse("\t\r\nfalse\n"), .bool(false))
    XCTAssertEqual(parse("-0"), .number(-0.0))
    XCTAssertEqual(parse("[]"), .array([]))
    XCTAssertEqual(parse("{}"), .object([]))
    XCTAssertEqual(
      parse(#"{"b":[1,2.5,"x"],"a":{"c":null}}"#),
      .object([
        JSONMember("b", .array([.number(1), .number(2.5), .string("x")])),
        JSONMember("a", .object([JSONMember("c", .null)])),
      ]))
    XCTAssertEqual(
      parse(#""caf\u00e9 \ud83d\ude00 \"\\\/\b\f\n\r\t""#), .string("café 😀 \"\\/\u{8}\u{C}\n\r\t"))
    XCTAssertEqual(parse("\"é😀\u{7F}\""), .string("é😀\u{7F}"))
    XCTAssertEqual(parse(#""\u0000""#), .string("\u{0}"))
  }

  func testNumbers() {
    let cases: [(String, Double)] = [
      ("0", 0), ("1", 1), ("-1", -1), ("669.0", 669), ("761.152955940129", 761.152955940129),
      ("1e2", 100), ("1E+2", 100), ("1e-2", 0.01), ("0.1", 0.1), ("-0.0", -0.0),
      ("9007199254740992", 9_007_199_254_740_992), ("-9007199254740992", -9_007_199_254_740_992),
      ("12345678901234567890.0", 12_345_678_901_234_567_890.0), ("1e22", 1e22), ("1e23", 1e23),
      ("2.2250738585072014e-308", 2.2250738585072014e-308), ("5e-324", Double(bitPattern: 1)),
      ("1.7976931348623157e308", 1.7976931348623157e308), ("1e-400", 0),
      ("0.000000000000000000000000001", 1e-27), ("333333333.33333329", 333_333_333.333_333_3),
      ("123456789012345678901234567890e-10", 12_345_678_901_234_567_890.123_456_789_0),
      ("0.30000000000000004", 0.30000000000000004), ("1.00000000000000011102230246251565", 1.0),
      ("1.00000000000000011102230246251566", 1.0000000000000002),
    ]
    for (text, expected) in cases {
      XCTAssertEqual(parse(text)?.numberValue, expected, text)
    }
    XCTAssertEqual(parse("-0.0")?.numberValue?.sign, .minus)
  }

  /// The fast path (Clinger) and strtod agree on literals within its range.
  func testFastNumberPathAgreesWithStrtod() {
    var generator = SeededGenerator(seed: 42)
    for _ in 0..<200_000 {
      let mantissa = UInt64.random(in: 0...(1 << 53), using: &generator)
      let exponent = Int.random(in: -22...22, using: &generator)
      let text = "\(mantissa)e\(exponent)"
      let expected = text.withCString { strtod($0, nil) }
      XCTAssertEqual(parse(text)?.numberValue, expected, text)
    }
  }

  /// Eisel-Lemire (16-19 digits) and the many-digit path agree with strtod, across the range.
  func testLongLiteralsAgreeWithStrtod() {
    var generator = SeededGenerator(seed: 1859)
    var literals: [String] = []
    for _ in 0..<300_000 {
      let digits = Int.random(in: 16...19, using: &generator)
      var text = String(UInt64.random(in: 1...9, using: &generator))
      for _ in 1..<digits { text += String(UInt64.random(in: 0...9, using: &generator)) }
      let point = Int.random(in: 1..<digits, using: &generator)
      text.insert(".", at: text.index(text.startIndex, offsetBy: point))
      switch Int.random(in: 0..<3, using: &generator) {
      case 0: text += "e\(Int.random(in: -330...300, using: &generator))"
      case 1: text += "e\(Int.random(in: -30...30, using: &generator))"
      default: break
      }
      literals.append(text)
    }
    for _ in 0..<20_000 {
      // More than 19 significant digits.
      var text = "0."
      for _ in 0..<Int.random(in: 20...40, using: &generator) {
        text += String(UInt64.random(in: 0...9, using: &generator))
      }
      literals.append(text + "1e\(Int.random(in: -300...300, using: &generator))")
    }
    // Halfway cases and neighbours of powers of two.
    literals += [
      "9007199254740993.0", "9007199254740995.0", "1.00000000000000011102230246251565",
      "2.2250738585072011e-308", "4.9406564584124654e-324", "1.7976931348623158e308",
      "1.7976931348623157e308", "8.98846567431158e307", "9.9999999999999999e22",
    ]
    for text in literals {
      let expected = text.withCString { strtod($0, nil) }
      if expected.isInfinite {
        assertParseError(text, "out of range")
      } else {
        XCTAssertEqual(parse(text)?.numberValue?.bitPattern, expected.bitPattern, text)
      }
    }
  }

  // MARK: Error corpus

  func testNotJSON() {
    assertParseError("hello", "expected a value but found 'h'", line: 1, column: 1, pointer: "")
    assertParseError("", "the input is empty (0 bytes)", line: 1, column: 1, offset: 0)
    assertParseError("   \n", "unexpected end of input", line: 2, column: 1)
    assertParseError("NaN", "NaN and Infinity are not JSON numbers")
    assertParseError("[Infinity]", "NaN and Infinity", pointer: "/0")
    assertParseError("[-Infinity]", "expected a digit after '-'", pointer: "/0")
    assertParseError("{'a':1}", "expected a key in double quotes but found \"'\"", column: 2)
    assertParseError("['a']", "strings must be in double quotes", pointer: "/0")
    assertParseError("{\"a\" 1}", "expected ':' after an object key", column: 6)
    assertParseError("[1 2]", "expected ',' or ']' after an array element", column: 4, pointer: "")
    assertParseError("[1,]", "trailing comma before ']'", column: 4)
    assertParseError("{\"a\":1,}", "trailing comma before '}'", column: 8)
    assertParseError("tru", "unexpected end of input (the file may be truncated)", column: 4)
    assertParseError("trux", "invalid literal: expected 'true'", column: 1)
    assertParseError("nul", "unexpected end of input")
  }

  func testObjectMemberError() {
    assertParseError(
      "{\"annotations\": [{\"a\": 1 \"b\": 2}]}",
      "expected ',' or '}' after an object member", line: 1, column: 26, offset: 25,
      pointer: "/annotations/0")
  }

  func testTruncated() {
    assertParseError(
      "{\"annotations\": [{\"tags\": [\"a\"", "unexpected end of input (the file may be truncated)",
      line: 1, column: 31, offset: 30, pointer: "/annotations/0/tags")
    assertParseError(
      "{\"a\": \"abc", "unexpected end of input (the file may be truncated)", pointer: "/a")
    assertParseError("[1.", "unexpected end of input", pointer: "/0")
    assertParseError("[1e", "unexpected end of input", pointer: "/0")
    assertParseError("\"\\u12", "unexpected end of input")
    assertParseError("\"\u{E9}".utf8.dropLast().map { $0 }, "unexpected end of input")
  }

  func testByteOrderMark() {
    assertParseError(
      [0xEF, 0xBB, 0xBF] + bytes("{}"),
      "the file starts with a UTF-8 byte-order mark; save it without one",
      line: 1, column: 1, offset: 0)
  }

  func testInvalidUTF8() {
    // In a value: Latin-1 "é" (0xE9) followed by ASCII.
    assertParseError(
      bytes("{\"annotations\":[{\"name\":\"caf") + [0xE9] + bytes("\"}]}"),
      "invalid UTF-8 byte 0xE9 in a string", line: 1, column: 29, offset: 28,
      pointer: "/annotations/0/name")
    // In a key: the pointer is the object's.
    assertParseError(
      bytes("{\"a\":{\"k") + [0xC3, 0x28] + bytes("\":1}}"),
      "invalid UTF-8 byte 0xC3 in a string", line: 1, column: 9, pointer: "/a")
    // On a later line.
    assertParseError(
      bytes("[\n\"ok\",\n\"x") + [0xC3] + bytes("\"]"), "invalid UTF-8 byte 0xC3", line: 3,
      column: 3, pointer: "/1")
    // Overlong encodings, encoded surrogates, beyond U+10FFFF, stray continuation bytes.
    for bad: [UInt8] in [
      [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
      [0xF0, 0x80, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80],
      [0xBF], [0xFE], [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ] {
      assertParseError([0x22] + bad + [0x22], "invalid UTF-8 byte 0x", column: 2)
    }
    // Valid edges.
    for good: [UInt8] in [
      [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
      [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
    ] {
      XCTAssertNoThrow(try JSONParser.parse([0x22] + good + [0x22]), "\(good)")
    }
  }

  func testInvalidUTF8OutsideStrings() {
    assertParseError(
      [0x5B, 0xC3, 0xA9, 0x5D], "expected a value but found byte 0xC3", pointer: "/0")
  }

  func testLoneSurrogateEscapes() {
    assertParseError(
      #"{"a":["\ud800"]}"#, "lone surrogate escape \\ud800", line: 1, column: 8,
      pointer: "/a/0")
    assertParseError(#""\uDC00""#, "lone surrogate escape \\uDC00")
    assertParseError(#""\uD800\u0041""#, "lone surrogate")
    assertParseError(#""\uD800x""#, "lone surrogate")
    assertParseError(#""\uZZZZ""#, "invalid \\u escape: expected four hex digits")
    assertParseError(#""\x""#, "invalid escape '\\x'")
  }

  func testControlCharacters() {
    assertParseError(
      "[\"a\nb\"]", "control character U+000A must be escaped in a string", line: 1,
      column: 4, pointer: "/0")
    assertParseError("\"\t\"", "control character U+0009 must be escaped")
    assertParseError([0x22, 0x00, 0x22], "control character U+0000 must be escaped")
    assertParseError([0x22, 0x1F, 0x22], "control character U+001F must be escaped")
  }

  func testDuplicateKeys() {
    assertParseError(
      #"{"annotations":[{"_id":"a","tags":[],"_id":"b"}]}"#, "duplicate key \"_id\"",
      line: 1, column: 38, pointer: "/annotations/0/_id")
    // Large objects (set path).
    let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
    assertParseError("{\(members),\"k7\":0}", "duplicate key \"k7\"", pointer: "/k7")
    XCTAssertNotNil(parse("{\(members)}"))
    // Keys written differently but equal after unescaping.
    assertParseError(#"{"a/b":1,"a\/b":2}"#, "duplicate key", pointer: "/a~1b")
    // Canonically equivalent but distinct keys are not duplicates.
    XCTAssertEqual(parse("{\"\u{E9}\":1,\"e\u{301}\":2}")?.objectMembers?.count, 2)
    let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
    XCTAssertEqual(
      parse("{\(many),\"\u{E9}\":1,\"e\u{301}\":2}")?.objectMembers?.count, 42)
  }

  func testPointerEscaping() {
    assertParseError(#"{"a~b":{"c/d":[tru]}}"#, "invalid literal", pointer: "/a~0b/c~1d/0")
  }

  func testHugeInteger() {
    assertParseError(
      "[12345678901234567890]",
      "number 12345678901234567890 cannot be held exactly by a double (integers are limited to ±2^53)",
      line: 1, column: 2, pointer: "/0")
    assertParseError("9007199254740993", "cannot be held exactly")
    assertParseError("-9007199254740993", "cannot be held exactly")
    assertParseError("18014398509481984", "cannot be held exactly")
    XCTAssertNotNil(parse("9007199254740992"))
    XCTAssertNotNil(parse("12345678901234567890.5"))
    XCTAssertNotNil(parse("1e300"))
  }

  func testOutOfRange() {
    assertParseError(
      "{\"x\": 1e400}", "number 1e400 is out of range", line: 1, column: 7, pointer: "/x")
    assertParseError("-1e400", "number -1e400 is out of range")
    assertParseError("1.8e308", "out of range")
    assertParseError(String(repeating: "9", count: 400) + ".0", "out of range")
  }

  func testNumberSyntax() {
    assertParseError("01", "leading zeros are not allowed")
    assertParseError("[-01]", "leading zeros are not allowed", pointer: "/0")
    assertParseError("+1", "a leading '+' is not allowed")
    assertParseError(".5", "a number must start with a digit")
    assertParseError("5.", "unexpected end of input")
    assertParseError("[5.]", "expected a digit after '.'", column: 4)
    assertParseError("[1e]", "expected a digit in the exponent")
    assertParseError("[1e+]", "expected a digit in the exponent")
    assertParseError("-", "unexpected end of input")
    assertParseError("[-a]", "expected a digit after '-'")
    assertParseError("0x10", "unexpected content after the JSON value")
  }

  func testTrailingContent() {
    assertParseError("{} x", "unexpected content after the JSON value: 'x'", column: 4)
    assertParseError("{}{}", "unexpected content after the JSON value")
    assertParseError("1 2", "unexpected content after the JSON value")
  }

  func testDepthLimit() {
    let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    XCTAssertNotNil(parse(ok))
    let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
    assertParseError(tooDeep, "nesting deeper than 512 levels", column: 513)
    let deepObjects =
      String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600)
    assertParseError(deepObjects, "nesting deeper than 512 levels")
    // Far deeper input is refused, not a crash.
    let absurd = String(repeating: "[", count: 1_000_000)
    assertParseError(absurd, "nesting deeper than 512 levels")
  }

  func testLocationDescription() {
    let location = JSONLocation(line: 3, column: 7, offset: 40, pointer: "/a/0")
    XCTAssertEqual(location.description, "/a/0 (line 3, column 7)")
    let error = JSONError("boom", at: JSONLocation(line: 1, column: 2, offset: 1, pointer: ""))
    XCTAssertEqual(error.description, "line 1, column 2: boom")
    XCTAssertEqual(JSONPointer.escape("a~b/c"), "a~0b~1c")
  }
}
