/// Parses JSON texts that are parts of a larger file, such as the records
/// `ExportReader.scan` hands over, one after another, reusing its scratch memory and its
/// cache of short strings from text to text (what makes parsing a million records cheap).
///
/// The rules are those of `JSONParser.parse(_:)` and of `ExportReader.read` inside a record.
/// A failure is a `JSONError` located in the file: its offset is `baseOffset` plus the offset
/// in the bytes and its pointer extends the given one (`/annotations/12/coordinates/3/x`),
/// exactly as `read` reports it; its line and column are 0, because the bytes do not say
/// which line of the file they start on. `ExportReader.locate(_:)` fills them in (it reads
/// the file again up to the offset, so do it only for the error that is reported).
///
/// Not thread-safe: use one parser per thread.
public final class JSONRecordParser {
  /// Containers a record of an export sits in (the top-level object and its section).
  static let recordDepth = 2

  private var core = ParserCore()

  public init() {}

  deinit { core.release() }

  /// Parses `bytes`, one JSON text that starts at byte `baseOffset` of a file and has
  /// `pointer` there. `enclosingDepth` is the number of arrays and objects around it in the
  /// file, so that the depth limit counts the whole file as `JSONParser` does.
  public func parse(
    _ bytes: UnsafeRawBufferPointer, baseOffset: Int, pointer: String, enclosingDepth: Int = 0
  ) throws(JSONError) -> JSONValue {
    try run(bytes, baseOffset: baseOffset, depth: enclosingDepth) { pointer }
  }

  /// Parses a record handed over by `ExportReader.scan`: the value `read` gives for it, or
  /// the error `read` reports in it (line and column aside, see the type's notes).
  public func parse(_ record: RawExportRecord) throws(JSONError) -> JSONValue {
    try run(record.bytes, baseOffset: record.offset, depth: Self.recordDepth) { record.pointer }
  }

  private func run(
    _ bytes: UnsafeRawBufferPointer, baseOffset: Int, depth: Int, pointer: () -> String
  ) throws(JSONError) -> JSONValue {
    func located(_ message: String, _ offset: Int, _ pointer: String) -> JSONError {
      JSONError(
        message, at: JSONLocation(line: 0, column: 0, offset: baseOffset + offset, pointer: pointer)
      )
    }
    core.reset(
      base: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count,
      position: 0, isFinal: true)
    let value: JSONValue
    do throws(ParseFailure) {
      value = try core.parseTopValue(BuildValues.self, depth: depth)
    } catch {
      throw located(error.message, error.offset, error.pointer(below: pointer()))
    }
    core.skipWhitespace()
    if core.pos < core.end {
      throw located(
        "unexpected content after the JSON value: \(ParserCore.describe(core.pos.pointee))",
        core.offset, pointer())
    }
    return value
  }
}

extension JSONParser {
  /// Parses `bytes`, one JSON text that starts at byte `baseOffset` of a file and has
  /// `pointer` there (see `JSONRecordParser`, which this uses once: for many texts, keep
  /// one `JSONRecordParser`). Errors have the offset in the file and line and column 0;
  /// `ExportReader.locate(_:)` fills those in.
  public static func parse(
    _ bytes: UnsafeRawBufferPointer, baseOffset: Int, pointer: String, enclosingDepth: Int = 0
  ) throws(JSONError) -> JSONValue {
    try JSONRecordParser().parse(
      bytes, baseOffset: baseOffset, pointer: pointer, enclosingDepth: enclosingDepth)
  }

  /// Parses a record handed over by `ExportReader.scan` (see `JSONRecordParser.parse(_:)`).
  public static func parse(_ record: RawExportRecord) throws(JSONError) -> JSONValue {
    try JSONRecordParser().parse(record)
  }
}
