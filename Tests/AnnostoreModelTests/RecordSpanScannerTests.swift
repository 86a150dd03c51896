// The vector record scanner finds the same ends as the portable one on JSON objects of
// every shape (strings with escaped quotes and backslashes, brackets inside strings, deep
// nesting), fed whole or in pieces.

import XCTest

@testable import AnnostoreModel

final class RecordSpanScannerTests: XCTestCase {
  func testVectorAndPortableScannersAgree() throws {
    try XCTSkipUnless(RecordSpanScanner.vectorized, "the CPU has no AVX2: only one scanner")
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<20_000 {
      let bytes = randomObject(count: Int.random(in: 2...700, using: &generator), &generator)
      let whole = end(of: bytes, vectorized: false, pieces: [bytes.count])
      var pieces: [Int] = []
      var have = 0
      while have < bytes.count {
        have = min(bytes.count, have + Int.random(in: 1...150, using: &generator))
        pieces.append(have)
      }
      XCTAssertEqual(end(of: bytes, vectorized: true, pieces: [bytes.count]), whole)
      XCTAssertEqual(end(of: bytes, vectorized: true, pieces: pieces), whole)
      XCTAssertEqual(end(of: bytes, vectorized: false, pieces: pieces), whole)
    }
  }

  /// The end found when the bytes come in growing prefixes of the given lengths.
  private func end(of bytes: [UInt8], vectorized: Bool, pieces: [Int]) -> Int? {
    var scanner = RecordSpanScanner(vectorized: vectorized)
    return bytes.withUnsafeBufferPointer { buffer in
      for count in pieces {
        if let length = scanner.scan(buffer.baseAddress!, count: count) { return length }
      }
      return nil
    }
  }

  /// An object's start and what may follow: backslashes only inside strings (as in JSON).
  private func randomObject(count: Int, _ generator: inout SeededGenerator) -> [UInt8] {
    var bytes: [UInt8] = [UInt8(ascii: "{")]
    var inString = false
    while bytes.count < count {
      let choice = Int.random(in: 0..<12, using: &generator)
      if inString {
        if choice < 2 {
          bytes.append(UInt8(ascii: "\\"))
          bytes.append(Bool.random(using: &generator) ? UInt8(ascii: "\"") : UInt8(ascii: "\\"))
        } else if choice < 4 {
          bytes.append(UInt8(ascii: "\""))
          inString = false
        } else {
          bytes.append(Array("ab{}[]é".utf8).randomElement(using: &generator)!)
        }
      } else if choice < 3 {
        bytes.append(UInt8(ascii: "\""))
        inString = true
      } else {
        bytes.append(Array("{}[]a,: ".utf8).randomElement(using: &generator)!)
      }
    }
    return bytes
  }
}
