/// A record id's place in id order as plain words: its first 24 bytes, zero-padded, as
/// three big-endian words. Record ids are ASCII tokens without NUL, so keys order as the
/// ids' bytes do; only ids longer than 24 bytes that share a key need their bytes compared.
///
/// Sorting by this key moves no strings, so a sort of a million records costs no
/// reference counting and few cache misses.
struct RecordIDKey: Comparable, Sendable {
  var words: (UInt64, UInt64, UInt64)

  init(_ id: String) {
    var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var id = id
    id.withUTF8 { utf8 in
      withUnsafeMutableBytes(of: &words) { raw in
        raw.copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8.prefix(24))))
      }
    }
    self.words = (
      UInt64(bigEndian: words.0), UInt64(bigEndian: words.1), UInt64(bigEndian: words.2)
    )
  }

  /// How many bytes of an id the key holds.
  static let byteCount = 24

  /// The id, when it is at most `byteCount` bytes long (the key then holds all of it).
  var text: String {
    withUnsafeBytes(of: (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian)) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
  }

  static func == (a: RecordIDKey, b: RecordIDKey) -> Bool { a.words == b.words }
  static func < (a: RecordIDKey, b: RecordIDKey) -> Bool { a.words < b.words }

  /// Whether the record `a` (with id `first`) precedes `b` (with id `second`) in id order.
  @inline(__always)
  static func precedes(
    _ a: RecordIDKey, _ first: @autoclosure () -> String, _ b: RecordIDKey,
    _ second: @autoclosure () -> String
  ) -> Bool {
    if a != b { return a < b }
    return first().utf8.lexicographicallyPrecedes(second().utf8)
  }
}
