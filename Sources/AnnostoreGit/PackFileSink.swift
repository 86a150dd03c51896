// The background half of PackWriter: compresses batches of objects on every core and
// appends them to a temporary pack file, remembering each entry's id, offset and CRC-32,
// or streams them to a remote.

import Dispatch
import Foundation

/// A temporary pack file being filled by a background queue, or a pack streamed to a
/// remote from that queue.
///
/// Thread safety: `submit`, `seal`, `sealedPack`, `finishStream` and `abandon` are called
/// from the owning PackWriter's thread; everything else in this class (the file or stream,
/// lanes, entry tables, checksum) is touched only by jobs on `queue`, or by the owner after
/// draining `queue` with `queue.sync {}`. `failure` is guarded by `lock`.
final class PackFileSink: @unchecked Sendable {
  /// The pack file; nil for a streamed pack.
  private let file: PosixFile?
  /// Where a streamed pack's bytes go, in order (called on `queue`); nil for a file.
  private let stream: ((UnsafeRawBufferPointer) throws -> Void)?
  /// A streamed pack's object count (its header is sent first) and running checksum.
  private let streamedCount: Int
  private var streamHash = SHA1Stream()
  private let queue = DispatchQueue(label: "annostore.pack-writer", qos: .userInitiated)
  /// Bounds memory: at most this many submitted batches wait or run at once.
  private let slots = DispatchSemaphore(value: 2)
  private let lanes: [PackCompressionLane]
  private let lock = NSLock()
  private var failure: GitError?
  /// Batches written out, emptied for reuse (guarded by `lock`).
  private var spareBatches: [ObjectBatch] = []
  /// Where the next entry goes (after the 12-byte pack header).
  private var offset: UInt64 = 12
  private var ids: [ObjectID] = []
  private var offsets: [UInt64] = []
  private var crcs: [UInt32] = []
  /// Objects a streamed pack has sent (it keeps no entry tables).
  private var streamedEntries = 0
  private var headerSent = false

  /// Where each object is in the pack, in pack order: what its index needs.
  struct Entries {
    var ids: [ObjectID]
    var offsets: [UInt64]
    var crcs: [UInt32]
  }

  /// The pack's checksum, once `seal` has had it computed.
  private var checksum: ObjectID?

  /// Creates `<directory>/tmp_pack_XXXXXX` and writes a pack header with a count of 0
  /// (patched by `seal`).
  init(directory: String) throws {
    let file = try PosixFile.createTemporary(in: directory, prefix: "tmp_pack_")
    self.file = file
    stream = nil
    streamedCount = 0
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    lanes = try (0..<cores).map { _ in try PackCompressionLane() }
    let header: [UInt8] = Array("PACK".utf8) + [0, 0, 0, 2, 0, 0, 0, 0]
    do {
      try header.withUnsafeBytes { try file.write($0) }
    } catch {
      removeFileQuietly(file.path)
      throw error
    }
  }

  /// Streams a pack of exactly `objectCount` objects to `write`, header first (sent by
  /// the first batch's job), the checksum last (`finishStream`).
  init(streamingTo write: @escaping (UnsafeRawBufferPointer) throws -> Void, objectCount: Int)
    throws
  {
    guard objectCount <= Int(UInt32.max) else {
      throw GitError(call: "PackWriter", message: "too many objects for one pack")
    }
    file = nil
    stream = write
    streamedCount = objectCount
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    lanes = try (0..<cores).map { _ in try PackCompressionLane() }
  }

  /// Queues a batch for compression and writing; waits while two batches are in flight.
  /// Throws the error of an earlier batch, if one failed.
  func submit(_ batch: ObjectBatch) throws {
    try rethrowFailure()
    slots.wait()
    queue.async { [self] in
      defer { slots.signal() }
      guard currentFailure() == nil else { return }
      do {
        try process(batch)
      } catch {
        record(error)
      }
      batch.reset()
      lock.lock()
      if spareBatches.count < 2 { spareBatches.append(batch) }
      lock.unlock()
    }
  }

  /// Waits for every batch and patches the object count into the header, then starts
  /// appending the SHA-1 trailer and syncing in the background (see `sealedPack`). Returns
  /// the entries, or nil (and removes the file) when the pack holds no object.
  func seal() throws -> Entries? {
    queue.sync {}
    try rethrowFailure()
    guard let packFile = file else {
      throw GitError(call: "PackWriter.install", message: "a streamed pack has no file")
    }
    guard !ids.isEmpty else {
      abandon()
      return nil
    }
    guard ids.count <= Int(UInt32.max) else {
      throw GitError(call: "PackWriter.install", message: "too many objects for one pack")
    }
    var count = UInt32(ids.count).bigEndian
    try withUnsafeBytes(of: &count) { try packFile.write($0, at: 8) }
    let entries = Entries(ids: ids, offsets: offsets, crcs: crcs)
    ids = []
    offsets = []
    crcs = []
    queue.async { [self] in
      do {
        guard let file else { return }
        let sum = try checksumOfFile()
        try sum.rawBytes.withUnsafeBytes { try file.write($0) }
        try file.setMode(0o444)
        try file.sync()
        try file.close()
        checksum = sum
      } catch {
        record(error)
      }
    }
    return entries
  }

  /// Waits for the work `seal` started; returns the complete, synced, closed pack file
  /// (still under its temporary name) and its checksum.
  func sealedPack() throws -> (file: PosixFile, checksum: ObjectID) {
    queue.sync {}
    try rethrowFailure()
    guard let file, let checksum else {
      throw GitError(call: "PackWriter.install", message: "the pack was not sealed")
    }
    return (file, checksum)
  }

  /// Waits for every batch of a streamed pack, checks the object count, sends the
  /// checksum; returns the bytes sent.
  func finishStream() throws -> Int {
    queue.sync {}
    try rethrowFailure()
    guard let stream else {
      throw GitError(call: "PackWriter.finishStream", message: "not a streamed pack")
    }
    if !headerSent { try streamHeader() }
    guard streamedEntries == streamedCount else {
      throw GitError(
        call: "PackWriter.finishStream",
        message: "\(streamedEntries) objects written, \(streamedCount) announced", kind: .invalid)
    }
    let trailer = streamHash.finish().rawBytes
    try trailer.withUnsafeBytes { try stream($0) }
    return Int(offset) + trailer.count
  }

  /// Waits for running work, then closes and deletes the temporary file.
  func abandon() {
    queue.sync {}
    guard let file else { return }
    try? file.close()
    removeFileQuietly(file.path)
  }

  /// Compresses one batch on all lanes and appends the entries in order.
  private func process(_ batch: ObjectBatch) throws {
    let parts = partition(batch, into: batch.count < 64 ? 1 : lanes.count)
    let lanes = self.lanes
    DispatchQueue.concurrentPerform(iterations: parts.count) { index in
      lanes[index].compress(batch, parts[index])
    }
    if stream != nil && !headerSent { try streamHeader() }
    for (lane, part) in zip(lanes, parts) {
      if let stream {
        streamHash.update(lane.bytes)
        try stream(lane.bytes)
        streamedEntries += part.count
      } else if let file {
        try file.write(lane.bytes)
        for start in lane.entryStarts { offsets.append(offset + UInt64(start)) }
        crcs.append(contentsOf: lane.crcs)
        for index in part { ids.append(batch.objects[index].id) }
      }
      offset += UInt64(lane.used)
    }
  }

  /// Sends a streamed pack's header, with its announced object count.
  private func streamHeader() throws {
    guard let stream else { return }
    var header: [UInt8] = Array("PACK".utf8) + [0, 0, 0, 2]
    header += withUnsafeBytes(of: UInt32(streamedCount).bigEndian) { Array($0) }
    header.withUnsafeBytes { streamHash.update($0) }
    headerSent = true
    try header.withUnsafeBytes { try stream($0) }
  }

  /// Splits `batch` into at most `count` consecutive ranges of about equal content size.
  private func partition(_ batch: ObjectBatch, into count: Int) -> [Range<Int>] {
    guard count > 1 else { return [0..<batch.count] }
    let total = batch.used + 64 * batch.count
    var ranges: [Range<Int>] = []
    var start = 0
    var accumulated = 0
    for (index, object) in batch.objects.enumerated() {
      accumulated += object.count + 64
      if ranges.count < count - 1 && accumulated * count >= total * (ranges.count + 1) {
        ranges.append(start..<(index + 1))
        start = index + 1
      }
    }
    ranges.append(start..<batch.count)
    return ranges
  }

  /// SHA-1 of everything written so far, read back from the file.
  private func checksumOfFile() throws -> ObjectID {
    guard let file else { throw GitError(call: "PackWriter.install", message: "no pack file") }
    var hash = SHA1Stream()
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 16)
    defer { chunk.deallocate() }
    var position: UInt64 = 0
    while true {
      let count = try file.read(into: chunk, at: position)
      if count == 0 { break }
      hash.update(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
      position += UInt64(count)
    }
    guard position == offset else {
      throw GitError(
        call: "PackWriter.install",
        message: "\(file.path): read back \(position) bytes, wrote \(offset)", kind: .invalid)
    }
    return hash.finish()
  }

  private func record(_ error: any Error) {
    let gitError =
      error as? GitError
      ?? GitError(call: "PackWriter", message: "\(error)", kind: .other)
    lock.lock()
    if failure == nil { failure = gitError }
    lock.unlock()
  }

  /// An emptied batch written out before, if there is one (its memory is reused).
  func spareBatch() -> ObjectBatch? {
    lock.lock()
    defer { lock.unlock() }
    return spareBatches.popLast()
  }

  private func currentFailure() -> GitError? {
    lock.lock()
    defer { lock.unlock() }
    return failure
  }

  private func rethrowFailure() throws {
    if let failure = currentFailure() { throw failure }
  }
}
