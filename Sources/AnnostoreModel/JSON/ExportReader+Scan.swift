extension ExportReader {
  /// Walks the file's structure as strictly as `read` does outside records and hands over
  /// each record's raw bytes without parsing them.
  ///
  /// Outside records everything is checked and refused with `read`'s errors: the top-level
  /// object, the four known keys (each at most once), arrays and objects of the right type,
  /// records that are not objects, commas, trailing content, an empty file, a byte-order
  /// mark, UTF-8 in keys, duplicate annotation ids in `annotationPropertyValues`. Inside a
  /// record only strings (quotes and backslash escapes) and bracket depth are followed, to
  /// find where it ends: UTF-8, numbers, literals and the rest of its syntax are not checked,
  /// so a record whose bytes the caller has not already seen parsed must be parsed
  /// (`JSONParser.parse(_:)` with the record) before it is trusted. Doing that inside `visit`
  /// yields, for any file, the first error `read` would report. A file that ends inside a
  /// record is refused with `read`'s error.
  ///
  /// Memory stays bounded as in `read`; `progress` is called now and then with the bytes
  /// read so far.
  ///
  /// With `checkingValueKeys` false, a repeated annotation id in `annotationPropertyValues`
  /// is not refused (nor remembered, which saves a table of all of them): for a caller that
  /// finds repeats itself, and asks `validate` for the error to report when it does.
  public func scan(
    progress: ((Int) -> Void)? = nil, checkingValueKeys: Bool = true,
    _ visit: (ExportRawEvent) throws -> Void
  ) throws {
    var parser = try ExportStreamParser(
      input: ByteChunkReader(path: path, chunkSize: chunkSize, progress: progress))
    parser.checksValueKeys = checkingValueKeys
    defer { parser.release() }
    try parser.run(RawRecords.self, visit)
  }

  /// The line, column and pointer of byte offset `offset` of the file, for an error message
  /// (as `read` would locate it). The pointer is that of the record holding the offset
  /// (`/annotations/12`), or empty outside records. An offset past the end is located at the
  /// end of the file.
  ///
  /// This reads the file again up to `offset` (at the speed of `scan`): call it only when
  /// something is wrong.
  public func location(ofOffset offset: Int) throws -> JSONLocation {
    let input = try ByteChunkReader(path: path, chunkSize: chunkSize, progress: nil)
    var parser = ExportStreamParser(input: input)
    defer { parser.release() }
    var pointer: String?
    do {
      try parser.run(RawRecords.self) { event in
        guard case .record(let record) = event, offset < record.offset + record.bytes.count else {
          return
        }
        if offset >= record.offset { pointer = record.pointer }
        throw LocationFound()
      }
    } catch {
      // Found, or the file has an error before `offset`: only lines are counted below.
    }
    if let pointer {
      // The record holding `offset` is still in the buffer.
      return input.location(ofBufferIndex: offset - input.bufferOffset, pointer: pointer)
    }
    return try Self.lineAndColumn(ofOffset: offset, path: path, chunkSize: chunkSize)
  }

  /// `error`, from parsing a raw record of this file (whose location has the offset in the
  /// file but no line and column), with the line and column of its offset filled in.
  public func locate(_ error: JSONError) throws -> JSONError {
    let place = try location(ofOffset: error.location.offset)
    var located = error
    located.location.line = place.line
    located.location.column = place.column
    return located
  }

  /// Location of `offset` with an empty pointer, counting newlines only.
  private static func lineAndColumn(ofOffset offset: Int, path: String, chunkSize: Int)
    throws -> JSONLocation
  {
    let input = try ByteChunkReader(path: path, chunkSize: chunkSize, progress: nil)
    while input.bufferOffset + input.end <= offset {
      input.start = input.end
      guard try input.refill() else { break }
    }
    let index = min(offset, input.bufferOffset + input.end) - input.bufferOffset
    return input.location(ofBufferIndex: index, pointer: "")
  }
}

/// Stops the walk of `location(ofOffset:)` once the offset is passed.
private struct LocationFound: Error {}
