import Foundation
import XCTest

@testable import AnnostoreModel

/// The fast digit paths agree with the general one (Swift's shortest round-trip digits).
final class ECMAScriptNumberTests: XCTestCase {
  /// Text of `value` through the slow path only.
  static func slowText(_ value: Double) -> String {
    var output: [UInt8] = []
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
      let (count, point) = ECMAScriptNumber.slowDigits(value.magnitude, into: digits.baseAddress!)
      ECMAScriptNumber.layout(
        negative: value < 0, digits: UnsafeBufferPointer(start: digits.baseAddress!, count: count),
        pointPosition: point, into: &output)
    }
    return output.text
  }

  func check(_ value: Double, file: StaticString = #filePath, line: UInt = #line) -> Bool {
    if value == 0 { return true }  // the slow path is never asked for zero
    let fast = ECMAScriptNumber.string(value)
    let slow = Self.slowText(value)
    if fast != slow {
      XCTFail("\(value.bitPattern): fast \(fast) slow \(slow)", file: file, line: line)
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

  func testIntegers() {
    var random = SeededGenerator(seed: 3)
    for _ in 0..<200_000 {
      let integer = Int64.random(in: -(1 << 53)...(1 << 53), using: &random)
      XCTAssertEqual(ECMAScriptNumber.string(Double(integer)), String(integer))
    }
    XCTAssertEqual(ECMAScriptNumber.string(-0.0), "0")
  }
}
