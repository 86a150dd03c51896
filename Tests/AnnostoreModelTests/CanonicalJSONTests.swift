import XCTest

@testable import AnnostoreModel

final class CanonicalJSONTests: XCTestCase {
  /// RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text.
  static let appendixB: [(UInt64, String)] = [
    (0x0000_0000_0000_0000, "0"),
    (0x8000_0000_0000_0000, "0"),
    (0x0000_0000_0000_0001, "5e-324"),
    (0x8000_0000_0000_0001, "-5e-324"),
    (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
    (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"),
    (0x4340_0000_0000_0000, "9007199254740992"),
    (0xC340_0000_0000_0000, "-9007199254740992"),
    (0x4430_0000_0000_0000, "295147905179352830000"),
    (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"),
    (0x44B5_2D02_C7E1_4AF6, "1e+23"),
    (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"),
    (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
    (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"),
    (0x444B_1AE4_D6E2_EF50, "1e+21"),
    (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"),
    (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
    (0x41B3_DE43_5555_5553, "333333333.3333332"),
    (0x41B3_DE43_5555_5554, "333333333.33333325"),
    (0x41B3_DE43_5555_5555, "333333333.3333333"),
    (0x41B3_DE43_5555_5556, "333333333.3333334"),
    (0x41B3_DE43_5555_5557, "333333333.33333343"),
    (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
    (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
  ]

  func testAppendixBNumbers() {
    for (bits, expected) in Self.appendixB {
      let value = Double(bitPattern: bits)
      XCTAssertEqual(ECMAScriptNumber.string(value), expected, String(bits, radix: 16))
      var output: [UInt8] = []
      CanonicalJSON.appendNumber(value, into: &output)
      XCTAssertEqual(output.text, expected)
    }
  }

  func testNumberThresholds() {
    let cases: [(Double, String)] = [
      (1e21, "1e+21"), (1e20, "100000000000000000000"), (0.000001, "0.000001"),
      (1e-7, "1e-7"), (-0.0, "0"), (1.5e-7, "1.5e-7"), (123e-9, "1.23e-7"),
      (0.0000012, "0.0000012"), (669.0, "669"), (761.152955940129, "761.152955940129"),
      (2170, "2170"), (0.1, "0.1"), (0.30000000000000004, "0.30000000000000004"),
      (-1.5, "-1.5"), (1e300, "1e+300"), (1.2345e-300, "1.2345e-300"), (5e-7, "5e-7"),
      (100, "100"), (1e15, "1000000000000000"), (123456789012345.6, "123456789012345.6"),
      (4.5, "4.5"), (0.002, "0.002"), (1e30, "1e+30"), (1e-27, "1e-27"),
    ]
    for (value, expected) in cases {
      XCTAssertEqual(ECMAScriptNumber.string(value), expected, "\(value)")
    }
  }

  /// RFC 8785 §3.2.3: sorting by UTF-16 code units.
  func testSortingExample() {
    let input = """
      {"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh",\
      "1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}
      """
    guard let value = parse(input), let members = value.objectMembers else { return }
    var output: [UInt8] = []
    CanonicalJSON.encode(value, into: &output)
    let sortedKeys = try? JSONParser.parse(output).objectMembers?.map(\.key)
    XCTAssertEqual(
      sortedKeys, ["\r", "1", "\u{80}", "\u{F6}", "\u{20AC}", "\u{1F600}", "\u{FB33}"])
    // The values printed in the RFC's order.
    let order = (try? JSONParser.parse(output).objectMembers?.map { $0.value.stringValue! }) ?? []
    XCTAssertEqual(
      order,
      [
        "Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
        "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh",
      ])
    XCTAssertEqual(members.count, 7)
  }

  /// RFC 8785 §3.2.2 main example.
  func testMainExample() {
    let input = #"""
      {
        "numbers": [333333333.33333329, 1E30, 4.50,
                    2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
      }
      """#
    XCTAssertEqual(
      canonical(input),
      #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
    )
  }

  func testStringEscaping() {
    var output: [UInt8] = []
    CanonicalJSON.appendString(
      "a\u{0}\u{8}\t\n\u{B}\u{C}\r\u{1F}\"\\/\u{7F}\u{2028}\u{2029}é😀", into: &output)
    XCTAssertEqual(
      output.text, "\"a\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\\"\\\\/\u{7F}\u{2028}\u{2029}é😀\"")
  }

  func testFileBytesEndWithOneNewline() {
    let value = JSONValue.object([
      JSONMember("b", .array([.number(1), .null])), JSONMember("a", .bool(true)),
    ])
    XCTAssertEqual(CanonicalJSON.fileBytes(value).text, "{\"a\":true,\"b\":[1,null]}\n")
  }

  func testKeyOrderByUTF16() {
    // U+FFFD sorts after U+1F600 in UTF-16 (0xD83D < 0xFFFD) though not by code point.
    XCTAssertTrue(CanonicalJSON.keyPrecedes("\u{1F600}", "\u{FFFD}"))
    XCTAssertFalse(CanonicalJSON.keyPrecedes("\u{FFFD}", "\u{1F600}"))
    XCTAssertTrue(CanonicalJSON.keyPrecedes("a", "ab"))
    XCTAssertFalse(CanonicalJSON.keyPrecedes("ab", "ab"))
    XCTAssertTrue(CanonicalJSON.keyPrecedes("Z", "a"))
    XCTAssertTrue(CanonicalJSON.keyPrecedes("a\u{E9}", "a\u{F6}"))
    // Large objects take the sort path.
    let keys = (0..<100).map { "k\(($0 * 37) % 100)" }
    let value = JSONValue.object(keys.map { JSONMember($0, .number(1)) })
    let sorted = (try? JSONParser.parse(CanonicalJSON.encode(value)).objectMembers?.map(\.key))
    XCTAssertEqual(sorted, keys.sorted())
  }

  func testNonFiniteNumbersWriteNull() {
    XCTAssertEqual(ECMAScriptNumber.string(.nan), "null")
    XCTAssertEqual(ECMAScriptNumber.string(.infinity), "null")
  }
}
