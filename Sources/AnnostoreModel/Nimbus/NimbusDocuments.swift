/// The checks NimbusImage's own server schema applies to each kind of record (FORMAT.md §6),
/// plus annostore's rule that ids are plain tokens. Valid records come back normalised:
/// the id under `_id`, every other field kept as it was (unknown ones included).
public enum NimbusDocuments {
  /// The annotation shapes NimbusImage stores.
  public static let annotationShapes: Set<String> = ["point", "line", "polygon", "rectangle"]
  /// The shapes a property definition may name.
  public static let propertyShapes: Set<String> = ["point", "line", "polygon"]

  /// Checks an annotation document.
  public static func annotation(_ value: JSONValue, at pointer: @autoclosure () -> String)
    throws(RecordError)
    -> NormalizedRecord
  {
    let members = try RecordChecks.members(value, "an annotation", at: pointer())
    let (id, normalized) = try RecordChecks.identify(members, "annotation", at: pointer())
    // The required members seen, one bit each in the order of `required`.
    let required = ["coordinates", "tags", "channel", "location", "shape"]
    var seen = 0
    for member in normalized {
      func at() -> String { RecordChecks.child(pointer(), member.key) }
      switch member.key {
      case "tags":
        seen |= 1 << 1
        try RecordChecks.stringArray(member.value, "\"tags\"", at: at())
      case "shape":
        seen |= 1 << 4
        let shape = try RecordChecks.string(member.value, "\"shape\"", at: at())
        guard annotationShapes.contains(shape) else {
          throw RecordError(
            "unknown shape \"\(shape)\" (NimbusImage stores point, line, polygon, rectangle)",
            at: at())
        }
      case "channel":
        seen |= 1 << 2
        try RecordChecks.integer(member.value, "\"channel\"", at: at())
      case "location":
        seen |= 1 << 3
        try location(member.value, at: at())
      case "coordinates":
        seen |= 1 << 0
        try coordinates(member.value, at: at())
      case "datasetId": _ = try RecordChecks.string(member.value, "\"datasetId\"", at: at())
      case "name": try RecordChecks.stringOrNull(member.value, "\"name\"", at: at())
      case "color": try RecordChecks.stringOrNull(member.value, "\"color\"", at: at())
      default: continue
      }
    }
    for (bit, name) in required.enumerated() where seen & (1 << bit) == 0 {
      throw RecordError("the annotation has no \"\(name)\"", at: pointer())
    }
    return NormalizedRecord(id: id, document: .object(normalized))
  }

  /// Checks a connection document.
  public static func connection(_ value: JSONValue, at pointer: @autoclosure () -> String)
    throws(RecordError)
    -> NormalizedRecord
  {
    let members = try RecordChecks.members(value, "a connection", at: pointer())
    let (id, normalized) = try RecordChecks.identify(members, "connection", at: pointer())
    var seen: Set<String> = []
    for member in normalized {
      func at() -> String { RecordChecks.child(pointer(), member.key) }
      switch member.key {
      case "parentId":
        seen.insert(member.key)
        _ = try RecordChecks.token(member.value, "\"parentId\"", at: at())
      case "childId":
        seen.insert(member.key)
        _ = try RecordChecks.token(member.value, "\"childId\"", at: at())
      case "tags": try RecordChecks.stringArray(member.value, "\"tags\"", at: at())
      case "label": try RecordChecks.stringOrNull(member.value, "\"label\"", at: at())
      case "datasetId": _ = try RecordChecks.string(member.value, "\"datasetId\"", at: at())
      default: continue
      }
    }
    for required in ["parentId", "childId"] where !seen.contains(required) {
      throw RecordError("the connection has no \"\(required)\"", at: pointer())
    }
    return NormalizedRecord(id: id, document: .object(normalized))
  }

  /// The two annotation ids a checked connection joins.
  public static func connectionEnds(_ document: JSONValue) -> (parent: String, child: String)? {
    guard let parent = document["parentId"]?.stringValue,
      let child = document["childId"]?.stringValue
    else { return nil }
    return (parent, child)
  }

  /// Checks a property definition.
  public static func property(_ value: JSONValue, at pointer: @autoclosure () -> String)
    throws(RecordError)
    -> NormalizedRecord
  {
    let members = try RecordChecks.members(value, "a property", at: pointer())
    let (id, normalized) = try RecordChecks.identify(members, "property", at: pointer())
    for member in normalized {
      func at() -> String { RecordChecks.child(pointer(), member.key) }
      switch member.key {
      case "name": _ = try RecordChecks.string(member.value, "\"name\"", at: at())
      case "image": _ = try RecordChecks.string(member.value, "\"image\"", at: at())
      case "shape":
        let shape = try RecordChecks.string(member.value, "\"shape\"", at: at())
        guard propertyShapes.contains(shape) else {
          throw RecordError(
            "unknown property shape \"\(shape)\" (point, line or polygon)", at: at())
        }
      case "tags": try propertyTags(member.value, at: at())
      case "workerInterface":
        _ = try RecordChecks.members(member.value, "\"workerInterface\"", at: at())
      default: continue
      }
    }
    return NormalizedRecord(id: id, document: .object(normalized))
  }

  /// Checks one annotation's property values (`{propertyId: value}`). Returns nil when
  /// there are none: an empty object is the same as no values.
  public static func values(_ value: JSONValue, at pointer: @autoclosure () -> String)
    throws(RecordError)
    -> JSONValue?
  {
    let members = try RecordChecks.members(value, "property values", at: pointer())
    if members.isEmpty { return nil }
    for member in members {
      func at() -> String { RecordChecks.child(pointer(), member.key) }
      if let problem = RecordID.problem(with: member.key) {
        throw RecordError("property id: \(problem)", at: at())
      }
      try propertyValue(member.value, at: at())
    }
    return value
  }

  static func propertyValue(_ value: JSONValue, at pointer: @autoclosure () -> String)
    throws(RecordError)
  {
    switch value {
    case .number, .string, .null: return
    case .object(let members):
      for member in members {
        try propertyValue(member.value, at: RecordChecks.child(pointer(), member.key))
      }
    case .bool, .array:
      throw RecordError(
        "a property value must be a number, string, null or object, not \(value.typeDescription)",
        at: pointer())
    }
  }

  static func location(_ value: JSONValue, at pointer: @autoclosure () -> String)
    throws(RecordError)
  {
    let members = try RecordChecks.members(value, "\"location\"", at: pointer())
    for member in members {
      switch member.key {
      case "XY", "Z", "Time":
        try RecordChecks.integer(
          member.value, "location \"\(member.key)\"",
          at: RecordChecks.child(pointer(), member.key))
      default: continue
      }
    }
  }

  static func coordinates(_ value: JSONValue, at pointer: @autoclosure () -> String)
    throws(RecordError)
  {
    guard case .array(let points) = value else {
      throw RecordError(
        "\"coordinates\" must be an array, not \(value.typeDescription)", at: pointer())
    }
    guard !points.isEmpty else {
      throw RecordError("\"coordinates\" must hold at least one point", at: pointer())
    }
    for (index, point) in points.enumerated() {
      func at() -> String { pointer() + "/\(index)" }
      guard case .object(let members) = point else {
        throw RecordError("a coordinate must be an object, not \(point.typeDescription)", at: at())
      }
      var hasX = false
      var hasY = false
      for member in members {
        switch member.key {
        case "x": hasX = true
        case "y": hasY = true
        case "z": break
        default: continue
        }
        guard case .number = member.value else {
          throw RecordError(
            "\"\(member.key)\" must be a number, not \(member.value.typeDescription)",
            at: at() + "/" + member.key)
        }
      }
      guard hasX, hasY else {
        throw RecordError("a coordinate needs both \"x\" and \"y\"", at: at())
      }
    }
  }

  static func propertyTags(_ value: JSONValue, at pointer: @autoclosure () -> String)
    throws(RecordError)
  {
    let members = try RecordChecks.members(value, "\"tags\"", at: pointer())
    for member in members {
      func at() -> String { RecordChecks.child(pointer(), member.key) }
      switch member.key {
      case "tags": try RecordChecks.stringArray(member.value, "\"tags\"", at: at())
      case "exclusive":
        guard case .bool = member.value else {
          throw RecordError(
            "\"exclusive\" must be true or false, not \(member.value.typeDescription)", at: at())
        }
      default: continue
      }
    }
  }
}
