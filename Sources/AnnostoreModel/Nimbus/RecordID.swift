/// The rule every record id and dataset name obeys before it may become part of a path
/// in the store: a plain token of letters, digits, `_` and `-`, 1 to 128 characters.
public enum RecordID {
  /// The longest id accepted.
  public static let maximumLength = 128

  /// Whether `text` is a plain token that can safely name a file.
  public static func isValid(_ text: String) -> Bool {
    var text = text
    // Over the contiguous bytes: a store's million file names pass through here.
    return text.withUTF8(isValid)
  }

  /// Whether the UTF-8 `bytes` are a plain token that can safely name a file.
  public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
        continue
      default:
        return false
      }
    }
    return true
  }

  /// Why `text` is not a valid id, for an error message; nil when it is valid.
  public static func problem(with text: String) -> String? {
    if text.isEmpty { return "the id is empty" }
    if text.utf8.count > maximumLength {
      return "the id is \(text.utf8.count) bytes long (at most \(maximumLength) allowed)"
    }
    if !isValid(text) {
      return "the id \(quoted(text)) is not a plain token (only letters, digits, '_' and '-')"
    }
    return nil
  }

  static func quoted(_ text: String) -> String {
    let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
    return "\"" + shown + "\""
  }
}
