import AnnostoreModel
import AnnostoreStore

/// How conflicts are shown: one block per conflict for people, the JSON of
/// Schemas/conflicts.schema.json for scripts.
enum ConflictOutput {
  /// Longest JSON text shown for one version before it is cut.
  static let maximumShown = 400

  static func text(_ conflict: RecordConflict) -> String {
    let data = conflict.conflict
    let field = data.isRecordLevel ? "whole record" : data.pathText
    var lines = [
      "#\(conflict.number) \(data.kind.rawValue) conflict on \(conflict.kind.singular) "
        + "\(data.recordId): \(field)"
    ]
    for side in MergeSide.allCases {
      let label = (side.rawValue + ":").padding(toLength: 8, withPad: " ", startingAt: 0)
      lines.append("    \(label)\(shown(data.value(of: side)))")
    }
    if data.isRecordLevel, let summary = changedFields(data) { lines.append("    \(summary)") }
    switch conflict.resolution {
    case nil: break
    case .side(let side)?: lines.append("    settled: \(side.rawValue)")
    case .value(let value)?: lines.append("    settled: \(shown(value)) (given)")
    }
    return lines.joined(separator: "\n")
  }

  /// For a whole-record conflict, which fields tell the versions apart.
  static func changedFields(_ conflict: MergeConflict) -> String? {
    func differing(_ a: JSONValue?, _ b: JSONValue?) -> [String]? {
      guard let a = a?.objectMembers, let b = b?.objectMembers else { return nil }
      var keys: [String] = []
      for key in (a + b).map(\.key) where !keys.contains(key) {
        if a.first(where: { $0.key == key })?.value != b.first(where: { $0.key == key })?.value {
          keys.append(key)
        }
      }
      return keys
    }
    switch conflict.kind {
    case .addAdd:
      return differing(conflict.ours, conflict.theirs).map {
        "ours and theirs differ in: " + $0.joined(separator: ", ")
      }
    case .deleteModify:
      let changed = conflict.ours == nil ? conflict.theirs : conflict.ours
      let side = conflict.ours == nil ? "theirs" : "ours"
      let deleter = conflict.ours == nil ? "ours" : "theirs"
      return differing(conflict.base, changed).map {
        "\(deleter) deleted it; \(side) changed: " + $0.joined(separator: ", ")
      }
    case .field:
      return nil
    }
  }

  static func shown(_ value: JSONValue?) -> String {
    guard let value else { return "(absent)" }
    let text = String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
    guard text.count > maximumShown else { return text }
    return String(text.prefix(maximumShown)) + "… (\(text.count) characters)"
  }

  /// The `conflicts --json` document.
  static func json(_ progress: MergeProgress) -> JSONValue {
    .object([
      JSONMember("version", .number(1)),
      JSONMember("dataset", .string(progress.dataset)),
      JSONMember("source", .string(progress.source)),
      JSONMember("file", .string(progress.file)),
      JSONMember("ours", .string(progress.ours)),
      JSONMember("theirs", .string(progress.theirs)),
      JSONMember("base", JSONOutput.string(progress.base)),
      JSONMember("open", .number(Double(progress.open.count))),
      JSONMember("conflicts", .array(progress.conflicts.map(ConflictJSON.encode))),
    ])
  }

  static func changesJSON(_ changes: [RecordKind: KindChange]) -> JSONValue {
    .object(
      RecordKind.allCases.compactMap { kind in
        changes[kind].map {
          JSONMember(
            kind.rawValue,
            .object([
              JSONMember("added", .number(Double($0.added))),
              JSONMember("modified", .number(Double($0.modified))),
              JSONMember("removed", .number(Double($0.removed))),
            ]))
        }
      })
  }

  static func changesText(_ changes: [RecordKind: KindChange]) -> [String] {
    RecordKind.allCases.compactMap { kind in
      changes[kind].map {
        "  \(kind.rawValue): +\($0.added) ~\($0.modified) -\($0.removed)"
      }
    }
  }

  static func droppedJSON(_ dropped: DroppedCounts) -> JSONValue {
    .object([
      JSONMember("values", .number(Double(dropped.values))),
      JSONMember("connections", .number(Double(dropped.connections))),
    ])
  }
}
