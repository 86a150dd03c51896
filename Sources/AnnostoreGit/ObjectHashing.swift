// SHA-1 object ids, computed with OpenSSL's libcrypto (hardware SHA-1 where the CPU has it).

import CDeflate

extension ObjectKind {
  /// The type name git writes in object headers and tags: `commit`, `tree`, `blob`, `tag`.
  public var gitName: String {
    switch self {
    case .commit: return "commit"
    case .tree: return "tree"
    case .blob: return "blob"
    case .tag: return "tag"
    }
  }

  /// The object type number of a pack entry header (commit 1, tree 2, blob 3, tag 4).
  var packType: UInt8 {
    switch self {
    case .commit: return 1
    case .tree: return 2
    case .blob: return 3
    case .tag: return 4
    }
  }
}

extension GitObjectFormat {
  /// The id git gives an object of `kind` whose content is `content`, without copying it:
  /// the `"<kind> <length>\0"` header and the content are fed to SHA-1 one after the other.
  public static func id(of kind: ObjectKind, bytes content: UnsafeRawBufferPointer) -> ObjectID {
    var context = SHA_CTX()
    SHA1_Init(&context)
    var header = ObjectHeader(kind: kind, length: content.count)
    header.withBytes { _ = SHA1_Update(&context, $0.baseAddress, $0.count) }
    if content.count > 0 { SHA1_Update(&context, content.baseAddress, content.count) }
    return finish(&context)
  }

  /// SHA-1 of arbitrary bytes as an ObjectID (20 bytes), for checksums such as a pack's.
  public static func sha1(_ bytes: UnsafeRawBufferPointer) -> ObjectID {
    var context = SHA_CTX()
    SHA1_Init(&context)
    if bytes.count > 0 { SHA1_Update(&context, bytes.baseAddress, bytes.count) }
    return finish(&context)
  }

  /// Ends a SHA-1 computation and returns the digest as an id.
  static func finish(_ context: inout SHA_CTX) -> ObjectID {
    var digest = (UInt64(0), UInt64(0), UInt32(0))
    withUnsafeMutableBytes(of: &digest) { raw in
      _ = SHA1_Final(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
    }
    return withUnsafeBytes(of: &digest) { ObjectID(rawBytes: $0) }
  }
}

/// A running SHA-1 over bytes fed in pieces (pack and index checksums, record digests).
public struct SHA1Stream {
  private var context = SHA_CTX()

  public init() { SHA1_Init(&context) }

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    if bytes.count > 0 { SHA1_Update(&context, bytes.baseAddress, bytes.count) }
  }

  /// The digest of everything fed so far, as an id (20 bytes).
  public mutating func finish() -> ObjectID { GitObjectFormat.finish(&context) }
}

/// CRC-32 (the zlib polynomial), for checking files annostore keeps beside the repository.
public enum Checksum {
  /// The CRC-32 of `bytes`, continuing from `crc` (0 to start).
  public static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
    guard bytes.count > 0 else { return crc }
    return UInt32(libdeflate_crc32(crc, bytes.baseAddress, bytes.count))
  }
}

/// `"<kind> <decimal length>\0"` in a fixed-size buffer, so hashing allocates nothing.
struct ObjectHeader {
  private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  private var count = 0

  init(kind: ObjectKind, length: Int) {
    let name: StaticString
    switch kind {
    case .commit: name = "commit"
    case .tree: name = "tree"
    case .blob: name = "blob"
    case .tag: name = "tag"
    }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var digitCount = 0
    withUnsafeMutableBytes(of: &digits) { out in
      var value = length
      repeat {
        out[digitCount] = UInt8(ascii: "0") + UInt8(value % 10)
        value /= 10
        digitCount += 1
      } while value > 0
    }
    var used = 0
    withUnsafeMutableBytes(of: &storage) { out in
      name.withUTF8Buffer { text in
        for byte in text {
          out[used] = byte
          used += 1
        }
      }
      out[used] = UInt8(ascii: " ")
      used += 1
      withUnsafeBytes(of: &digits) { reversed in
        for index in stride(from: digitCount - 1, through: 0, by: -1) {
          out[used] = reversed[index]
          used += 1
        }
      }
      out[used] = 0
      used += 1
    }
    count = used
  }

  /// The header's bytes, valid only inside `body`.
  mutating func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    let used = count
    return try withUnsafeBytes(of: &storage) {
      try body(UnsafeRawBufferPointer(rebasing: $0[0..<used]))
    }
  }
}
