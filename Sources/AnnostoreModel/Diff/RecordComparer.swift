/// Compares two versions of a record field by field. Identity (`_id`) is never a change;
/// fields are listed in the order people look for them, then any other field by name.
public enum RecordComparer {
  /// The order annotation fields are reported in.
  public static let annotationFields = [
    "tags", "shape", "location", "channel", "name", "color", "coordinates",
  ]
  /// The order connection fields are reported in.
  public static let connectionFields = ["parentId", "childId", "tags", "label"]
  /// The order property-definition fields are reported in.
  public static let propertyFields = ["name", "image", "shape", "tags", "workerInterface"]

  /// How an annotation differs; nil when it is the same (or absent) in both.
  public static func annotation(id: String, before: JSONValue?, after: JSONValue?)
    -> AnnotationDiff?
  {
    switch (before, after) {
    case (nil, nil): return nil
    case (nil, let new?):
      return AnnotationDiff(id: id, change: .added, before: nil, after: .init(new))
    case (let old?, nil):
      return AnnotationDiff(id: id, change: .removed, before: .init(old), after: nil)
    case (let old?, let new?):
      let fields = fieldChanges(old, new, order: annotationFields, coordinates: true)
      guard !fields.isEmpty else { return nil }
      return AnnotationDiff(
        id: id, change: .modified, before: .init(old), after: .init(new), fields: fields)
    }
  }

  /// How a connection differs; nil when it is the same (or absent) in both.
  public static func connection(id: String, before: JSONValue?, after: JSONValue?) -> RecordDiff? {
    record(id: id, before: before, after: after, order: connectionFields)
  }

  /// How a property definition differs; nil when it is the same (or absent) in both.
  public static func property(id: String, before: JSONValue?, after: JSONValue?) -> RecordDiff? {
    record(id: id, before: before, after: after, order: propertyFields)
  }

  /// The changed fields of a dataset's own record.
  public static func datasetRecord(before: JSONValue?, after: JSONValue?) -> [FieldChange] {
    fieldChanges(before ?? .object([]), after ?? .object([]), order: ["name"], coordinates: false)
  }

  static func record(id: String, before: JSONValue?, after: JSONValue?, order: [String])
    -> RecordDiff?
  {
    switch (before, after) {
    case (nil, nil): return nil
    case (nil, let new?): return RecordDiff(id: id, change: .added, before: nil, after: new)
    case (let old?, nil): return RecordDiff(id: id, change: .removed, before: old, after: nil)
    case (let old?, let new?):
      let fields = fieldChanges(old, new, order: order, coordinates: false)
      guard !fields.isEmpty else { return nil }
      return RecordDiff(id: id, change: .modified, before: old, after: new, fields: fields)
    }
  }

  /// The fields that differ between two documents: those of `order` first, then the rest
  /// sorted by name. A `tags` list of strings is compared as tags; `coordinates` by vertex
  /// when `coordinates` is set.
  static func fieldChanges(
    _ before: JSONValue, _ after: JSONValue, order: [String], coordinates: Bool
  ) -> [FieldChange] {
    let old = members(before)
    let new = members(after)
    let known = Set(order)
    let others = Set(old.keys).union(new.keys).subtracting(known).subtracting(["_id"])
      .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    var result: [FieldChange] = []
    for field in order + others {
      let a = old[field]
      let b = new[field]
      guard !JSONEquivalence.equal(a, b) else { continue }
      if field == "tags", let a, let b, let oldTags = strings(a), let newTags = strings(b) {
        result.append(.tags(TagsChange(field: field, before: oldTags, after: newTags)))
      } else if coordinates, field == "coordinates", let a, let b,
        let change = CoordinatesComparer.compare(a, b)
      {
        result.append(.coordinates(change))
      } else {
        result.append(.value(ValueChange(field: field, before: a, after: b)))
      }
    }
    return result
  }

  private static func members(_ value: JSONValue) -> [String: JSONValue] {
    var result: [String: JSONValue] = [:]
    for member in value.objectMembers ?? [] { result[member.key] = member.value }
    return result
  }

  private static func strings(_ value: JSONValue) -> [String]? {
    guard let elements = value.arrayElements else { return nil }
    var result: [String] = []
    for element in elements {
      guard let text = element.stringValue else { return nil }
      result.append(text)
    }
    return result
  }
}
