/// What the export structure walk (`ExportStreamParser`) does with each record it reaches:
/// parse it into a `JSONValue` (`read`, `validate`) or hand over its raw bytes (`scan`).
///
/// The walk checks everything outside records and calls `record` with `input.start` on the
/// record's first byte, which the walk has checked to be `{`.
protocol ExportRecordHandler {
  /// What the walk hands to the visitor.
  associatedtype Event

  static func sectionStart(_ section: ExportSection) -> Event
  static func sectionEnd(_ section: ExportSection) -> Event

  /// Reads the record at `parser.input.start`, leaving `start` after its last byte.
  /// `index` is its position in a list (0 in `annotationPropertyValues`), `key` the
  /// member's key in `annotationPropertyValues` (nil in a list), `pointer` makes its
  /// escaped JSON pointer (only when a location or an error needs it).
  static func record(
    _ section: ExportSection, index: Int, key: String?, pointer: () -> String,
    in parser: inout ExportStreamParser
  ) throws -> Event
}

/// Records parsed by the strict parser core: built into `JSONValue`s, or only checked.
enum ParsedRecords<Mode: ParseMode>: ExportRecordHandler {
  static func sectionStart(_ section: ExportSection) -> ExportEvent { .sectionStart(section) }
  static func sectionEnd(_ section: ExportSection) -> ExportEvent { .sectionEnd(section) }

  @inline(__always)
  static func record(
    _ section: ExportSection, index: Int, key: String?, pointer: () -> String,
    in parser: inout ExportStreamParser
  ) throws -> ExportEvent {
    let location =
      Mode.buildsValues
      ? parser.input.location(ofBufferIndex: parser.input.start, pointer: pointer())
      : ExportStreamParser.unusedLocation
    let value = try parser.parseValue(Mode.self, depth: 2, pointer: pointer())
    if let key {
      return .values(annotationId: key, value, location: location)
    }
    return .record(section, value, index: index, location: location)
  }
}
