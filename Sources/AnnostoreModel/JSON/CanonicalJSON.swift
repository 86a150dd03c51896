/// Writes RFC 8785 canonical JSON (the JSON Canonicalization Scheme).
///
/// One value has exactly one canonical text, so equal records become byte-identical store
/// files and git can deduplicate them: object members sorted by the UTF-16 code units of
/// their keys, no whitespace, minimal string escaping, numbers as ECMAScript prints them.
public enum CanonicalJSON {
  /// Appends the canonical form of `value` (no trailing newline).
  public static func encode(_ value: JSONValue, into output: inout [UInt8]) {
    var writer = CanonicalWriter()
    writer.write(value)
    output.append(contentsOf: writer.bytes)
  }

  /// The canonical form of `value` (no trailing newline).
  public static func encode(_ value: JSONValue) -> [UInt8] {
    var writer = CanonicalWriter()
    writer.write(value)
    return Array(writer.bytes)
  }

  /// The canonical form of `value` followed by one `\n`: the bytes of a store file.
  public static func fileBytes(_ value: JSONValue) -> [UInt8] {
    var writer = CanonicalWriter()
    writer.write(value)
    writer.append(0x0A)
    return Array(writer.bytes)
  }

  /// Appends a number as ECMAScript's Number.prototype.toString writes it (RFC 8785 §3.2.2.3).
  public static func appendNumber(_ number: Double, into output: inout [UInt8]) {
    ECMAScriptNumber.append(number, into: &output)
  }

  /// Appends a string with RFC 8785's minimal escaping, quotes included: only `"`, `\` and
  /// control characters are escaped (`\b \t \n \f \r` short, others `\u00xx`); everything
  /// else, U+2028, U+2029 and all non-ASCII included, is written as raw UTF-8.
  public static func appendString(_ text: String, into output: inout [UInt8]) {
    var writer = CanonicalWriter(capacity: text.utf8.count + 2)
    writer.writeString(text)
    output.append(contentsOf: writer.bytes)
  }

  /// True when `left` sorts before `right` by UTF-16 code units (RFC 8785 §3.2.3).
  public static func keyPrecedes(_ left: String, _ right: String) -> Bool {
    var left = left
    var right = right
    return left.withUTF8 { leftBytes in
      right.withUTF8 { rightBytes in CanonicalWriter.utf8Precedes(leftBytes, rightBytes) }
    }
  }
}
