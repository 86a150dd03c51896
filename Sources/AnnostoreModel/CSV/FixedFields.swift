/// The fixed cells of one annotation (`_id`, `channel`, `location`, `tags`, `shape`,
/// `name`), read in one pass over its members: the numbers, and the text cells' UTF-8
/// one after another in one buffer, so that a row costs one allocation.
struct FixedFields {
  /// The text cells' bytes; `id`, `tags`, `shape` and `name` are ranges of it.
  var text: [UInt8] = []
  var id = 0..<0
  var tags = 0..<0
  var shape = 0..<0
  var name = 0..<0
  var channel: Double = 0
  var xy: Double = 0
  var z: Double = 0
  var time: Double = 0

  init() { text.reserveCapacity(96) }

  init(_ annotation: JSONValue) {
    self.init()
    guard case .object(let members) = annotation else { return }
    for member in members {
      switch member.key {
      case "_id": id = appendText(member.value)
      case "channel": channel = member.value.numberValue ?? 0
      case "shape": shape = appendText(member.value)
      case "name": name = appendText(member.value)
      case "tags":
        if case .array(let elements) = member.value {
          let start = text.count
          for (index, element) in elements.enumerated() {
            if index > 0 { text.append(contentsOf: Self.tagSeparator) }
            _ = appendText(element)
          }
          tags = start..<text.count
        }
      case "location":
        xy = member.value["XY"]?.numberValue ?? 0
        z = member.value["Z"]?.numberValue ?? 0
        time = member.value["Time"]?.numberValue ?? 0
      default: continue
      }
    }
  }

  /// What goes between two tags in the Tags cell.
  static let tagSeparator = Array(", ".utf8)

  /// Appends a value as a text cell shows it, returning where it lies: a string as
  /// itself; null as empty; anything else (never in a checked document) as a number's
  /// cell or canonical JSON.
  private mutating func appendText(_ value: JSONValue) -> Range<Int> {
    let start = text.count
    switch value {
    case .string(let string): text.append(contentsOf: string.utf8)
    case .null: break
    case .number(let number): PythonFloat.appendCell(number, into: &text)
    default: CanonicalJSON.encode(value, into: &text)
    }
    return start..<text.count
  }
}
