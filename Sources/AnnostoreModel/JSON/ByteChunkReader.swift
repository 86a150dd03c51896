#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file front to back into one reusable buffer.
///
/// Unconsumed bytes (from `start` to `end`) are moved to the front before each read, so a
/// value cut by a chunk boundary is whole after the next refill; the buffer only grows when
/// a single value is larger than it. Newlines of discarded bytes are counted on the way out
/// so that any later offset still has a line and column.
///
/// A regular file is mapped into memory instead: the buffer is the whole file, a refill
/// only moves `end` on by a chunk (so values are cut at the same places) and nothing is
/// copied; pages well behind `start` are given back as reading goes (they stay in the
/// page cache), so that memory stays bounded.
final class ByteChunkReader {
  let path: String
  /// Bytes asked of the operating system per read.
  let chunkSize: Int
  private let descriptor: Int32
  private(set) var buffer: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int
  /// First byte not consumed yet.
  var start = 0
  /// End of the bytes read into the buffer.
  private(set) var end = 0
  /// Absolute file offset of `buffer[0]`.
  private(set) var bufferOffset = 0
  /// True once a read returned 0 bytes.
  private(set) var isAtEndOfFile = false
  /// Absolute file offset of `start` (buffer indices change when the buffer is refilled).
  var absoluteOffset: Int { bufferOffset + start }
  /// Total bytes read from the file so far.
  private(set) var bytesRead = 0
  /// Lines of the bytes before `countedUpTo`.
  private(set) var lines = LineCounter()
  private let progress: ((Int) -> Void)?
  private var reportedAt = 0
  /// The file's size when it is mapped (nil when read with `read`).
  private let mappedSize: Int?
  /// Mapped bytes before this offset were given back.
  private var releasedUpTo = 0
  /// Bytes read past before they are given back.
  static let releaseInterval = 32 << 20
  /// Bytes between two progress calls.
  static let progressInterval = 4 << 20

  init(path: String, chunkSize: Int, progress: ((Int) -> Void)?) throws(ExportFileError) {
    self.path = path
    self.chunkSize = max(chunkSize, 1)
    self.progress = progress
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw ExportFileError(path: path, message: "cannot open the file: \(Self.errorText())")
    }
    var status = stat()
    if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
      close(descriptor)
      throw ExportFileError(path: path, message: "is a directory, not an export file")
    }
    self.descriptor = descriptor
    let size = Int(status.st_size)
    if (status.st_mode & S_IFMT) == S_IFREG && size > 0,
      let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0),
      address != UnsafeMutableRawPointer(bitPattern: -1)
    {
      _ = madvise(address, size, MADV_SEQUENTIAL)
      mappedSize = size
      capacity = size
      buffer = address.assumingMemoryBound(to: UInt8.self)
    } else {
      mappedSize = nil
      capacity = self.chunkSize
      buffer = .allocate(capacity: capacity)
    }
  }

  deinit {
    close(descriptor)
    if let mappedSize {
      munmap(buffer, mappedSize)
    } else {
      buffer.deallocate()
    }
  }

  static func errorText() -> String {
    String(cString: strerror(errno))
  }

  /// Reads more bytes, keeping those from `start` on (moved to the front of the buffer).
  /// Returns false, and sets `isAtEndOfFile`, when the file has no more bytes.
  func refill() throws(ExportFileError) -> Bool {
    if isAtEndOfFile { return false }
    if let mappedSize { return refillMapped(size: mappedSize) }
    if start > 0 {
      lines.advance(to: bufferOffset + start, in: buffer, bytesOffset: bufferOffset)
      let kept = end - start
      if kept > 0 { memmove(buffer, buffer + start, kept) }
      bufferOffset += start
      end = kept
      start = 0
    }
    if end == capacity { grow() }
    while true {
      let count = read(descriptor, buffer + end, min(chunkSize, capacity - end))
      if count < 0 {
        if errno == EINTR { continue }
        throw ExportFileError(path: path, message: "cannot read the file: \(Self.errorText())")
      }
      if count == 0 {
        isAtEndOfFile = true
        return false
      }
      took(count)
      return true
    }
  }

  /// `refill` of a mapped file: the next chunk is already there.
  private func refillMapped(size: Int) -> Bool {
    if start - releasedUpTo >= Self.releaseInterval {
      // Newlines are counted before the bytes are given back (they can be read again).
      lines.advance(to: start, in: buffer, bytesOffset: 0)
      let page = Int(sysconf(Int32(_SC_PAGESIZE)))
      let upTo = start / page * page
      if upTo > releasedUpTo {
        _ = madvise(buffer + releasedUpTo, upTo - releasedUpTo, MADV_DONTNEED)
        releasedUpTo = upTo
      }
    }
    guard end < size else {
      isAtEndOfFile = true
      return false
    }
    took(min(chunkSize, size - end))
    return true
  }

  /// Counts `count` more bytes as read into the buffer, reporting progress now and then.
  private func took(_ count: Int) {
    end += count
    bytesRead += count
    if let progress, bytesRead - reportedAt >= Self.progressInterval {
      reportedAt = bytesRead
      progress(bytesRead)
    }
  }

  /// Doubles the buffer (a single value is larger than it).
  private func grow() {
    let newCapacity = capacity * 2
    let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBuffer.update(from: buffer, count: end)
    buffer.deallocate()
    buffer = newBuffer
    capacity = newCapacity
  }

  /// Reports the final byte count to the progress callback.
  func reportFinalProgress() {
    if let progress, reportedAt != bytesRead {
      reportedAt = bytesRead
      progress(bytesRead)
    }
  }

  /// The location of buffer index `index`; locations must be asked for in file order.
  func location(ofBufferIndex index: Int, pointer: String) -> JSONLocation {
    let absolute = bufferOffset + index
    lines.advance(to: absolute, in: buffer, bytesOffset: bufferOffset)
    let position = lines.lineAndColumn(of: absolute)
    return JSONLocation(
      line: position.line, column: position.column, offset: absolute, pointer: pointer)
  }
}
