import AnnostoreGit
import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The ingest index of a dataset: a cache beside the repository
/// (`<store>/annostore-cache/<dataset>.idx` and one file per kind of records) that
/// describes one dataset tree record by record, so that the next commit of an export
/// recognises unchanged records by a digest of their bytes instead of parsing them, and
/// rebuilds only the trees of shards that changed.
///
/// Like git's index it is derived data: safe to delete (the next commit reads the trees
/// instead and writes a new one), ignored unless its head describes exactly the dataset
/// tree of the revision being committed onto, checked by a CRC-32, written to
/// temporary files and renamed into place. It is never needed for correctness.
///
/// The head `<dataset>.idx` names the dataset tree and a generation; each kind file
/// `<dataset>.<kind>.idx` has the generation of the head it belongs to, so that kind files
/// can be written while the commit is still being made and put in place with it.
///
/// Layout of a kind file (little-endian): magic `ANNOIDX` + format byte, version, kind, the
/// generation, the kind's record count and tree, then its columns (digests, blob ids,
/// shards, names, connection end names and shards, leaf trees, first-level trees); a
/// CRC-32 of all of it last. Names are 12 bytes each when all are 24 hex digits.
enum IngestIndex {
  static let magic: [UInt8] = Array("ANNOIDX".utf8) + [4]
  /// Bumped whenever what a digest stands for changes (checks, canonical form, layout).
  static let version: UInt32 = 1

  /// Where the head of the index of `dataset` lives: the dataset tree it describes and the
  /// generation its kind files must have.
  static func headPath(storePath: String, dataset: String) -> String {
    "\(storePath)/annostore-cache/\(dataset).idx"
  }

  /// Where the index of one kind of `dataset` lives in the store at `storePath`.
  static func path(storePath: String, dataset: String, kind: RecordKind) -> String {
    "\(storePath)/annostore-cache/\(dataset).\(kind.rawValue).idx"
  }

  /// The kinds of `dataset` as the index describes them (loaded in parallel), or nil when
  /// there is no usable index for the dataset tree `tree` (a file missing, of another tree
  /// or generation, damaged, or of another version).
  static func load(storePath: String, dataset: String, tree: ObjectID) -> [KindState]? {
    guard let generation = loadHead(headPath(storePath: storePath, dataset: dataset), tree)
    else { return nil }
    let box = LoadedKinds()
    let kinds = RecordKind.allCases
    DispatchQueue.concurrentPerform(iterations: kinds.count) { position in
      let kind = kinds[position]
      box.set(
        position,
        load(path(storePath: storePath, dataset: dataset, kind: kind), kind, generation))
    }
    return box.all
  }

  /// The generation of the head at `path` when it describes the dataset tree `tree`.
  private static func loadHead(_ path: String, _ tree: ObjectID) -> UInt64? {
    checked(path) { reader in
      guard try reader.bytes(magic.count).elementsEqual(magic),
        try reader.integer(UInt32.self) == version,
        try reader.integer(UInt8.self) == 0,
        try reader.objectID() == tree
      else { return nil }
      let generation = try reader.integer(UInt64.self)
      return reader.isAtEnd ? generation : nil
    }
  }

  private static func load(_ path: String, _ kind: RecordKind, _ generation: UInt64)
    -> KindState?
  {
    checked(path) { reader in
      guard try reader.bytes(magic.count).elementsEqual(magic),
        try reader.integer(UInt32.self) == version,
        try reader.integer(UInt8.self) == kind.tag,
        try reader.integer(UInt64.self) == generation
      else { return nil }
      let state = try readKind(kind, from: &reader)
      return reader.isAtEnd ? state : nil
    }
  }

  /// `read` applied to the file at `path` when its CRC-32 is right; nil otherwise.
  private static func checked<T>(_ path: String, _ read: (inout IndexReader) throws -> T?) -> T? {
    guard let file = MappedFile(path) else { return nil }
    defer { file.close() }
    let raw = file.bytes
    guard raw.count > 4 else { return nil }
    let body = UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 4)])
    let stored = raw.loadUnaligned(fromByteOffset: raw.count - 4, as: UInt32.self)
    guard UInt32(littleEndian: stored) == Checksum.crc32(body) else { return nil }
    var reader = IndexReader(body)
    return (try? read(&reader)) ?? nil
  }

  /// The records of one kind to write: `order` picks each one, in order, from `old`
  /// (>= 0) or from `new` (`~i`).
  struct Source: Sendable {
    let kind: RecordKind
    let tree: ObjectID?
    let leaves: [ObjectID]
    let middles: [ObjectID]
    let old: RecordColumns
    let new: RecordColumns
    let order: [Int32]
  }

  /// Writes the index file of one kind under a temporary name; returns that name, nil when
  /// it could not be written. `generation` ties it to its head (`install`).
  static func writeKind(
    storePath: String, dataset: String, generation: UInt64, _ source: Source
  ) -> String? {
    let directory = "\(storePath)/annostore-cache"
    if access(directory, F_OK) != 0 { mkdir(directory, 0o755) }
    let target = path(storePath: storePath, dataset: dataset, kind: source.kind)
    let temporary = "\(target).tmp-\(getpid())"
    guard let file = ChunkedFile(creating: temporary) else { return nil }
    file.append(magic)
    file.integer(version)
    file.integer(source.kind.tag)
    file.integer(generation)
    writeKind(source, to: file)
    if file.finish() { return temporary }
    unlink(temporary)
    return nil
  }

  /// Puts kind files written by `writeKind` in place, then the head naming the dataset tree
  /// `tree` they describe (last, so that a head never names kind files not all in place).
  /// With a kind missing, removes the head instead.
  static func install(
    storePath: String, dataset: String, generation: UInt64, tree: ObjectID,
    kinds: [RecordKind: String]
  ) {
    let head = headPath(storePath: storePath, dataset: dataset)
    guard kinds.count == RecordKind.allCases.count,
      kinds.allSatisfy({
        rename($0.value, path(storePath: storePath, dataset: dataset, kind: $0.key)) == 0
      })
    else {
      unlink(head)
      for temporary in kinds.values { unlink(temporary) }
      return
    }
    let temporary = "\(head).tmp-\(getpid())"
    guard let file = ChunkedFile(creating: temporary) else { return }
    file.append(magic)
    file.integer(version)
    file.integer(UInt8(0))
    file.objectID(tree)
    file.integer(generation)
    if file.finish() && rename(temporary, head) == 0 { return }
    unlink(temporary)
  }

  /// Removes the index of `dataset`.
  static func remove(storePath: String, dataset: String) {
    unlink(headPath(storePath: storePath, dataset: dataset))
    for kind in RecordKind.allCases {
      unlink(path(storePath: storePath, dataset: dataset, kind: kind))
    }
  }

  // MARK: Kinds

  private static func writeKind(_ source: Source, to file: ChunkedFile) {
    let order = source.order
    let isConnection = source.kind == .connections
    /// The value of a column for each record written, from the old or the new records.
    @inline(__always) func pick<T>(_ old: [T], _ new: [T], _ value: Int32) -> T {
      value >= 0 ? old[Int(value)] : new[Int(~value)]
    }
    file.integer(UInt64(order.count))
    file.objectID(source.tree ?? .zero)
    let (oldDigests, newDigests) = (source.old.digests, source.new.digests)
    for value in order {
      let digest = pick(oldDigests, newDigests, value)
      file.integer(digest.high)
      file.integer(digest.low)
    }
    let (oldBlobs, newBlobs) = (source.old.blobs, source.new.blobs)
    for value in order { file.objectID(pick(oldBlobs, newBlobs, value)) }
    let (oldShards, newShards) = (source.old.shards, source.new.shards)
    for value in order { file.integer(pick(oldShards, newShards, value)) }
    writeNames(order, 1, source.old.names, source.new.names, to: file)
    if isConnection {
      writeNames(order, 2, source.old.ends, source.new.ends, to: file)
      let (oldEndShards, newEndShards) = (source.old.endShards, source.new.endShards)
      for value in order {
        let record = Int(value >= 0 ? value : ~value)
        let shards = value >= 0 ? oldEndShards : newEndShards
        file.integer(shards[2 * record])
        file.integer(shards[2 * record + 1])
      }
    }
    for leaf in source.leaves { file.objectID(leaf) }
    for middle in source.middles { file.objectID(middle) }
  }

  /// Names stored as 12 bytes when every one is 24 lowercase hex digits (MongoDB ObjectIds,
  /// NimbusImage's ids), else as end offsets and bytes.
  private enum NameFormat: UInt8 {
    case plain = 0
    case hex24 = 1
  }

  /// Writes `perRecord` names of each record of `order` (from `old` or `new`) as a column.
  private static func writeNames(
    _ order: [Int32], _ perRecord: Int, _ old: NameHeap, _ new: NameHeap, to file: ChunkedFile
  ) {
    old.bytes.withUnsafeBytes { oldHeap in
      new.bytes.withUnsafeBytes { newHeap in
        old.ends.withUnsafeBufferPointer { oldEnds in
          new.ends.withUnsafeBufferPointer { newEnds in
            @inline(__always) func forEachName(_ body: (UnsafeRawBufferPointer) -> Void) {
              for value in order {
                let isOld = value >= 0
                let heap = isOld ? oldHeap : newHeap
                let ends = isOld ? oldEnds : newEnds
                let first = perRecord * Int(isOld ? value : ~value)
                var start = first == 0 ? 0 : Int(ends[first - 1])
                for which in 0..<perRecord {
                  let end = Int(ends[first + which])
                  body(UnsafeRawBufferPointer(rebasing: heap[start..<end]))
                  start = end
                }
              }
            }
            var total = 0
            var allHex = true
            forEachName { name in
              total += name.count
              if allHex && !isHex24(name) { allHex = false }
            }
            file.integer((allHex ? NameFormat.hex24 : .plain).rawValue)
            if allHex {
              forEachName { name in
                let packed = file.reserve(12)
                for word in 0..<3 {
                  let four = packHex8(name.loadUnaligned(fromByteOffset: 8 * word, as: UInt64.self))
                  UnsafeMutableRawPointer(packed + 4 * word).storeBytes(of: four, as: UInt32.self)
                }
              }
              return
            }
            file.integer(UInt64(total))
            var end: UInt32 = 0
            forEachName { name in
              end += UInt32(name.count)
              file.integer(end)
            }
            forEachName { file.append($0) }
          }
        }
      }
    }
  }

  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let highs: UInt64 = 0x8080_8080_8080_8080

  /// Bit 7 of each byte of `word` set when that byte lies in `low...high` (both below
  /// 0x80), eight bytes at a time.
  @inline(__always)
  private static func bytesIn(_ word: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
    // Bit 7 set where byte >= low: (byte | 0x80) - low keeps it.
    let atLeastLow = (word | highs) &- (ones &* UInt64(low))
    // Bit 7 set where byte > high: (byte & 0x7f) + (0x7f - high) reaches it.
    let aboveHigh = (word & ~highs) &+ (ones &* UInt64(0x7f - high))
    return atLeastLow & ~aboveHigh & ~word & highs
  }

  @inline(__always)
  private static func isHex24(_ name: UnsafeRawBufferPointer) -> Bool {
    guard name.count == 24 else { return false }
    for word in 0..<3 {
      let bytes = name.loadUnaligned(fromByteOffset: 8 * word, as: UInt64.self)
      let hex = bytesIn(bytes, 0x30, 0x39) | bytesIn(bytes, 0x61, 0x66)
      if hex != highs { return false }
    }
    return true
  }

  /// Eight lowercase hex digits (little-endian word, first digit lowest) as four bytes, the
  /// first digit in the high nibble of the first byte.
  @inline(__always)
  private static func packHex8(_ word: UInt64) -> UInt32 {
    // '0'-'9' are 0x30-0x39 and 'a'-'f' 0x61-0x66: the low nibble, plus 9 for letters.
    let letters = (word >> 6) & ones
    let nibbles = (word & 0x0F0F_0F0F_0F0F_0F0F) &+ letters &* 9
    // Each byte pair (even: high digit, odd: low digit) becomes one byte.
    let pairs = ((nibbles & 0x000F_000F_000F_000F) << 4) | ((nibbles >> 8) & 0x000F_000F_000F_000F)
    // Gather the low byte of each 16-bit lane.
    var packed: UInt64 = pairs & 0xFF
    packed |= (pairs >> 8) & 0xFF00
    packed |= (pairs >> 16) & 0xFF_0000
    packed |= (pairs >> 24) & 0xFF00_0000
    return UInt32(truncatingIfNeeded: packed)
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// Reads a column of `count` names written by `writeNames`.
  private static func readNames(_ count: Int, from reader: inout IndexReader) throws -> NameHeap {
    switch NameFormat(rawValue: try reader.integer(UInt8.self)) {
    case .hex24:
      let packed = try reader.bytes(12 * count)
      let bytes = [UInt8](unsafeUninitializedCapacity: 24 * count) { buffer, initialized in
        for index in 0..<(12 * count) {
          let byte = packed[index]
          buffer[2 * index] = hexDigits[Int(byte >> 4)]
          buffer[2 * index + 1] = hexDigits[Int(byte & 0x0f)]
        }
        initialized = 24 * count
      }
      let ends = [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
        for index in 0..<count { buffer[index] = UInt32(24 * (index + 1)) }
        initialized = count
      }
      return NameHeap(bytes: bytes, ends: ends)
    case .plain:
      let total = try reader.count()
      let ends = try reader.ends(count, total: total)
      return NameHeap(bytes: try reader.copy(total, of: UInt8.self), ends: ends)
    case nil:
      throw IndexReader.Damaged()
    }
  }

  private static func readKind(_ kind: RecordKind, from reader: inout IndexReader) throws
    -> KindState
  {
    var state = KindState(kind: kind)
    let count = try reader.count()
    let tree = try reader.objectID()
    state.tree = tree.isZero ? nil : tree
    guard count < Int(UInt32.max) / 4 else { throw IndexReader.Damaged() }
    var records = RecordColumns()
    records.digests = try reader.copy(count, of: RecordDigest.self)
    records.blobs = try reader.objectIDs(count)
    records.shards = try reader.copy(count, of: UInt16.self)
    if !kind.isSharded {
      guard records.shards.allSatisfy({ $0 == 0 }) else { throw IndexReader.Damaged() }
    }
    records.names = try readNames(count, from: &reader)
    if kind == .connections {
      records.ends = try readNames(2 * count, from: &reader)
      records.endShards = try reader.copy(2 * count, of: UInt16.self)
    }
    state.records = records
    state.leaves = try reader.objectIDs(kind.shardCount)
    state.middles = try reader.objectIDs(kind.isSharded ? 256 : 0)
    state.buildDigestTable()
    state.hasDigests = true
    state.groupByShard()
    return state
  }
}

extension KindAssembly {
  /// The records as the ingest index keeps them: in file order (the old order for a kind
  /// the export did not carry), without the dropped ones.
  var indexSource: IngestIndex.Source {
    var order: [Int32] = []
    order.reserveCapacity(items.count - droppedCount)
    for (item, value) in items.enumerated() where !dropped[item] { order.append(value) }
    return IngestIndex.Source(
      kind: kind, tree: tree, leaves: leaves, middles: middles, old: old.records, new: misses,
      order: order)
  }
}

/// The kinds loaded by parallel workers.
private final class LoadedKinds: @unchecked Sendable {
  private let lock = NSLock()
  private var kinds = [KindState?](repeating: nil, count: RecordKind.allCases.count)

  func set(_ position: Int, _ state: KindState?) {
    lock.lock()
    kinds[position] = state
    lock.unlock()
  }

  /// All of them, nil when one is missing.
  var all: [KindState]? {
    lock.lock()
    defer { lock.unlock() }
    let loaded = kinds.compactMap { $0 }
    return loaded.count == kinds.count ? loaded : nil
  }
}

/// A file mapped into memory, read-only.
private final class MappedFile {
  let bytes: UnsafeRawBufferPointer

  init?(_ path: String) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { closeDescriptor(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
    let size = Int(status.st_size)
    guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0),
      address != UnsafeMutableRawPointer(bitPattern: -1)
    else { return nil }
    bytes = UnsafeRawBufferPointer(start: address, count: size)
  }

  func close() {
    munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
  }
}

/// `close(2)`, under a name `MappedFile.close` does not hide.
private func closeDescriptor(_ descriptor: Int32) {
  close(descriptor)
}

/// Reads the index's fields in order, refusing to read past the end.
private struct IndexReader {
  struct Damaged: Error {}

  private let bytes: UnsafeRawBufferPointer
  private var position = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  var isAtEnd: Bool { position == bytes.count }

  mutating func bytes(_ count: Int) throws -> UnsafeRawBufferPointer {
    guard count >= 0, bytes.count - position >= count else { throw Damaged() }
    defer { position += count }
    return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
  }

  mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
    let size = MemoryLayout<T>.size
    guard bytes.count - position >= size else { throw Damaged() }
    defer { position += size }
    return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
  }

  mutating func count() throws -> Int {
    let value = try integer(UInt64.self)
    guard value <= UInt64(bytes.count) else { throw Damaged() }
    return Int(value)
  }

  /// `count` values stored as their in-memory bytes (little-endian integers, or digests:
  /// two of them).
  mutating func copy<T>(_ count: Int, of type: T.Type) throws -> [T] {
    let size = MemoryLayout<T>.stride * count
    let source = try bytes(size)
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      if size > 0 {
        UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(
          from: source.baseAddress!, byteCount: size)
      }
      initialized = count
    }
  }

  /// An id from its 20 bytes in git's order.
  mutating func objectID() throws -> ObjectID {
    let raw = try bytes(20)
    return Self.objectID(raw, at: 0)
  }

  mutating func objectIDs(_ count: Int) throws -> [ObjectID] {
    let raw = try bytes(20 * count)
    return [ObjectID](unsafeUninitializedCapacity: count) { buffer, initialized in
      for index in 0..<count {
        (buffer.baseAddress! + index).initialize(to: Self.objectID(raw, at: 20 * index))
      }
      initialized = count
    }
  }

  private static func objectID(_ raw: UnsafeRawBufferPointer, at offset: Int) -> ObjectID {
    ObjectID(
      bytes: (
        UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
        UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)),
        UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self))
      ))
  }

  /// `count` end offsets, non-decreasing, the last equal to `total`.
  mutating func ends(_ count: Int, total: Int) throws -> [UInt32] {
    let ends = try copy(count, of: UInt32.self)
    var previous: UInt32 = 0
    for end in ends {
      guard end >= previous, Int(end) <= total else { throw Damaged() }
      previous = end
    }
    guard Int(ends.last ?? 0) == total else { throw Damaged() }
    return ends
  }
}

/// Writes a file through a buffer, keeping a CRC-32 of everything written; `finish`
/// appends the CRC, syncs nothing (a cache), and closes.
private final class ChunkedFile {
  private let descriptor: Int32
  private let buffer: UnsafeMutableRawPointer
  private let capacity = 4 << 20
  // Used by one thread only: no run-time access checks.
  @exclusivity(unchecked) private var used = 0
  @exclusivity(unchecked) private var crc: UInt32 = 0
  @exclusivity(unchecked) private var failed = false

  init?(creating path: String) {
    descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return nil }
    buffer = .allocate(byteCount: capacity, alignment: 16)
  }

  deinit { buffer.deallocate() }

  @inline(__always)
  func append(_ bytes: UnsafeRawBufferPointer) {
    if capacity - used < bytes.count {
      flush()
      if bytes.count > capacity {
        writeOut(bytes)
        return
      }
    }
    if let source = bytes.baseAddress, bytes.count > 0 {
      (buffer + used).copyMemory(from: source, byteCount: bytes.count)
      used += bytes.count
    }
  }

  func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

  @inline(__always)
  func integer<T: FixedWidthInteger>(_ value: T) {
    let size = MemoryLayout<T>.size
    if capacity - used < size { flush() }
    (buffer + used).storeBytes(of: value.littleEndian, as: T.self)
    used += size
  }

  /// Room for `count` (at most 4 MiB) bytes to be filled in at once.
  @inline(__always)
  func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
    if capacity - used < count { flush() }
    let place = (buffer + used).assumingMemoryBound(to: UInt8.self)
    used += count
    return place
  }

  /// An id as its 20 bytes in git's order.
  @inline(__always)
  func objectID(_ id: ObjectID) {
    if capacity - used < 20 { flush() }
    (buffer + used).storeBytes(of: id.bytes.0.bigEndian, as: UInt64.self)
    (buffer + used + 8).storeBytes(of: id.bytes.1.bigEndian, as: UInt64.self)
    (buffer + used + 16).storeBytes(of: id.bytes.2.bigEndian, as: UInt32.self)
    used += 20
  }

  private func flush() {
    writeOut(UnsafeRawBufferPointer(start: buffer, count: used))
    used = 0
  }

  private func writeOut(_ bytes: UnsafeRawBufferPointer) {
    guard !failed, bytes.count > 0 else { return }
    crc = Checksum.crc32(bytes, continuing: crc)
    var done = 0
    while done < bytes.count {
      let count = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
      if count <= 0 {
        failed = true
        return
      }
      done += count
    }
  }

  /// Writes the CRC-32 and closes; false when anything failed.
  func finish() -> Bool {
    flush()
    let sum = crc
    integer(sum)
    flush()
    return close(descriptor) == 0 && !failed
  }
}
