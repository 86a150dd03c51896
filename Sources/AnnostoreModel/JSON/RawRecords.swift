/// Records handed over as raw bytes: `RecordSpanScanner` finds where each ends, nothing is
/// parsed (`ExportReader.scan`).
enum RawRecords: ExportRecordHandler {
  static func sectionStart(_ section: ExportSection) -> ExportRawEvent { .sectionStart(section) }
  static func sectionEnd(_ section: ExportSection) -> ExportRawEvent { .sectionEnd(section) }

  @inline(__always)
  static func record(
    _ section: ExportSection, index: Int, key: String?, pointer: () -> String,
    in parser: inout ExportStreamParser
  ) throws -> ExportRawEvent {
    let first = try parser.scanRecord(pointer: pointer)
    let input = parser.input
    let bytes = UnsafeRawBufferPointer(start: input.buffer + first, count: input.start - first)
    return .record(
      RawExportRecord(
        section: section, index: index, key: key, bytes: bytes,
        offset: input.bufferOffset + first))
  }
}

extension ExportStreamParser {
  /// Finds the end of the record whose `{` is at `input.start`, refilling (the buffer grows
  /// for a record larger than it) until it is whole; returns the buffer index of its first
  /// byte and leaves `start` after its last.
  ///
  /// When the file ends inside the record, the record's bytes are parsed as `read` parses
  /// them, so that the error is the one `read` reports (usually "unexpected end of input",
  /// with the same location and pointer; or an earlier error inside the record).
  mutating func scanRecord(pointer: () -> String) throws -> Int {
    var scanner = RecordSpanScanner()
    while true {
      let first = input.start
      if let length = scanner.scan(input.buffer + first, count: input.end - first) {
        input.start = first + length
        return first
      }
      if try !input.refill() {
        _ = try parseValue(ValidateOnly.self, depth: 2, pointer: pointer())
        // Not reached: the parser cannot complete a value the scanner found no end of.
        throw error(
          "unexpected end of input (the file may be truncated)", at: input.end,
          pointer: pointer())
      }
    }
  }
}
