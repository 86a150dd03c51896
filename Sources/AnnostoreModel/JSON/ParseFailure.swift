/// How the parser core reports a problem before it becomes a `JSONError`.
///
/// Offsets are relative to the core's buffer and the pointer is gathered while the error
/// unwinds (each container adds its index or key), so the success path pays nothing for
/// error locations. `needMore` is not an error: the buffer ended inside a value that more
/// input could still complete (the streaming reader refills and retries).
struct ParseFailure: Error {
  /// True when the buffer ended before the value did and more input may follow.
  var isNeedMore: Bool
  /// The human message.
  var message: String
  /// Byte offset of the problem from the start of the core's buffer.
  var offset: Int
  /// Escaped RFC 6901 reference tokens, innermost first.
  var reversedPath: [String]

  static let needMore = ParseFailure(isNeedMore: true, message: "", offset: 0, reversedPath: [])

  init(isNeedMore: Bool, message: String, offset: Int, reversedPath: [String]) {
    self.isNeedMore = isNeedMore
    self.message = message
    self.offset = offset
    self.reversedPath = reversedPath
  }

  init(_ message: String, offset: Int) {
    self.init(isNeedMore: false, message: message, offset: offset, reversedPath: [])
  }

  /// The same failure seen from the enclosing array (`index`) or object (`key`).
  func inside(_ token: @autoclosure () -> String) -> ParseFailure {
    if isNeedMore { return self }
    var copy = self
    copy.reversedPath.append(token())
    return copy
  }

  /// The pointer below `prefix` (an already escaped pointer such as `/annotations/3`).
  func pointer(below prefix: String) -> String {
    var result = prefix
    for token in reversedPath.reversed() {
      result += "/"
      result += token
    }
    return result
  }
}
