/// Writes a diff as the versioned JSON document `Schemas/diff.schema.json` describes:
/// `{"format":"annostore-diff","version":1,"from","to","datasets":{...},"summary":{...}}`.
public enum DiffJSONRenderer {
  /// The value of `"format"`.
  public static let format = "annostore-diff"
  /// The version of the document's layout.
  public static let version = 1

  /// The whole document as one value (for small diffs: a large one is written with
  /// `streamed`). The top-level `summary` is the total over the datasets listed.
  public static func document(_ diff: RevisionDiff) throws -> JSONValue {
    .object([
      JSONMember("format", .string(format)),
      JSONMember("version", .number(Double(version))),
      JSONMember("from", diff.from.map { .string($0) } ?? .null),
      JSONMember("to", .string(diff.to)),
      JSONMember(
        "datasets", .object(try diff.datasets.map { JSONMember($0.name, try dataset($0)) })),
      JSONMember("summary", summary(diff.summary)),
    ])
  }

  /// The whole document, to be written piece by piece: the same bytes as `document`
  /// encoded canonically, without holding them all.
  public static func streamed(_ diff: RevisionDiff) -> StreamedJSON {
    .object([
      ("format", .value(.string(format))),
      ("version", .value(.number(Double(version)))),
      ("from", .value(diff.from.map { .string($0) } ?? .null)),
      ("to", .value(.string(diff.to))),
      ("datasets", .object(diff.datasets.map { ($0.name, streamed($0)) })),
      ("summary", .value(summary(diff.summary))),
    ])
  }

  /// One dataset's changes, to be written piece by piece.
  public static func streamed(_ dataset: DatasetDiff) -> StreamedJSON {
    func list<T>(_ items: ChangeList<T>, _ render: @escaping (T) -> JSONValue) -> StreamedJSON {
      .elements { each in try items.forEachChange { try each(.value(render($0))) } }
    }
    return .object([
      ("status", .value(.string(dataset.status.rawValue))),
      ("summary", .value(summary(dataset.summary))),
      ("dataset", .value(.array(dataset.record.map(field)))),
      ("annotations", list(dataset.annotations, annotation)),
      ("connections", list(dataset.connections, record)),
      ("properties", list(dataset.properties, record)),
      ("values", list(dataset.values, values)),
    ])
  }

  /// One dataset's changes as one value.
  public static func dataset(_ dataset: DatasetDiff) throws -> JSONValue {
    .object([
      JSONMember("status", .string(dataset.status.rawValue)),
      JSONMember("summary", summary(dataset.summary)),
      JSONMember("dataset", .array(dataset.record.map(field))),
      JSONMember("annotations", .array(try dataset.annotations.elements().map(annotation))),
      JSONMember("connections", .array(try dataset.connections.elements().map(record))),
      JSONMember("properties", .array(try dataset.properties.elements().map(record))),
      JSONMember("values", .array(try dataset.values.elements().map(values))),
    ])
  }

  /// `{"annotations": {"added","removed","modified"}, "connections": ..., ...}`.
  public static func summary(_ summary: DiffSummary) -> JSONValue {
    .object(DiffKind.allCases.map { JSONMember($0.rawValue, counts(summary[$0])) })
  }

  /// `{"added": n, "removed": n, "modified": n}`.
  public static func counts(_ counts: ChangeCounts) -> JSONValue {
    .object(ChangeType.allCases.map { JSONMember($0.rawValue, .number(Double(counts[$0]))) })
  }

  /// An annotation's change: its sketch before and/or after, and for a modified one the
  /// changed fields.
  public static func annotation(_ diff: AnnotationDiff) -> JSONValue {
    var members = [
      JSONMember("id", .string(diff.id)), JSONMember("change", .string(diff.change.rawValue)),
    ]
    if let before = diff.before { members.append(JSONMember("before", sketch(before))) }
    if let after = diff.after { members.append(JSONMember("after", sketch(after))) }
    if diff.change == .modified {
      members.append(JSONMember("fields", .array(diff.fields.map(field))))
    }
    return .object(members)
  }

  /// A connection's or property's change: the whole document when added or removed, the
  /// changed fields when modified.
  public static func record(_ diff: RecordDiff) -> JSONValue {
    var members = [
      JSONMember("id", .string(diff.id)), JSONMember("change", .string(diff.change.rawValue)),
    ]
    switch diff.change {
    case .added: members.append(JSONMember("after", diff.after ?? .null))
    case .removed: members.append(JSONMember("before", diff.before ?? .null))
    case .modified: members.append(JSONMember("fields", .array(diff.fields.map(field))))
    }
    return .object(members)
  }

  /// An annotation's changed values, leaf by leaf.
  public static func values(_ diff: ValuesDiff) -> JSONValue {
    .object([
      JSONMember("id", .string(diff.id)),
      JSONMember("change", .string(diff.change.rawValue)),
      JSONMember("entries", .array(diff.entries.map(entry))),
    ])
  }

  /// `{"path": [...], "column": "...", "change": ..., "before"?: v, "after"?: v}`: a side is
  /// left out where the path does not exist, and is `null` where the stored value is null.
  public static func entry(_ entry: ValueEntryChange) -> JSONValue {
    var members = [
      JSONMember("path", .array(entry.path.map { .string($0) })),
      JSONMember("column", .string(entry.column)),
      JSONMember("change", .string(entry.change.rawValue)),
    ]
    if let before = entry.before { members.append(JSONMember("before", before)) }
    if let after = entry.after { members.append(JSONMember("after", after)) }
    return .object(members)
  }

  /// One changed field.
  public static func field(_ change: FieldChange) -> JSONValue {
    switch change {
    case .tags(let tags):
      return .object([
        JSONMember("field", .string(tags.field)),
        JSONMember("before", strings(tags.before)),
        JSONMember("after", strings(tags.after)),
        JSONMember("added", strings(tags.added)),
        JSONMember("removed", strings(tags.removed)),
      ])
    case .coordinates(let coordinates):
      return .object([
        JSONMember("field", .string("coordinates")),
        JSONMember("verticesBefore", .number(Double(coordinates.verticesBefore))),
        JSONMember("verticesAfter", .number(Double(coordinates.verticesAfter))),
        JSONMember("moved", .number(Double(coordinates.moved))),
        JSONMember("maxDisplacement", .number(coordinates.maxDisplacement)),
        JSONMember("otherChanged", .number(Double(coordinates.otherChanged))),
      ])
    case .value(let value):
      var members = [JSONMember("field", .string(value.field))]
      if let before = value.before { members.append(JSONMember("before", before)) }
      if let after = value.after { members.append(JSONMember("after", after)) }
      return .object(members)
    }
  }

  /// `{"shape", "tags", "location", "channel", "vertices", "name"?, "color"?}`, as stored.
  public static func sketch(_ sketch: AnnotationSketch) -> JSONValue {
    var members = [
      JSONMember("shape", sketch.shape.map { .string($0) } ?? .null),
      JSONMember("tags", strings(sketch.tags)),
      JSONMember("location", sketch.location ?? .null),
      JSONMember("channel", sketch.channel ?? .null),
      JSONMember("vertices", .number(Double(sketch.vertices))),
    ]
    if let name = sketch.name { members.append(JSONMember("name", name)) }
    if let color = sketch.color { members.append(JSONMember("color", color)) }
    return .object(members)
  }

  private static func strings(_ values: [String]) -> JSONValue {
    .array(values.map { .string($0) })
  }
}
