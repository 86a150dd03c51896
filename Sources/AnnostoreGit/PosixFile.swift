// A thin owner of a POSIX file descriptor for the pack and index writers: full writes,
// positioned reads and writes, fsync, and errors as GitErrors naming the file.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One open file, closed exactly once (by `close()` or, failing that, by deinit).
final class PosixFile {
  /// Where the file currently lives.
  private(set) var path: String
  private var descriptor: Int32

  private init(path: String, descriptor: Int32) {
    self.path = path
    self.descriptor = descriptor
  }

  deinit {
    if descriptor >= 0 { _ = systemClose(descriptor) }
  }

  /// Creates a new, empty, uniquely named file `<directory>/<prefix>XXXXXX`.
  static func createTemporary(in directory: String, prefix: String) throws -> PosixFile {
    var template = Array("\(directory)/\(prefix)XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      throw PosixFile.error("mkstemp", "\(directory)/\(prefix)XXXXXX")
    }
    let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return PosixFile(path: path, descriptor: descriptor)
  }

  /// Opens an existing directory so that it can be fsync'ed after renames inside it.
  static func openDirectory(_ path: String) throws -> PosixFile {
    let descriptor = systemOpen(path, O_RDONLY | O_DIRECTORY)
    guard descriptor >= 0 else { throw PosixFile.error("open", path) }
    return PosixFile(path: path, descriptor: descriptor)
  }

  /// Appends all of `bytes` at the current position.
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    var done = 0
    while done < bytes.count {
      let written = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
      if written < 0 {
        if errno == EINTR { continue }
        throw PosixFile.error("write", path)
      }
      done += written
    }
  }

  /// Overwrites bytes at `offset` without moving the append position.
  func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws {
    var done = 0
    while done < bytes.count {
      let written = pwrite(
        descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
      if written < 0 {
        if errno == EINTR { continue }
        throw PosixFile.error("pwrite", path)
      }
      done += written
    }
  }

  /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (0 at the end).
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws -> Int {
    while true {
      let count = pread(descriptor, buffer.baseAddress!, buffer.count, off_t(offset))
      if count >= 0 { return count }
      if errno != EINTR { throw PosixFile.error("pread", path) }
    }
  }

  /// Sets the permission bits (packs and indexes are read-only, as git makes them).
  func setMode(_ mode: mode_t) throws {
    guard fchmod(descriptor, mode) == 0 else { throw PosixFile.error("fchmod", path) }
  }

  /// Forces the file's data to disk.
  func sync() throws {
    guard fsync(descriptor) == 0 else { throw PosixFile.error("fsync", path) }
  }

  /// Closes the descriptor now (later calls do nothing).
  func close() throws {
    guard descriptor >= 0 else { return }
    let result = systemClose(descriptor)
    descriptor = -1
    guard result == 0 else { throw PosixFile.error("close", path) }
  }

  /// Renames the file to `newPath` (atomically replacing anything there).
  func rename(to newPath: String) throws {
    guard systemRename(path, newPath) == 0 else {
      throw PosixFile.error("rename", "\(path) -> \(newPath)")
    }
    path = newPath
  }

  /// The GitError for the failed system call `call` on `path`, with errno's text.
  static func error(_ call: String, _ path: String) -> GitError {
    let code = errno
    let text = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
    let kind: GitError.Kind = code == ENOENT ? .notFound : (code == EEXIST ? .exists : .other)
    return GitError(call: call, message: "\(path): \(text)", kind: kind)
  }
}

/// Removes a file if it exists; errors are ignored (used for clean-up only).
func removeFileQuietly(_ path: String) {
  _ = unlink(path)
}

private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}
