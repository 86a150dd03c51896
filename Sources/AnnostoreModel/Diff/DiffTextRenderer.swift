/// Writes a diff for people: a header naming the two revisions, then per dataset a summary
/// line and one line per changed record (`+` added, `-` removed, `~` modified).
public enum DiffTextRenderer {
  /// The whole diff as lines. `header` adds the `diff A..B` line (left out by `show`).
  public static func lines(_ diff: RevisionDiff, header: Bool = true) throws -> [String] {
    var lines: [String] = []
    try write(diff, header: header) { lines.append($0) }
    return lines
  }

  /// Hands the diff's lines to `emit` one at a time, so a diff of a million records is
  /// never held as text all at once.
  public static func write(
    _ diff: RevisionDiff, header: Bool = true, emit: (String) throws -> Void
  ) throws {
    if header {
      try emit("diff \(shortCommit(diff.from) ?? "(empty)")..\(shortCommit(diff.to) ?? "")")
    }
    let changed = diff.datasets.filter { !$0.isEmpty }
    if changed.isEmpty {
      try emit("no differences")
      return
    }
    for (index, dataset) in changed.enumerated() {
      if index > 0 { try emit("") }
      try write(dataset, emit: emit)
    }
  }

  /// One dataset as lines.
  public static func lines(_ dataset: DatasetDiff) throws -> [String] {
    var lines: [String] = []
    try write(dataset) { lines.append($0) }
    return lines
  }

  /// One dataset: its summary line, then a line per changed record.
  public static func write(_ dataset: DatasetDiff, emit: (String) throws -> Void) throws {
    try emit(summaryLine(dataset))
    for change in dataset.record { try emit("~ dataset.json: " + fieldText(change)) }
    try dataset.annotations.forEachChange { try emit(annotationLine($0)) }
    try dataset.connections.forEachChange { try emit(connectionLine($0)) }
    try dataset.properties.forEachChange { try emit(propertyLine($0)) }
    try dataset.values.forEachChange { try emit(valuesLine($0)) }
  }

  /// `hela: annotations +3 -1 ~2, values ~5` (kinds without changes are left out).
  public static func summaryLine(_ dataset: DatasetDiff) -> String {
    let counts = countsText(dataset.summary)
    return title(dataset) + ": " + (counts.isEmpty ? "no record changes" : counts)
  }

  /// The dataset's name, marked when the dataset itself is new or gone.
  public static func title(_ dataset: DatasetDiff) -> String {
    switch dataset.status {
    case .added: return dataset.name + " (new dataset)"
    case .removed: return dataset.name + " (dataset removed)"
    case .modified: return dataset.name
    }
  }

  /// `annotations +3 -1 ~2, values ~5`; empty when nothing changed.
  public static func countsText(_ summary: DiffSummary) -> String {
    DiffKind.allCases.compactMap { kind -> String? in
      let counts = summary[kind]
      guard counts.total > 0 else { return nil }
      let parts = ChangeType.allCases.filter { counts[$0] > 0 }.map { "\($0.marker)\(counts[$0])" }
      return kind.rawValue + " " + parts.joined(separator: " ")
    }.joined(separator: ", ")
  }

  /// `+ annotation ID polygon [nucleus] at XY 1 Z 3 T 1 (16 vertices)`, or for a modified
  /// one `~ annotation ID: tags +bright; coordinates: ...`.
  public static func annotationLine(_ diff: AnnotationDiff) -> String {
    let head = "\(diff.change.marker) annotation \(diff.id)"
    switch diff.change {
    case .added, .removed:
      guard let sketch = diff.after ?? diff.before else { return head }
      return head + " " + sketchText(sketch)
    case .modified:
      return head + ": " + diff.fields.map(fieldText).joined(separator: "; ")
    }
  }

  /// `polygon [nucleus] at XY 1 Z 3 T 1 (16 vertices)`, with the name when there is one.
  public static func sketchText(_ sketch: AnnotationSketch) -> String {
    var parts = [sketch.shape ?? "(no shape)", DiffValueText.tags(sketch.tags)]
    if let name = sketch.name?.stringValue, !name.isEmpty {
      parts.append(DiffValueText.quoted(name))
    }
    if let location = DiffValueText.location(sketch.location) {
      parts.append("at " + location)
    } else if sketch.location != nil {
      parts.append("at " + DiffValueText.text(sketch.location))
    }
    parts.append("(\(sketch.vertices) \(sketch.vertices == 1 ? "vertex" : "vertices"))")
    return parts.joined(separator: " ")
  }

  /// `+ connection ID PARENT → CHILD [tags] "label"` or `~ connection ID: label ...`.
  public static func connectionLine(_ diff: RecordDiff) -> String {
    let head = "\(diff.change.marker) connection \(diff.id)"
    switch diff.change {
    case .added, .removed:
      guard let document = diff.after ?? diff.before else { return head }
      var parts = [
        head,
        (document["parentId"]?.stringValue ?? "?") + " → "
          + (document["childId"]?.stringValue ?? "?"),
      ]
      let tags = (document["tags"]?.arrayElements ?? []).compactMap(\.stringValue)
      parts.append(DiffValueText.tags(tags))
      if let label = document["label"]?.stringValue { parts.append(DiffValueText.quoted(label)) }
      return parts.joined(separator: " ")
    case .modified:
      return head + ": " + diff.fields.map(fieldText).joined(separator: "; ")
    }
  }

  /// `+ property ID "name" (polygon, image)` or `~ property ID "name": image ...`.
  public static func propertyLine(_ diff: RecordDiff) -> String {
    let document = diff.after ?? diff.before
    var head = "\(diff.change.marker) property \(diff.id)"
    if let name = document?["name"]?.stringValue { head += " " + DiffValueText.quoted(name) }
    switch diff.change {
    case .added, .removed:
      let details = ["shape", "image"].compactMap { document?[$0]?.stringValue }
      return details.isEmpty ? head : head + " (" + details.joined(separator: ", ") + ")"
    case .modified:
      return head + ": " + diff.fields.map(fieldText).joined(separator: "; ")
    }
  }

  /// `~ values ID: nucleus Blob Metrics / Area: 2170 → 2210`; for added or removed values
  /// `+ values ID: nucleus Blob Metrics / Area = 2170; ...`.
  public static func valuesLine(_ diff: ValuesDiff) -> String {
    let head = "\(diff.change.marker) values \(diff.id)"
    let parts = diff.entries.map { entry -> String in
      switch diff.change {
      case .added: return entry.column + " = " + DiffValueText.text(entry.after)
      case .removed: return entry.column + " = " + DiffValueText.text(entry.before)
      case .modified:
        return entry.column + ": " + DiffValueText.text(entry.before) + " → "
          + DiffValueText.text(entry.after)
      }
    }
    return parts.isEmpty ? head : head + ": " + parts.joined(separator: "; ")
  }

  /// One changed field: `tags +bright -dim`, `coordinates: 16 of 16 vertices moved, at most
  /// 2.5 px`, `location XY 1 Z 3 T 1 → XY 1 Z 4 T 1`, `channel 0 → 1`.
  public static func fieldText(_ change: FieldChange) -> String {
    switch change {
    case .tags(let tags):
      let parts = tags.added.map { "+" + $0 } + tags.removed.map { "-" + $0 }
      if parts.isEmpty {
        return
          "\(tags.field) \(DiffValueText.tags(tags.before)) → \(DiffValueText.tags(tags.after))"
      }
      return tags.field + " " + parts.joined(separator: " ")
    case .coordinates(let coordinates):
      return "coordinates: " + coordinatesText(coordinates)
    case .value(let value):
      if value.field == "location", let before = DiffValueText.location(value.before),
        let after = DiffValueText.location(value.after)
      {
        return "location \(before) → \(after)"
      }
      return
        "\(value.field) \(DiffValueText.text(value.before)) → \(DiffValueText.text(value.after))"
    }
  }

  /// `16 of 16 vertices moved, at most 2.5 px`; with a new vertex count
  /// `16 → 18 vertices, 3 of 16 paired moved, at most 1 px`.
  public static func coordinatesText(_ change: CoordinatesChange) -> String {
    var parts: [String] = []
    if change.verticesBefore == change.verticesAfter {
      let noun = change.verticesBefore == 1 ? "vertex" : "vertices"
      parts.append("\(change.moved) of \(change.verticesBefore) \(noun) moved")
    } else {
      parts.append("\(change.verticesBefore) → \(change.verticesAfter) vertices")
      parts.append("\(change.moved) of \(change.paired) paired moved")
    }
    if change.moved > 0 {
      parts.append("at most \(DiffValueText.pixels(change.maxDisplacement)) px")
    }
    if change.otherChanged > 0 {
      parts.append("\(change.otherChanged) with other changes (e.g. z)")
    }
    return parts.joined(separator: ", ")
  }

  static func shortCommit(_ commit: String?) -> String? {
    commit.map { String($0.prefix(12)) }
  }
}
