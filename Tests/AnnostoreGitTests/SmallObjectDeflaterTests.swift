// SmallObjectDeflater: every output must be a zlib stream that zlib inflates back to the
// input, for every kind of content and size it takes, and one deflater reused for many
// objects must never match across them.

import CDeflate
import Foundation
import XCTest

@testable import AnnostoreGit

final class SmallObjectDeflaterTests: XCTestCase {
  func testRoundTripsThroughZlib() throws {
    let deflater = SmallObjectDeflater()
    var random = SystemRandomNumberGenerator()
    var inputs: [[UInt8]] = [
      [], [0], Array("{}\n".utf8), [UInt8](repeating: 7, count: 1000),
      [UInt8](repeating: 0xff, count: SmallObjectDeflater.maximumSize),
      (0..<SmallObjectDeflater.maximumSize).map { UInt8(truncatingIfNeeded: $0 % 251) },
    ]
    for size in [1, 2, 3, 4, 5, 7, 31, 255, 258, 259, 300, 4099, 20000] {
      inputs.append((0..<size).map { _ in UInt8.random(in: 0...255, using: &random) })
      inputs.append((0..<size).map { _ in UInt8.random(in: 48...51, using: &random) })
    }
    for index in 0..<2000 { inputs.append(sampleJSON(index)) }
    for input in inputs {
      XCTAssertEqual(try inflate(deflater, input), input, "\(input.count) bytes")
    }
  }

  func testCompressesJSON() {
    let deflater = SmallObjectDeflater()
    var raw = 0
    var packed = 0
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    for index in 0..<1000 {
      let input = sampleJSON(index)
      raw += input.count
      packed += input.withUnsafeBytes { source in
        buffer.withUnsafeMutableBytes { deflater.compress(source, to: $0.baseAddress!) }
      }
    }
    XCTAssertLessThan(packed * 10, raw * 8, "\(packed) of \(raw) bytes")
  }

  private func inflate(_ deflater: SmallObjectDeflater, _ input: [UInt8]) throws -> [UInt8] {
    var compressed = [UInt8](repeating: 0, count: SmallObjectDeflater.bound(input.count))
    let length = input.withUnsafeBytes { source in
      compressed.withUnsafeMutableBytes { deflater.compress(source, to: $0.baseAddress!) }
    }
    XCTAssertLessThanOrEqual(length, compressed.count)
    var output = [UInt8](repeating: 0, count: input.count + 1)
    var outputLength = uLongf(output.count)
    let status = output.withUnsafeMutableBufferPointer { out in
      compressed.withUnsafeBufferPointer {
        uncompress(out.baseAddress, &outputLength, $0.baseAddress, uLong(length))
      }
    }
    XCTAssertEqual(status, Z_OK, "\(input.count) bytes")
    return Array(output[0..<Int(outputLength)])
  }
}
