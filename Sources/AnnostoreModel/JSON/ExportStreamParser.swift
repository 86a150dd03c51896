/// The grammar of an export's outer structure, driven over a `ByteChunkReader`.
///
/// The top-level object and the section containers are read here byte by byte; each key is
/// handed to `ParserCore`, which reads it in place from the buffer, and each record to an
/// `ExportRecordHandler` (which parses it with the core, or only finds where it ends). When
/// the core reports that the buffer ended inside the value, the reader refills (keeping the
/// unconsumed tail) and the core starts that value again.
struct ExportStreamParser {
  let input: ByteChunkReader
  private var core = ParserCore()
  /// Whether a repeated annotation id in `annotationPropertyValues` is refused here (else
  /// the caller finds repeats itself).
  var checksValueKeys = true

  init(input: ByteChunkReader) {
    self.input = input
  }

  mutating func release() {
    core.release()
  }

  /// Reads the whole file, calling `visit` for each event; `Records` reads each record.
  mutating func run<Records: ExportRecordHandler>(
    _ records: Records.Type, _ visit: (Records.Event) throws -> Void
  ) throws {
    _ = try input.refill()
    if input.end == 0 {
      throw error("the file is empty (0 bytes)", at: 0)
    }
    while input.end < 3, try input.refill() {}
    if input.end >= 3 && input.buffer[0] == 0xEF && input.buffer[1] == 0xBB
      && input.buffer[2] == 0xBF
    {
      throw error(JSONParser.byteOrderMarkMessage, at: 0)
    }

    let first = try peek()
    guard first == 0x7B else {
      if let type = Self.typeName(startingWith: first) {
        throw error(
          "the top level must be an object (a NimbusImage export), not \(type)", at: input.start)
      }
      _ = try parseValue(ValidateOnly.self, depth: 0, pointer: "")
      throw error("the top level must be an object (a NimbusImage export)", at: input.start)
    }
    input.start += 1
    var seen: [ExportSection] = []
    var byte = try peek()
    if byte == 0x7D {
      input.start += 1
    } else {
      while true {
        guard byte == 0x22 else {
          throw error(
            "expected a key in double quotes but found \(describe(byte))", at: input.start)
        }
        let keyStart = input.absoluteOffset
        let key = try parseString(pointer: "")
        guard let section = ExportSection(key: key) else {
          throw error(
            "unknown top-level key \(ParserCore.quoted(key)); an export holds only"
              + " \"annotations\", \"annotationConnections\", \"annotationProperties\" and"
              + " \"annotationPropertyValues\"",
            atAbsolute: keyStart, pointer: "/" + JSONPointer.escape(key))
        }
        guard !seen.contains(section) else {
          throw error(
            "duplicate key \"\(section.rawValue)\"", atAbsolute: keyStart,
            pointer: "/" + section.rawValue)
        }
        seen.append(section)
        try expectColon()
        if section.isRecordList {
          try readRecordList(section, Records.self, visit)
        } else {
          try readValuesObject(Records.self, visit)
        }
        guard let next = try afterMember(closedBy: 0x7D, "a top-level member") else { break }
        byte = next
      }
    }
    if let extra = try peekOrEnd() {
      throw error(
        "unexpected content after the top-level object: \(ParserCore.describe(extra))",
        at: input.start)
    }
    input.reportFinalProgress()
  }

  // MARK: Sections

  private mutating func readRecordList<Records: ExportRecordHandler>(
    _ section: ExportSection, _ records: Records.Type, _ visit: (Records.Event) throws -> Void
  ) throws {
    let pointer = "/" + section.rawValue
    var byte = try peek()
    guard byte == 0x5B else {
      try refuseWrongType(
        byte, "\"\(section.rawValue)\" must be an array of objects", pointer: pointer)
    }
    input.start += 1
    try visit(Records.sectionStart(section))
    byte = try peek()
    var index = 0
    if byte == 0x5D {
      input.start += 1
    } else {
      while true {
        guard byte == 0x7B else {
          try refuseWrongType(
            byte, "each element of \"\(section.rawValue)\" must be an object",
            pointer: pointer + "/" + String(index))
        }
        let event = try Records.record(
          section, index: index, key: nil, pointer: { pointer + "/" + String(index) }, in: &self)
        try visit(event)
        index += 1
        guard
          let next = try afterMember(
            closedBy: 0x5D, "an element of \"\(section.rawValue)\"", pointer: pointer)
        else { break }
        byte = next
      }
    }
    try visit(Records.sectionEnd(section))
  }

  private mutating func readValuesObject<Records: ExportRecordHandler>(
    _ records: Records.Type, _ visit: (Records.Event) throws -> Void
  ) throws {
    let section = ExportSection.annotationPropertyValues
    let pointer = "/" + section.rawValue
    var byte = try peek()
    guard byte == 0x7B else {
      try refuseWrongType(byte, "\"\(section.rawValue)\" must be an object", pointer: pointer)
    }
    input.start += 1
    try visit(Records.sectionStart(section))
    var seenIds = KeyDigestSet()
    byte = try peek()
    if byte == 0x7D {
      input.start += 1
    } else {
      while true {
        guard byte == 0x22 else {
          throw error(
            "expected an annotation id in double quotes but found \(describe(byte))",
            at: input.start, pointer: pointer)
        }
        let keyStart = input.absoluteOffset
        let annotationId = try parseString(pointer: pointer)
        guard !checksValueKeys || seenIds.insert(annotationId) else {
          throw error(
            "duplicate key \(ParserCore.quoted(annotationId))", atAbsolute: keyStart,
            pointer: pointer + "/" + JSONPointer.escape(annotationId))
        }
        try expectColon()
        byte = try peek()
        guard byte == 0x7B else {
          try refuseWrongType(
            byte,
            "the values of annotation \(ParserCore.quoted(annotationId)) must be an object",
            pointer: pointer + "/" + JSONPointer.escape(annotationId))
        }
        let event = try Records.record(
          section, index: 0, key: annotationId,
          pointer: { pointer + "/" + JSONPointer.escape(annotationId) }, in: &self)
        try visit(event)
        guard
          let next = try afterMember(
            closedBy: 0x7D, "a member of \"\(section.rawValue)\"", pointer: pointer)
        else { break }
        byte = next
      }
    }
    try visit(Records.sectionEnd(section))
  }

  /// Throws "`message`, not an object" for a value of the wrong type, or the parser's error
  /// when the byte cannot start a value at all.
  private mutating func refuseWrongType(_ byte: UInt8, _ message: String, pointer: String)
    throws -> Never
  {
    if let type = Self.typeName(startingWith: byte) {
      throw error("\(message), not \(type)", at: input.start, pointer: pointer)
    }
    _ = try parseValue(ValidateOnly.self, depth: 2, pointer: pointer)
    throw error(message, at: input.start, pointer: pointer)
  }

  /// What follows a member of an array or object that `close` (`]` or `}`) ends: after a
  /// ',' the byte starting the next member, after `close` nil (either consumed). `member`
  /// names the member in the error when neither follows; `pointer` locates it. Inlined,
  /// so that each loop pays nothing for sharing it.
  @inline(__always)
  private mutating func afterMember(
    closedBy close: UInt8, _ member: @autoclosure () -> String, pointer: String = ""
  ) throws -> UInt8? {
    let byte = try peek()
    if byte == 0x2C {
      input.start += 1
      let next = try peek()
      if next == close {
        throw error(
          "trailing comma before '\(Character(Unicode.Scalar(close)))' is not allowed",
          at: input.start)
      }
      return next
    }
    if byte == close {
      input.start += 1
      return nil
    }
    throw error(
      "expected ',' or '\(Character(Unicode.Scalar(close)))' after \(member()) but found"
        + " \(describe(byte))", at: input.start, pointer: pointer)
  }

  static let unusedLocation = JSONLocation(line: 0, column: 0, offset: 0, pointer: "")

  // MARK: Tokens

  /// The next byte after whitespace, refilling as needed; nil at the end of the file.
  private mutating func peekOrEnd() throws -> UInt8? {
    while true {
      let buffer = input.buffer
      var index = input.start
      while index < input.end {
        let byte = buffer[index]
        if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
          index += 1
        } else {
          input.start = index
          return byte
        }
      }
      input.start = index
      guard try input.refill() else { return nil }
    }
  }

  /// The next byte after whitespace; the end of the file is an error here.
  private mutating func peek() throws -> UInt8 {
    guard let byte = try peekOrEnd() else {
      throw error("unexpected end of input (the file may be truncated)", at: input.end)
    }
    return byte
  }

  private mutating func expectColon() throws {
    let byte = try peek()
    guard byte == 0x3A else {
      throw error("expected ':' after an object key but found \(describe(byte))", at: input.start)
    }
    input.start += 1
  }

  private func describe(_ byte: UInt8) -> String { ParserCore.describe(byte) }

  /// A short name of the type of the value starting with `byte`, if it can start one.
  static func typeName(startingWith byte: UInt8) -> String? {
    switch byte {
    case 0x7B: return "an object"
    case 0x5B: return "an array"
    case 0x22: return "a string"
    case 0x2D, 0x30...0x39: return "a number"
    case 0x74, 0x66: return "a boolean"
    case 0x6E: return "null"
    default: return nil
    }
  }

  // MARK: Values through the core

  private mutating func parseString(pointer: @autoclosure () -> String) throws -> String {
    try withCore(pointer: pointer) { core throws(ParseFailure) in
      core.makeString(try core.scanString())
    }
  }

  /// Parses the value at `input.start` (refilling as needed) and leaves `start` after it.
  mutating func parseValue<Mode: ParseMode>(
    _ mode: Mode.Type, depth: Int, pointer: @autoclosure () -> String
  ) throws -> JSONValue {
    try withCore(pointer: pointer) { core throws(ParseFailure) in
      try core.parseTopValue(Mode.self, depth: depth)
    }
  }

  /// Runs `body` on the core pointed at the unconsumed bytes; when the bytes end inside the
  /// value, refills and runs it again from the same start.
  @inline(__always)
  private mutating func withCore<Result>(
    pointer: () -> String, _ body: (inout ParserCore) throws(ParseFailure) -> Result
  ) throws -> Result {
    while true {
      core.reset(
        base: input.buffer, count: input.end, position: input.start,
        isFinal: input.isAtEndOfFile)
      do throws(ParseFailure) {
        let result = try body(&core)
        input.start = core.offset
        return result
      } catch {
        if error.isNeedMore {
          _ = try input.refill()
          continue
        }
        throw self.error(error.message, at: error.offset, pointer: error.pointer(below: pointer()))
      }
    }
  }

  /// A `JSONError` at buffer index `index`.
  func error(_ message: String, at index: Int, pointer: String = "") -> JSONError {
    JSONError(message, at: input.location(ofBufferIndex: index, pointer: pointer))
  }

  /// A `JSONError` at absolute file offset `offset` (still in the buffer).
  private func error(_ message: String, atAbsolute offset: Int, pointer: String = "")
    -> JSONError
  {
    error(message, at: offset - input.bufferOffset, pointer: pointer)
  }
}
