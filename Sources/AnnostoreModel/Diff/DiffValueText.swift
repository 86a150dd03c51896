/// How diff text shows JSON values to people: numbers as CSV cells show them (`2170`, not
/// `2170.0`), strings quoted, an absent value as `(none)`, long values shortened.
public enum DiffValueText {
  /// The longest value shown in full; longer ones are cut with `…`.
  public static let maximumLength = 120

  /// A value, or `(none)` when absent.
  public static func text(_ value: JSONValue?) -> String {
    guard let value else { return "(none)" }
    var output = ""
    append(value, to: &output)
    if output.count > maximumLength { return String(output.prefix(maximumLength - 1)) + "…" }
    return output
  }

  /// A number: whole numbers without a fraction, others in the shortest form that reads
  /// back as the same double.
  public static func number(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e16 { return String(Int64(value)) }
    return "\(value)"
  }

  /// A pixel distance, to two decimals (`2.5`, `0.71`, `3`).
  public static func pixels(_ value: Double) -> String {
    number((value * 100).rounded() / 100)
  }

  /// A JSON string literal.
  public static func quoted(_ text: String) -> String {
    var output = ""
    appendString(text, to: &output)
    return output
  }

  /// `location` as people count planes: `XY 1 Z 3 T 1` (1-based, like NimbusImage's UI and
  /// CSV); nil when it is not an object of integers.
  public static func location(_ value: JSONValue?) -> String? {
    guard let members = value?.objectMembers else { return nil }
    var parts: [String] = []
    for (key, label) in [("XY", "XY"), ("Z", "Z"), ("Time", "T")] {
      guard let member = members.first(where: { $0.key == key }) else { continue }
      guard let number = member.value.numberValue, number.rounded() == number,
        abs(number) < 1e15
      else { return nil }
      parts.append("\(label) \(Int64(number) + 1)")
    }
    guard members.count == parts.count, !parts.isEmpty else { return nil }
    return parts.joined(separator: " ")
  }

  /// Tags as a bracketed list: `[nucleus, bright]`.
  public static func tags(_ tags: [String]) -> String {
    "[" + tags.joined(separator: ", ") + "]"
  }

  private static func append(_ value: JSONValue, to output: inout String) {
    switch value {
    case .null: output += "null"
    case .bool(let flag): output += flag ? "true" : "false"
    case .number(let number): output += Self.number(number)
    case .string(let text): appendString(text, to: &output)
    case .array(let elements):
      output += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { output += "," }
        append(element, to: &output)
      }
      output += "]"
    case .object(let members):
      output += "{"
      for (index, member) in members.enumerated() {
        if index > 0 { output += "," }
        appendString(member.key, to: &output)
        output += ":"
        append(member.value, to: &output)
      }
      output += "}"
    }
  }

  private static func appendString(_ text: String, to output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    output += "\""
  }
}
