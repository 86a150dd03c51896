#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether the parser core builds `JSONValue`s or only checks the text.
///
/// The core is generic over the mode so that each mode gets its own specialised code and
/// the validating pass allocates nothing for arrays, objects and string values.
protocol ParseMode {
  static var buildsValues: Bool { get }
}

/// Parse and build `JSONValue`s.
enum BuildValues: ParseMode {
  static var buildsValues: Bool { true }
}

/// Check everything (syntax, UTF-8, numbers, duplicate keys, depth) but build nothing.
enum ValidateOnly: ParseMode {
  static var buildsValues: Bool { false }
}

/// The strict RFC 8259 parser shared by `JSONParser` and `ExportReader`.
///
/// It reads one value from a byte buffer at `pos`. When `isFinal` is false and the buffer
/// ends inside the value it throws `ParseFailure.needMore` instead of an error, so that the
/// streaming reader can refill and retry. Scratch stacks are reused from value to value;
/// call `release()` when done.
struct ParserCore {
  /// Deepest nesting of arrays and objects accepted.
  static let maximumDepth = 512

  var base: UnsafePointer<UInt8>
  var pos: UnsafePointer<UInt8>
  var end: UnsafePointer<UInt8>
  var isFinal = true
  var values = MoveStack<JSONValue>(capacity: 256)
  var keys = MoveStack<String>(capacity: 64)
  /// For each key on `keys`: its bytes in the buffer, or a nil start when it had escapes.
  var keySpans = MoveStack<KeySpan>(capacity: 64)
  var scratch: [UInt8] = []
  var strings = StringCache()

  init() {
    let empty = UnsafePointer<UInt8>(Self.emptyBuffer)
    base = empty
    pos = empty
    end = empty
  }

  /// A valid address for an empty input.
  private nonisolated(unsafe) static let emptyBuffer = UnsafeMutablePointer<UInt8>.allocate(
    capacity: 1)

  mutating func release() {
    values.release()
    keys.release()
    keySpans.release()
    strings.release()
  }

  /// Points the core at `count` bytes from `start`, reading from `position`.
  mutating func reset(
    base start: UnsafePointer<UInt8>?, count: Int, position: Int, isFinal: Bool
  ) {
    let start = start ?? UnsafePointer(Self.emptyBuffer)
    base = start
    end = start + count
    pos = start + position
    self.isFinal = isFinal
  }

  var offset: Int { pos - base }

  // MARK: Failures

  @inline(never)
  func failure(_ message: String, at position: UnsafePointer<UInt8>) -> ParseFailure {
    ParseFailure(message, offset: position - base)
  }

  /// The input ended at `end`: an error at the true end, `needMore` in a partial buffer.
  @inline(never)
  func endOfInput() -> ParseFailure {
    isFinal
      ? ParseFailure("unexpected end of input (the file may be truncated)", offset: end - base)
      : .needMore
  }

  /// "'x'" for a printable ASCII byte, "byte 0xC3" otherwise.
  static func describe(_ byte: UInt8) -> String {
    if byte == 0x27 { return "\"'\"" }
    if byte > 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    return "byte " + hexByte(byte)
  }

  static func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return String(
      decoding: [0x30, 0x78, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
  }

  // MARK: Whitespace

  @inline(__always)
  mutating func skipWhitespace() {
    while pos < end {
      let byte = pos.pointee
      guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else {
        return
      }
      pos += 1
    }
  }

  // MARK: Values

  /// Parses one value at `pos` (leading whitespace allowed); on failure the scratch stacks
  /// are restored, so the core can be retried or reused.
  mutating func parseTopValue<Mode: ParseMode>(_ mode: Mode.Type, depth: Int) throws(ParseFailure)
    -> JSONValue
  {
    let valueMark = values.count
    let keyMark = keys.count
    do throws(ParseFailure) {
      return try parseValue(Mode.self, depth: depth)
    } catch {
      values.truncate(to: valueMark)
      keys.truncate(to: keyMark)
      keySpans.truncate(to: keyMark)
      throw error
    }
  }

  /// `depth` counts the containers already open around this value.
  mutating func parseValue<Mode: ParseMode>(_ mode: Mode.Type, depth: Int) throws(ParseFailure)
    -> JSONValue
  {
    skipWhitespace()
    guard pos < end else { throw endOfInput() }
    switch pos.pointee {
    case 0x7B:  // {
      return try parseObject(Mode.self, depth: depth + 1)
    case 0x5B:  // [
      return try parseArray(Mode.self, depth: depth + 1)
    case 0x22:  // "
      let span = try scanString()
      return Mode.buildsValues ? .string(makeString(span)) : .null
    case 0x2D, 0x30...0x39:  // - 0-9
      return .number(try parseNumber())
    case 0x74:  // t
      try expectLiteral("true")
      return .bool(true)
    case 0x66:  // f
      try expectLiteral("false")
      return .bool(false)
    case 0x6E:  // n
      try expectLiteral("null")
      return .null
    default:
      throw unexpectedValueStart()
    }
  }

  @inline(never)
  func unexpectedValueStart() -> ParseFailure {
    let byte = pos.pointee
    let found = Self.describe(byte)
    switch byte {
    case 0x4E, 0x49:  // N I
      return failure(
        "expected a value but found \(found) (NaN and Infinity are not JSON numbers)", at: pos)
    case 0x27:
      return failure(
        "expected a value but found \(found) (strings must be in double quotes)", at: pos)
    case 0x2B:
      return failure("invalid number: a leading '+' is not allowed", at: pos)
    case 0x2E:
      return failure("invalid number: a number must start with a digit, not '.'", at: pos)
    default:
      return failure("expected a value but found \(found)", at: pos)
    }
  }

  mutating func expectLiteral(_ word: StaticString) throws(ParseFailure) {
    let length = word.utf8CodeUnitCount
    let letters = word.utf8Start
    let available = end - pos
    for index in 0..<min(length, available) where pos[index] != letters[index] {
      throw failure("invalid literal: expected '\(word)'", at: pos)
    }
    guard available >= length else {
      if isFinal { pos = end }
      throw endOfInput()
    }
    pos += length
  }

  // MARK: Containers

  mutating func parseArray<Mode: ParseMode>(_ mode: Mode.Type, depth: Int) throws(ParseFailure)
    -> JSONValue
  {
    guard depth <= Self.maximumDepth else {
      throw failure("nesting deeper than \(Self.maximumDepth) levels", at: pos)
    }
    pos += 1
    skipWhitespace()
    guard pos < end else { throw endOfInput() }
    if pos.pointee == 0x5D {  // ]
      pos += 1
      return Mode.buildsValues ? .array([]) : .null
    }
    let mark = values.count
    var index = 0
    while true {
      do throws(ParseFailure) {
        let element = try parseValue(Mode.self, depth: depth)
        if Mode.buildsValues { values.push(element) }
      } catch {
        throw error.inside(String(index))
      }
      index += 1
      guard try continuesAfterElement(closedBy: 0x5D, "an array element") else { break }
    }
    return Mode.buildsValues ? .array(values.popArray(from: mark)) : .null
  }

  mutating func parseObject<Mode: ParseMode>(_ mode: Mode.Type, depth: Int) throws(ParseFailure)
    -> JSONValue
  {
    guard depth <= Self.maximumDepth else {
      throw failure("nesting deeper than \(Self.maximumDepth) levels", at: pos)
    }
    pos += 1
    skipWhitespace()
    guard pos < end else { throw endOfInput() }
    if pos.pointee == 0x7D {  // }
      pos += 1
      return Mode.buildsValues ? .object([]) : .null
    }
    let keyMark = keys.count
    let valueMark = values.count
    var seen: Set<String>? = nil
    while true {
      guard pos.pointee == 0x22 else {
        throw failure(
          "expected a key in double quotes but found \(Self.describe(pos.pointee))", at: pos)
      }
      let keyStart = pos
      let span = try scanString()
      let key = makeString(span)
      let keySpan = KeySpan(span)
      if isDuplicate(key, keySpan, since: keyMark, seen: &seen) {
        throw failure("duplicate key \(Self.quoted(key))", at: keyStart)
          .inside(JSONPointer.escape(key))
      }
      keys.push(key)
      keySpans.push(keySpan)
      skipWhitespace()
      guard pos < end else { throw endOfInput() }
      guard pos.pointee == 0x3A else {  // :
        throw failure(
          "expected ':' after an object key but found \(Self.describe(pos.pointee))", at: pos)
      }
      pos += 1
      let keyIndex = keys.count - 1
      do throws(ParseFailure) {
        let value = try parseValue(Mode.self, depth: depth)
        if Mode.buildsValues { values.push(value) }
      } catch {
        // Nested keys are still on the stack; this member's key is at `keyIndex`.
        throw error.inside(JSONPointer.escape(keys[keyIndex]))
      }
      guard try continuesAfterElement(closedBy: 0x7D, "an object member") else { break }
    }
    keySpans.truncate(to: keyMark)
    guard Mode.buildsValues else {
      keys.truncate(to: keyMark)
      return .null
    }
    let count = keys.count - keyMark
    let keyBase = keys.base + keyMark
    let valueBase = values.base + valueMark
    var members: [JSONMember] = []  // see MoveStack.popArray for why not unsafeUninitialized
    members.reserveCapacity(count)
    for index in 0..<count {
      members.append(JSONMember((keyBase + index).move(), (valueBase + index).move()))
    }
    keys.forget(from: keyMark)
    values.forget(from: valueMark)
    return .object(members)
  }

  /// Reads what follows an element of an array or object that `close` (`]` or `}`) ends:
  /// true after a ',' (another element follows), false after `close`. Inlined with a
  /// constant `close`, it is the code each loop would have written out; the failures are
  /// built out of line.
  @inline(__always)
  private mutating func continuesAfterElement(
    closedBy close: UInt8, _ element: StaticString
  ) throws(ParseFailure) -> Bool {
    skipWhitespace()
    guard pos < end else { throw endOfInput() }
    let byte = pos.pointee
    if byte == 0x2C {  // ,
      pos += 1
      skipWhitespace()
      guard pos < end else { throw endOfInput() }
      if pos.pointee == close { throw trailingComma(before: close) }
      return true
    }
    if byte == close {
      pos += 1
      return false
    }
    throw missingSeparator(closedBy: close, after: element)
  }

  /// "trailing comma before ']'" (or '}'), at `pos`.
  @inline(never)
  func trailingComma(before close: UInt8) -> ParseFailure {
    failure("trailing comma before '\(Character(Unicode.Scalar(close)))' is not allowed", at: pos)
  }

  /// "expected ',' or ']' after `element`" (or '}'), at `pos`.
  @inline(never)
  func missingSeparator(closedBy close: UInt8, after element: StaticString) -> ParseFailure {
    failure("expected ',' or '\(Character(Unicode.Scalar(close)))' after \(element)", at: pos)
  }

  /// Small objects compare against the keys so far; large ones switch to a set.
  ///
  /// Keys are compared by their bytes: Swift's `==` treats canonically equivalent strings
  /// ("é" and "e\u{301}") as equal, but they are distinct JSON keys. Keys without escapes
  /// are compared where they lie in the buffer.
  @inline(__always)
  private func isDuplicate(
    _ key: String, _ span: KeySpan, since mark: Int, seen: inout Set<String>?
  ) -> Bool {
    let count = keys.count - mark
    if count <= 16 && seen == nil {
      var index = mark
      while index < keys.count {
        let other = keySpans[index]
        if let start = span.start, let otherStart = other.start {
          if span.length == other.length && memcmp(start, otherStart, span.length) == 0 {
            return true
          }
        } else if keys[index].utf8.elementsEqual(key.utf8) {
          return true
        }
        index += 1
      }
      return false
    }
    if seen == nil {
      var set = Set<String>(minimumCapacity: count * 2)
      for index in mark..<keys.count { set.insert(keys[index]) }
      seen = set
    }
    if seen!.insert(key).inserted { return false }
    // The set found an equal key; only identical bytes make a duplicate.
    for index in mark..<keys.count where keys[index].utf8.elementsEqual(key.utf8) {
      return true
    }
    return false
  }

  /// A key or string for a message: quoted, escaped, shortened when long.
  static func quoted(_ text: String) -> String {
    var output: [UInt8] = []
    let shortened = text.count > 80 ? String(text.prefix(77)) + "..." : text
    CanonicalJSON.appendString(shortened, into: &output)
    return String(decoding: output, as: UTF8.self)
  }
}

/// Where a key's bytes lie in the buffer (nil start: the key had escapes).
struct KeySpan {
  var start: UnsafePointer<UInt8>?
  var length: Int

  init(_ span: StringSpan) {
    start = span.hasEscapes ? nil : span.start
    length = span.end - span.start
  }
}
