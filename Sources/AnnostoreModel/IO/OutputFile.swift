import Foundation

/// A buffered byte sink for large outputs: standard output, or a file that appears under
/// its name only when complete (written beside it, then renamed), so a failed export never
/// leaves a truncated file behind.
public final class OutputFile {
  private let descriptor: Int32
  private let finalPath: String?
  private let temporaryPath: String?
  /// Whether the descriptor was opened here and must be closed (not standard output).
  private var ownsDescriptor = false
  private var buffer: [UInt8] = []
  private let capacity = 1 << 20
  private var finished = false

  /// Standard output.
  public init() {
    descriptor = 1
    finalPath = nil
    temporaryPath = nil
    buffer.reserveCapacity(capacity)
  }

  /// A file at `path`, replaced only when `finish()` succeeds. A path that names something
  /// other than a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is written to
  /// directly: renaming a file over it would replace the device or pipe itself.
  public init(path: String) throws {
    var status = stat()
    if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG,
      status.st_mode & S_IFMT != S_IFDIR
    {
      let descriptor = open(path, O_WRONLY)
      guard descriptor >= 0 else {
        throw OutputFileError(path: path, message: String(cString: strerror(errno)))
      }
      self.descriptor = descriptor
      finalPath = nil
      temporaryPath = nil
      ownsDescriptor = true
      buffer.reserveCapacity(capacity)
      return
    }
    let directory = (path as NSString).deletingLastPathComponent
    let base = (path as NSString).lastPathComponent
    let temporary =
      (directory.isEmpty ? "." : directory) + "/.\(base).annostore-\(getpid()).tmp"
    let descriptor = open(temporary, O_CREAT | O_TRUNC | O_WRONLY, 0o644)
    guard descriptor >= 0 else {
      throw OutputFileError(path: path, message: String(cString: strerror(errno)))
    }
    self.descriptor = descriptor
    finalPath = path
    temporaryPath = temporary
    ownsDescriptor = true
    buffer.reserveCapacity(capacity)
  }

  /// Appends bytes.
  public func write(_ bytes: [UInt8]) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= capacity { try flush() }
  }

  /// Appends part of a byte array.
  public func write(_ bytes: ArraySlice<UInt8>) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= capacity { try flush() }
  }

  /// Appends a string's UTF-8 bytes.
  public func write(_ text: String) throws {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= capacity { try flush() }
  }

  /// Writes out what is buffered.
  public func flush() throws {
    var offset = 0
    while offset < buffer.count {
      let written = buffer.withUnsafeBytes {
        Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        throw OutputFileError(
          path: finalPath ?? "standard output", message: String(cString: strerror(errno)))
      }
      offset += written
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes and, for a file, moves it into place.
  public func finish() throws {
    try flush()
    finished = true
    guard let finalPath, let temporaryPath else {
      if ownsDescriptor {
        ownsDescriptor = false
        close(descriptor)
      }
      return
    }
    guard fsync(descriptor) == 0, close(descriptor) == 0,
      rename(temporaryPath, finalPath) == 0
    else {
      let message = String(cString: strerror(errno))
      unlink(temporaryPath)
      throw OutputFileError(path: finalPath, message: message)
    }
  }

  deinit {
    if !finished, let temporaryPath {
      close(descriptor)
      unlink(temporaryPath)
    } else if ownsDescriptor, temporaryPath == nil {
      close(descriptor)
    }
  }
}

/// An output file that could not be written.
public struct OutputFileError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var message: String
  public var description: String { "cannot write \(path): \(message)" }
}
