/// The rule for tag names: what `git check-ref-format` accepts, narrowed to plain
/// characters so a name is also safe to type and to show.
enum TagName {
  /// The longest name accepted.
  static let maximumLength = 200

  /// Why `name` cannot name a tag, nil when it can.
  static func problem(with name: String) -> String? {
    if name.isEmpty { return "the tag name is empty" }
    if name.utf8.count > maximumLength {
      return "the tag name is longer than \(maximumLength) bytes"
    }
    for byte in name.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"),
        UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "+"):
        continue
      default:
        return "\"\(name)\" holds a character a tag name may not have"
      }
    }
    for part in name.split(separator: "/", omittingEmptySubsequences: false) {
      if part.isEmpty { return "\"\(name)\" has an empty part between slashes" }
      if part.hasPrefix(".") || part.hasSuffix(".lock") || part.hasPrefix("-") {
        return "\"\(name)\" has a part starting with '.' or '-', or ending with '.lock'"
      }
    }
    if name.contains("..") || name.hasSuffix(".") {
      return "\"\(name)\" holds '..' or ends with '.'"
    }
    return nil
  }

  /// Checks a name, with a usage error.
  static func check(_ name: String) throws {
    if let problem = problem(with: name) {
      throw AnnostoreError(
        .usage, "tag name: \(problem)",
        hint: "Use letters, digits and '_', '-', '.', '/', '+', e.g. figure-3 or paper/v1.")
    }
  }
}
