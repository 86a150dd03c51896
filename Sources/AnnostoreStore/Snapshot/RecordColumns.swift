import AnnostoreGit
import CSHA1

/// 128 bits of the SHA-1 of a record as it stands in an export: its kind, for property
/// values the annotation id it is filed under, and its raw bytes. Equal digests mean equal
/// records, whose checked, canonical form is therefore known already. Zero means unknown.
struct RecordDigest: Equatable, Sendable {
  var high: UInt64
  var low: UInt64

  static let none = RecordDigest(high: 0, low: 0)

  var isNone: Bool { high == 0 && low == 0 }

  /// The digest of one record of `kind`: `key` is the member name it is filed under in
  /// `annotationPropertyValues` (nil for the lists), `bytes` its text from `{` to `}`.
  static func of(kind: RecordKind, key: String?, bytes: UnsafeRawBufferPointer) -> RecordDigest {
    var stream = SHA1Stream()
    var key = key
    let keyLength = key?.utf8.count ?? 0
    var header: (UInt8, UInt32) = (kind.tag, UInt32(truncatingIfNeeded: keyLength).littleEndian)
    withUnsafeBytes(of: &header.0) { stream.update($0) }
    withUnsafeBytes(of: &header.1) { stream.update($0) }
    if key != nil {
      key!.withUTF8 { stream.update(UnsafeRawBufferPointer($0)) }
    }
    stream.update(bytes)
    let sum = stream.finish()
    let digest = RecordDigest(high: sum.bytes.0, low: sum.bytes.1)
    return digest.isNone ? RecordDigest(high: 0, low: 1) : digest
  }
}

extension RecordDigest {
  /// Whether `pair` may be used (the CPU has SHA extensions).
  static let pairsAvailable = annostore_sha1_available() != 0

  /// The digests of two records of a batch whose bytes are at `base`, computed together
  /// (only when `pairsAvailable`). The same digests as `of`.
  static func pair(_ a: BatchRecord, _ b: BatchRecord, in base: UnsafeRawPointer)
    -> (RecordDigest, RecordDigest)
  {
    let maximum = Int(ANNOSTORE_SHA1_MAX_PREFIX)
    guard 5 + (a.key?.utf8.count ?? 0) <= maximum, 5 + (b.key?.utf8.count ?? 0) <= maximum else {
      return (
        of(
          kind: a.kind, key: a.key,
          bytes: UnsafeRawBufferPointer(start: base + a.start, count: a.count)),
        of(
          kind: b.kind, key: b.key,
          bytes: UnsafeRawBufferPointer(start: base + b.start, count: b.count))
      )
    }
    var outA = ObjectID.zero
    var outB = ObjectID.zero
    withUnsafeTemporaryAllocation(byteCount: 2 * maximum, alignment: 16) { prefixes in
      let prefixA = prefixes.baseAddress!
      let prefixB = prefixes.baseAddress! + maximum
      let lengthA = writePrefix(kind: a.kind, key: a.key, to: prefixA)
      let lengthB = writePrefix(kind: b.kind, key: b.key, to: prefixB)
      withUnsafeMutableBytes(of: &outA.bytes) { rawA in
        withUnsafeMutableBytes(of: &outB.bytes) { rawB in
          annostore_sha1_pair(
            prefixA, lengthA, base + a.start, a.count,
            rawA.baseAddress!.assumingMemoryBound(to: UInt8.self),
            prefixB, lengthB, base + b.start, b.count,
            rawB.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
      }
    }
    return (digest(fromRaw: outA), digest(fromRaw: outB))
  }

  /// Writes the bytes hashed before a record's own (as `of` hashes them: the kind's tag,
  /// the key's length as 32 bits little-endian, the key); returns their count.
  private static func writePrefix(kind: RecordKind, key: String?, to out: UnsafeMutableRawPointer)
    -> Int
  {
    out.storeBytes(of: kind.tag, as: UInt8.self)
    var key = key
    let length = key?.utf8.count ?? 0
    (out + 1).storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, as: UInt32.self)
    if key != nil, length > 0 {
      key!.withUTF8 { (out + 5).copyMemory(from: $0.baseAddress!, byteCount: length) }
    }
    return 5 + length
  }

  /// The digest of a SHA-1 whose 20 bytes were stored in the id's memory as they come.
  private static func digest(fromRaw raw: ObjectID) -> RecordDigest {
    let digest = RecordDigest(
      high: UInt64(bigEndian: raw.bytes.0), low: UInt64(bigEndian: raw.bytes.1))
    return digest.isNone ? RecordDigest(high: 0, low: 1) : digest
  }
}

extension RecordKind {
  /// The kind's place in `RecordKind.allCases`.
  var position: Int {
    switch self {
    case .annotations: return 0
    case .connections: return 1
    case .properties: return 2
    case .values: return 3
    }
  }

  /// A byte naming the kind in digests and in the ingest index.
  var tag: UInt8 {
    switch self {
    case .annotations: return 1
    case .connections: return 2
    case .properties: return 3
    case .values: return 4
    }
  }

  /// How many leaf directories records of this kind are spread over: 65,536 `<aa>/<bb>`
  /// shards, or one flat directory.
  var shardCount: Int { isSharded ? 1 << 16 : 1 }
}

/// Record ids (or other short byte strings) side by side in one buffer.
struct NameHeap: Sendable {
  private(set) var bytes: [UInt8] = []
  /// End offset in `bytes` of each name.
  private(set) var ends: [UInt32] = []

  init() {}

  init(bytes: [UInt8], ends: [UInt32]) {
    self.bytes = bytes
    self.ends = ends
  }

  var count: Int { ends.count }

  mutating func reserve(names: Int, bytes byteCount: Int) {
    ends.reserveCapacity(names)
    bytes.reserveCapacity(byteCount)
  }

  mutating func append(_ name: String) {
    var name = name
    name.withUTF8 { append(UnsafeRawBufferPointer($0)) }
  }

  mutating func append(_ name: UnsafeRawBufferPointer) {
    bytes.append(contentsOf: name)
    ends.append(UInt32(bytes.count))
  }

  /// The byte range of name `index`.
  @inline(__always)
  func range(_ index: Int) -> Range<Int> {
    (index == 0 ? 0 : Int(ends[index - 1]))..<Int(ends[index])
  }

  /// Name `index` as text.
  func string(_ index: Int) -> String {
    String(decoding: bytes[range(index)], as: UTF8.self)
  }
}

/// Records of one kind, column by column: what the store needs of each to build trees and
/// to recognise it in the next export.
struct RecordColumns: Sendable {
  var digests: [RecordDigest] = []
  var blobs: [ObjectID] = []
  var shards: [UInt16] = []
  var names = NameHeap()
  /// Connections only: the ids of each one's two annotations (parent at 2i, child at
  /// 2i + 1); empty names when not known.
  var ends = NameHeap()
  /// Connections only: the shards of those two ids.
  var endShards: [UInt16] = []
  /// Records just read only (the index does not keep them): 128 bits of the SHA-1 of each
  /// id, and of the ids at each connection's ends; for finding ids by hashing.
  var keys: [RecordDigest] = []
  var endKeys: [RecordDigest] = []

  var count: Int { blobs.count }

  mutating func reserve(_ count: Int) {
    digests.reserveCapacity(count)
    blobs.reserveCapacity(count)
    shards.reserveCapacity(count)
    names.reserve(names: count, bytes: count * 24)
  }
}

/// The order of record files in a git tree: by the bytes of `<id>.json`.
enum FileNameOrder {
  private static let suffix: [UInt8] = Array(".json".utf8)

  /// Negative, zero or positive as `a + ".json"` sorts before, with or after `b + ".json"`.
  @inline(__always)
  static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    let common = min(a.count, b.count)
    var index = 0
    while index < common {
      let x = a[index]
      let y = b[index]
      if x != y { return x < y ? -1 : 1 }
      index += 1
    }
    if a.count == b.count { return 0 }
    // One is a prefix of the other: compare the rest, each followed by ".json".
    let aLength = a.count + suffix.count
    let bLength = b.count + suffix.count
    var position = common
    while position < aLength && position < bLength {
      let x = position < a.count ? a[position] : suffix[position - a.count]
      let y = position < b.count ? b[position] : suffix[position - b.count]
      if x != y { return x < y ? -1 : 1 }
      position += 1
    }
    return aLength < bLength ? -1 : 1
  }
}

/// A record id's shard and 128 bits of the SHA-1 it comes from.
struct IDKey {
  var shard: UInt16
  var key: RecordDigest

  init(_ id: String) {
    var id = id
    let sum = id.withUTF8 { GitObjectFormat.sha1(UnsafeRawBufferPointer($0)) }
    shard = UInt16(truncatingIfNeeded: sum.bytes.0 >> 48)
    key = RecordDigest(high: sum.bytes.0, low: sum.bytes.1)
  }
}

/// Record ids, by 128 bits of their SHA-1 (`IDKey`): open addressing, no allocation per id.
struct IDKeySet {
  private var slots: [RecordDigest]
  private let mask: Int

  /// An empty set with room for `capacity` keys (it does not grow past them).
  init(capacity: Int) {
    var size = 16
    while size < capacity * 2 { size *= 2 }
    slots = [RecordDigest](repeating: .none, count: size)
    mask = size - 1
  }

  /// The set of `keys`.
  init<Keys: Sequence>(_ keys: Keys, count: Int) where Keys.Element == RecordDigest {
    self.init(capacity: count)
    for key in keys { insert(key) }
  }

  /// Adds `key` (at most `capacity` keys in all); false when it was there already.
  @discardableResult
  mutating func insert(_ key: RecordDigest) -> Bool {
    let stored = key.isNone ? RecordDigest(high: 0, low: 1) : key
    var slot = Int(truncatingIfNeeded: stored.low) & mask
    while !slots[slot].isNone {
      if slots[slot] == stored { return false }
      slot = (slot + 1) & mask
    }
    slots[slot] = stored
    return true
  }

  func contains(_ key: RecordDigest) -> Bool {
    let wanted = key.isNone ? RecordDigest(high: 0, low: 1) : key
    var slot = Int(truncatingIfNeeded: wanted.low) & mask
    while !slots[slot].isNone {
      if slots[slot] == wanted { return true }
      slot = (slot + 1) & mask
    }
    return false
  }
}

/// The shard of record ids: the first two bytes of the SHA-1 of the id's UTF-8 bytes.
enum Shard {
  static func of(_ id: UnsafeRawBufferPointer) -> UInt16 {
    UInt16(truncatingIfNeeded: GitObjectFormat.sha1(id).bytes.0 >> 48)
  }

  static func of(_ id: String) -> UInt16 {
    var id = id
    return id.withUTF8 { of(UnsafeRawBufferPointer($0)) }
  }

  /// The two directory names of a shard number (`"3f"`, `"a0"`).
  static func directories(_ shard: Int) -> (String, String) {
    (hex(shard >> 8), hex(shard & 0xff))
  }

  static func hex(_ byte: Int) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: [digits[byte >> 4], digits[byte & 0x0f]], as: UTF8.self)
  }

  /// The byte value of a two-digit lowercase hex directory name, nil otherwise.
  static func byte(_ name: String) -> Int? {
    let units = Array(name.utf8)
    guard units.count == 2, let high = nibble(units[0]), let low = nibble(units[1]) else {
      return nil
    }
    return high << 4 | low
  }

  private static func nibble(_ unit: UInt8) -> Int? {
    switch unit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(unit - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(unit - UInt8(ascii: "a")) + 10
    default: return nil
    }
  }
}
