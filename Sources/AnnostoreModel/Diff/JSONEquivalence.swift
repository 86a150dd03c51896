/// Equality of JSON values as data: object members compare regardless of their order, so
/// documents read in any key order compare like their canonical files.
public enum JSONEquivalence {
  /// Whether `a` and `b` hold the same data.
  public static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
    case (.object(let x), .object(let y)):
      guard x.count == y.count else { return false }
      if zip(x, y).allSatisfy({ $0.key == $1.key && equal($0.value, $1.value) }) { return true }
      var byKey: [String: JSONValue] = [:]
      for member in y { byKey[member.key] = member.value }
      return x.allSatisfy { member in byKey[member.key].map { equal(member.value, $0) } ?? false }
    default: return false
    }
  }

  /// Whether two optional values are the same, absent matching only absent.
  public static func equal(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let x?, let y?): return equal(x, y)
    default: return false
    }
  }
}
