/// One record of an export as it stands in the file, found by `ExportReader.scan` without
/// being parsed.
///
/// The bytes are those of the file from the record's `{` to its matching `}`: two records
/// with the same bytes have the same value, so a caller that remembers a digest of the bytes
/// of records it has already parsed and checked can skip parsing identical ones. Bytes that
/// are new must be parsed (`JSONParser.parse(_:)` with the record, or a `JSONRecordParser`),
/// which also checks everything `scan` does not look at inside a record.
public struct RawExportRecord {
  /// The section the record belongs to.
  public var section: ExportSection
  /// Position in its list (annotations, connections, properties); 0 for values.
  public var index: Int
  /// For `annotationPropertyValues`, the member's key (the annotation id), decoded; nil
  /// otherwise.
  public var key: String?
  /// The record's bytes from its first byte (`{`) to its last (`}`), valid only during the
  /// callback (the reader's buffer is reused afterwards): copy or digest them there.
  public var bytes: UnsafeRawBufferPointer
  /// Byte offset of the record's first byte in the file.
  public var offset: Int

  public init(
    section: ExportSection, index: Int, key: String?, bytes: UnsafeRawBufferPointer, offset: Int
  ) {
    self.section = section
    self.index = index
    self.key = key
    self.bytes = bytes
    self.offset = offset
  }

  /// The record's RFC 6901 JSON pointer, as `read` gives it in the record's location:
  /// `/annotations/12`, `/annotationPropertyValues/<annotation id>`.
  public var pointer: String {
    if let key { return JSONPointer.appending(key, to: "/" + section.rawValue) }
    return JSONPointer.appending(index, to: "/" + section.rawValue)
  }
}

/// One thing `ExportReader.scan` found: the raw counterpart of `ExportEvent`.
public enum ExportRawEvent {
  /// A top-level key began (also reported for an empty section).
  case sectionStart(ExportSection)
  /// One element of a list, or one member of `annotationPropertyValues`.
  case record(RawExportRecord)
  /// The section's array or object closed (also reported when it was empty).
  case sectionEnd(ExportSection)
}
