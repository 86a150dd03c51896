#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns byte offsets into 1-based lines and columns by counting `\n` (with `memchr`, so a
/// minified file of one 700 MB line costs almost nothing).
struct LineCounter {
  /// The line that `countedUpTo` is on.
  private(set) var line = 1
  /// Absolute offset of the first byte of that line.
  private(set) var lineStart = 0
  /// Absolute offset up to which newlines have been counted.
  private(set) var countedUpTo = 0

  /// Counts the newlines in `bytes`, which hold the input from absolute offset
  /// `bytesOffset`, up to absolute offset `target` (never backwards).
  mutating func advance(to target: Int, in bytes: UnsafePointer<UInt8>, bytesOffset: Int) {
    guard target > countedUpTo else { return }
    var cursor = bytes + (countedUpTo - bytesOffset)
    let stop = bytes + (target - bytesOffset)
    while cursor < stop {
      guard let hit = memchr(UnsafeRawPointer(cursor), 0x0A, stop - cursor) else { break }
      let newline = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self))
      line += 1
      lineStart = bytesOffset + (newline - bytes) + 1
      cursor = newline + 1
    }
    countedUpTo = target
  }

  /// Line and column of absolute offset `target` (after `advance(to: target, ...)`).
  func lineAndColumn(of target: Int) -> (line: Int, column: Int) {
    (line, target - lineStart + 1)
  }

  /// Location of `offset` in a complete in-memory input.
  static func location(
    of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, pointer: String
  ) -> JSONLocation {
    var counter = LineCounter()
    if let start = bytes.baseAddress {
      counter.advance(to: min(offset, bytes.count), in: start, bytesOffset: 0)
    }
    let position = counter.lineAndColumn(of: offset)
    return JSONLocation(
      line: position.line, column: position.column, offset: offset, pointer: pointer)
  }
}
