/// Reads a NimbusImage JSON export file front to back in bounded memory (chunks, never the
/// whole file), handing each record to a visitor as soon as it is complete.
///
/// The file is a top-level object with any of the keys `annotations`,
/// `annotationConnections`, `annotationProperties` (arrays of objects, one event per
/// element) and `annotationPropertyValues` (an object, one event per member), in any order,
/// each at most once. Everything inside is checked as strictly as `JSONParser` checks.
/// `read` parses each record into a `JSONValue`, `validate` only checks it, and `scan`
/// (in `ExportReader+Scan.swift`) hands over its raw bytes unparsed.
/// Memory stays bounded by the largest single record: the reader keeps one buffer of
/// `chunkSize` bytes that grows only when one record does not fit in it. (To refuse a
/// repeated annotation id in `annotationPropertyValues` it also remembers a 128-bit digest
/// of each id seen there, 21 to 43 bytes per id: `KeyDigestSet`.)
public struct ExportReader {
  /// Bytes read per chunk unless told otherwise.
  public static let defaultChunkSize = 4 << 20

  /// The file being read.
  public let path: String
  /// Bytes read from the file at a time.
  public let chunkSize: Int

  public init(path: String) {
    self.init(path: path, chunkSize: Self.defaultChunkSize)
  }

  /// A reader that reads `chunkSize` bytes at a time (tests use tiny chunks to cut records
  /// at every position).
  public init(path: String, chunkSize: Int) {
    self.path = path
    self.chunkSize = max(chunkSize, 1)
  }

  /// Reads the file. Errors: an unreadable file, 0 bytes, not an object at the top,
  /// an unknown top-level key, a section of the wrong type, or any `JSONError`
  /// (with line:column and a pointer such as `/annotations/12/coordinates`).
  /// `progress` is called now and then with the bytes read so far.
  public func read(
    progress: ((Int) -> Void)? = nil, _ visit: (ExportEvent) throws -> Void
  ) throws {
    var parser = try ExportStreamParser(
      input: ByteChunkReader(path: path, chunkSize: chunkSize, progress: progress))
    defer { parser.release() }
    try parser.run(ParsedRecords<BuildValues>.self, visit)
  }

  /// Checks the whole file as `read` would, without building any record: the fast way to
  /// learn whether an export is acceptable, and how many records it holds.
  public func validate(progress: ((Int) -> Void)? = nil) throws -> ExportSummary {
    var summary = ExportSummary()
    let input = try ByteChunkReader(path: path, chunkSize: chunkSize, progress: progress)
    var parser = ExportStreamParser(input: input)
    defer { parser.release() }
    try parser.run(ParsedRecords<ValidateOnly>.self) { event in
      switch event {
      case .sectionStart(let section): summary.sections.append(section)
      case .record(.annotations, _, _, _): summary.annotations += 1
      case .record(.annotationConnections, _, _, _): summary.annotationConnections += 1
      case .record(_, _, _, _): summary.annotationProperties += 1
      case .values: summary.annotationPropertyValues += 1
      case .sectionEnd: break
      }
    }
    summary.bytes = input.bytesRead
    return summary
  }
}
