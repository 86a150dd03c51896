// A whole file mapped read-only into memory, for the pack indexes the object reader
// searches: they are small next to their packs, read at random, and shared by threads.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A read-only, private mapping of one file, unmapped when the owner goes away.
///
/// Unchecked Sendable: the mapping never changes after `init`, only reads go through it,
/// and it is unmapped only by deinit, when no thread can hold the owner any more.
final class MappedFile: @unchecked Sendable {
  /// Where the file was when it was mapped (for messages).
  let path: String
  /// The mapped bytes (nil base for an empty file).
  let bytes: UnsafeRawBufferPointer

  /// Maps all of the file at `path`.
  init(path: String) throws {
    self.path = path
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw PosixFile.error("open", path) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw PosixFile.error("fstat", path) }
    let size = Int(status.st_size)
    guard size > 0 else {
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
    guard let address, address != MAP_FAILED else { throw PosixFile.error("mmap", path) }
    bytes = UnsafeRawBufferPointer(start: address, count: size)
  }

  deinit {
    if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
  }

  /// The big-endian 32-bit integer at `offset` (which must leave 4 bytes).
  func uint32(at offset: Int) -> UInt32 {
    UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  /// The big-endian 64-bit integer at `offset` (which must leave 8 bytes).
  func uint64(at offset: Int) -> UInt64 {
    UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }
}
