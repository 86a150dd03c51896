import Foundation

/// A temporary file of half-made CSV rows, for exports whose columns are only known after
/// every annotation's values have been seen (all leaf paths, listed paths). The first pass
/// reads each annotation and its values once from the store, makes the fixed cells, and
/// spools them with the values' JSON; the second pass reads the spool front to back. So no
/// blob is read from the store twice, and memory stays bounded whatever the dataset's size.
///
/// The file is unlinked as soon as it is made: it disappears when the export ends, however
/// it ends. Records: fixed-cells length (4 bytes, little-endian), fixed cells, values
/// length (4 bytes; 0 for none), values JSON.
final class CSVSpool {
  private let descriptor: Int32
  private var buffer: [UInt8] = []
  private var pending: [UInt8] = []
  private var reading = false
  private static let bufferSize = 4 << 20

  init() throws {
    var template = Array((NSTemporaryDirectory() + "/annostore-csv-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      throw AnnostoreError(
        .other, "cannot make a temporary file: \(String(cString: strerror(errno)))",
        hint: "Set TMPDIR to a directory with free space.")
    }
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    self.descriptor = descriptor
    buffer.reserveCapacity(Self.bufferSize)
  }

  deinit { close(descriptor) }

  /// Appends one record to `record`, a buffer of records to be spooled together.
  static func appendRecord(fixed: [UInt8], values: [UInt8]?, into record: inout [UInt8]) {
    appendLength(fixed.count, into: &record)
    record.append(contentsOf: fixed)
    appendLength(values?.count ?? 0, into: &record)
    if let values { record.append(contentsOf: values) }
  }

  private static func appendLength(_ length: Int, into bytes: inout [UInt8]) {
    let value = UInt32(length)
    for shift in stride(from: 0, to: 32, by: 8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> shift))
    }
  }

  /// Writes records made by `appendRecord`.
  func write(_ records: [UInt8]) throws {
    buffer.append(contentsOf: records)
    if buffer.count >= Self.bufferSize { try flush() }
  }

  private func flush() throws {
    var offset = 0
    while offset < buffer.count {
      let written = buffer.withUnsafeBytes {
        Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        throw AnnostoreError(
          .other, "cannot write a temporary file: \(String(cString: strerror(errno)))",
          hint: "Set TMPDIR to a directory with free space.")
      }
      offset += written
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// The next records, whole ones only, about `bufferSize` bytes at a time; nil at the end.
  /// Each is (fixed cells, values JSON or nil) as ranges into the returned bytes.
  func nextRecords() throws -> (bytes: [UInt8], records: [(Range<Int>, Range<Int>?)])? {
    if !reading {
      try flush()
      guard lseek(descriptor, 0, SEEK_SET) == 0 else {
        throw AnnostoreError(.other, "cannot read a temporary file back")
      }
      reading = true
    }
    var bytes = pending
    pending = []
    var chunk = [UInt8](repeating: 0, count: Self.bufferSize)
    let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
    guard count >= 0 else {
      throw AnnostoreError(
        .other, "cannot read a temporary file: \(String(cString: strerror(errno)))")
    }
    bytes.append(contentsOf: chunk[..<count])
    if bytes.isEmpty { return nil }
    var records: [(Range<Int>, Range<Int>?)] = []
    var offset = 0
    while true {
      guard let fixedLength = Self.length(bytes, at: offset),
        offset + 4 + fixedLength + 4 <= bytes.count,
        let valuesLength = Self.length(bytes, at: offset + 4 + fixedLength),
        offset + 8 + fixedLength + valuesLength <= bytes.count
      else { break }
      let fixed = offset + 4..<offset + 4 + fixedLength
      let valuesStart = fixed.upperBound + 4
      records.append((fixed, valuesLength > 0 ? valuesStart..<valuesStart + valuesLength : nil))
      offset = valuesStart + valuesLength
    }
    if records.isEmpty, count == 0 {
      throw AnnostoreError(.other, "internal error: a truncated temporary file")
    }
    pending = Array(bytes[offset...])
    bytes.removeSubrange(offset...)
    return (bytes, records)
  }

  private static func length(_ bytes: [UInt8], at offset: Int) -> Int? {
    guard offset + 4 <= bytes.count else { return nil }
    var value = 0
    for index in 0..<4 { value |= Int(bytes[offset + index]) << (8 * index) }
    return value
  }
}
