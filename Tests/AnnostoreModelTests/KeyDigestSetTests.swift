import XCTest

@testable import AnnostoreModel

final class KeyDigestSetTests: XCTestCase {
  /// The reference key 00..0f and messages 00, 01, ... of each length (veorq/SipHash
  /// `vectors.h`), SipHash-2-4.
  func testSipHashReferenceVectors() {
    let reference = SipHash(key0: 0x0706_0504_0302_0100, key1: 0x0f0e_0d0c_0b0a_0908)
    func hash(_ length: Int, wide: Bool) -> (UInt64, UInt64) {
      let message = (0..<length).map { UInt8($0) }
      return message.withUnsafeBytes {
        reference.hash($0, compressionRounds: 2, finalizationRounds: 4, wide: wide)
      }
    }
    // The paper's example: 15 bytes, 64-bit output.
    XCTAssertEqual(hash(15, wide: false).0, 0xa129_ca61_49be_45e5)
    // vectors_sip128, as the two 64-bit words the reference code writes little-endian.
    let sip128: [Int: String] = [
      0: "a3817f04ba25a8e66df67214c7550293", 1: "da87c1d86b99af44347659119b22fc45",
      2: "8177228da4a45dc7fca38bdef60affe4", 3: "9c70b60c5267a94e5f33b6b02985ed51",
      8: "3b62a9ba6258f5610f83e264f31497b4", 9: "264499060ad9baabc47f8b02bb6d71ed",
    ]
    for (length, expected) in sip128 {
      let (first, second) = hash(length, wide: true)
      var bytes: [UInt8] = []
      for word in [first, second] {
        for shift in stride(from: 0, to: 64, by: 8) {
          bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
        }
      }
      XCTAssertEqual(
        bytes.map { String(format: "%02x", $0) }.joined(), expected, "length \(length)")
    }
  }

  func testFindsRepeatsAmongManyKeys() {
    var set = KeyDigestSet()
    for index in 0..<50_000 {
      XCTAssertTrue(set.insert("id-\(index)"))
    }
    XCTAssertTrue(set.insert(""))
    XCTAssertFalse(set.insert(""))
    for index in stride(from: 0, to: 50_000, by: 997) {
      XCTAssertFalse(set.insert("id-\(index)"))
    }
    // Canonically equivalent but different bytes: different keys.
    XCTAssertTrue(set.insert("\u{E9}"))
    XCTAssertTrue(set.insert("e\u{301}"))
    XCTAssertFalse(set.insert("e\u{301}"))
  }
}
