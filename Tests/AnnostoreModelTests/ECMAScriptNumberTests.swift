import Foundation
import XCTest

@testable import AnnostoreModel

/// The fast digit paths agree with the general one (Swift's shortest round-trip digits).
final class ECMAScriptNumberTests: XCTestCase {
  /// Checks that the exact path, when it answers, agrees with Swift's shortest digits, and
  /// that the text reads back as the same double.
  func check(_ value: Double, file: StaticString = #filePath, line: UInt = #line) -> Bool {
    let magnitude = value.magnitude
    guard magnitude.isFinite && magnitude != 0 else { return true }
    if let exact = ECMAScriptNumber.exactDecimal(magnitude) {
      let slow = ECMAScriptNumber.descriptionDecimal(magnitude)
      if exact != slow {
        XCTFail("\(value.bitPattern) \(value): exact \(exact) slow \(slow)", file: file, line: line)
        return false
      }
    }
    let text = ECMAScriptNumber.string(value)
    if Double(text) != value {
      XCTFail("\(value.bitPattern) \(value): \(text) does not read back", file: file, line: line)
      return false
    }
    return true
  }

  func testFastPathAgreesOnDecimalLikeValues() {
    var random = SeededGenerator(seed: 1)
    let count =
      ProcessInfo.processInfo.environment["ANNOSTORE_PERF"] == "1" ? 10_000_000 : 1_500_000
    for _ in 0..<count {
      // Literals like 669.0, 761.152955940129, 0.000123: 1-17 digits, 0-20 decimals.
      let digits = Int.random(in: 1...17, using: &random)
      let mantissa = UInt64.random(in: 0..<UInt64(pow(10, Double(digits))), using: &random)
      let decimals = Int.random(in: 0...20, using: &random)
      let value = "\(mantissa)e-\(decimals)".withCString { strtod($0, nil) }
      if !check(Bool.random(using: &random) ? value : -value) { return }
    }
  }

  func testFastPathAgreesOnRandomBitPatterns() {
    var random = SeededGenerator(seed: 2)
    let count = ProcessInfo.processInfo.environment["ANNOSTORE_PERF"] == "1" ? 5_000_000 : 250_000
    for _ in 0..<count {
      let value = Double(bitPattern: random.next())
      guard value.isFinite else { continue }
      if !check(value) { return }
    }
    // Values in the fast path's range.
    for _ in 0..<count {
      let value = Double.random(in: 1e-7...1e15, using: &random)
      if !check(value) { return }
    }
  }

  /// Values with few fraction bits and 16-17 digits: many lie exactly halfway between two
  /// shortest candidates, where ECMAScript takes the even one.
  func testHalfwayCases() {
    var random = SeededGenerator(seed: 5)
    for _ in 0..<300_000 {
      let integer = UInt64.random(in: (1 << 40)..<(1 << 53), using: &random)
      let value = Double(integer) / Double(1 << Int.random(in: 1...12, using: &random))
      if !check(value) { return }
    }
    XCTAssertEqual(ECMAScriptNumber.string(92_885_786_125_887.375), "92885786125887.38")
  }

  /// The exact path answers for nearly every value in its range.
  func testExactPathCoverage() {
    var random = SeededGenerator(seed: 4)
    var answered = 0
    let total = 200_000
    for _ in 0..<total {
      let value = Double.random(in: 0.001..<1e15, using: &random)
      if ECMAScriptNumber.exactDecimal(value) != nil { answered += 1 }
    }
    XCTAssertGreaterThan(answered, total * 999 / 1000)
  }

  func testIntegers() {
    var random = SeededGenerator(seed: 3)
    for _ in 0..<200_000 {
      let integer = Int64.random(in: -(1 << 53)...(1 << 53), using: &random)
      XCTAssertEqual(ECMAScriptNumber.string(Double(integer)), String(integer))
    }
    XCTAssertEqual(ECMAScriptNumber.string(-0.0), "0")
  }
}
