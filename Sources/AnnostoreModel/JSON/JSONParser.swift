/// Parses complete JSON texts (RFC 8259, strict).
///
/// Strict because the store keeps canonical JSON: anything that could be read in more than
/// one way (duplicate keys, integers a double would round, invalid UTF-8) is refused with a
/// message and a location instead of being silently changed.
public enum JSONParser {
  /// Deepest nesting of arrays and objects accepted (deeper input is an error, not a crash).
  public static let maximumDepth = ParserCore.maximumDepth

  /// Parses one JSON text. Refuses invalid UTF-8, a byte-order mark, duplicate object keys,
  /// numbers a double cannot hold as written, nesting deeper than 512, trailing content.
  public static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(JSONError) in try parse(buffer) }
    }
    return try result.get()
  }

  /// Parses one JSON text held in memory that the caller owns (same rules as `parse(_:)`).
  public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONValue {
    try run(BuildValues.self, buffer)
  }

  /// Checks that `bytes` hold one JSON text `parse` would accept, without building values.
  public static func validate(_ bytes: [UInt8]) throws(JSONError) {
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(JSONError) in _ = try run(ValidateOnly.self, buffer) }
    }
    try result.get()
  }

  static func run<Mode: ParseMode>(_ mode: Mode.Type, _ buffer: UnsafeBufferPointer<UInt8>)
    throws(JSONError) -> JSONValue
  {
    func makeError(_ message: String, offset: Int, pointer: String = "") -> JSONError {
      JSONError(message, at: LineCounter.location(of: offset, in: buffer, pointer: pointer))
    }
    if buffer.isEmpty { throw makeError("the input is empty (0 bytes)", offset: 0) }
    if startsWithByteOrderMark(buffer) { throw makeError(byteOrderMarkMessage, offset: 0) }

    var core = ParserCore()
    defer { core.release() }
    core.reset(base: buffer.baseAddress, count: buffer.count, position: 0, isFinal: true)
    let value: JSONValue
    do throws(ParseFailure) {
      value = try core.parseTopValue(Mode.self, depth: 0)
    } catch {
      let failure = error
      throw makeError(failure.message, offset: failure.offset, pointer: failure.pointer(below: ""))
    }
    core.skipWhitespace()
    if core.pos < core.end {
      throw makeError(
        "unexpected content after the JSON value: \(ParserCore.describe(core.pos.pointee))",
        offset: core.offset)
    }
    return value
  }

  static let byteOrderMarkMessage =
    "the file starts with a UTF-8 byte-order mark; save it without one"

  static func startsWithByteOrderMark(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
    buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
  }
}
