import AnnostoreModel

/// The JSON form of a conflict, shared by the saved merge state and `conflicts --json`
/// (Schemas/conflicts.schema.json): each version as `{"exists": false}` or
/// `{"exists": true, "value": ...}`, so an absent field differs from a `null` one.
public enum ConflictJSON {
  /// One conflict as JSON.
  public static func encode(_ conflict: RecordConflict) -> JSONValue {
    let data = conflict.conflict
    var members = [
      JSONMember("number", .number(Double(conflict.number))),
      JSONMember("kind", .string(data.kind.rawValue)),
      JSONMember("record", .string(conflict.kind.singular)),
      JSONMember("recordId", .string(data.recordId)),
      JSONMember("path", .array(data.path.map { .string($0) })),
      JSONMember("base", version(data.base)),
      JSONMember("ours", version(data.ours)),
      JSONMember("theirs", version(data.theirs)),
    ]
    switch conflict.resolution {
    case nil: members.append(JSONMember("resolution", .null))
    case .side(let side)?:
      members.append(
        JSONMember(
          "resolution",
          .object([
            JSONMember("by", .string(side.rawValue)),
            JSONMember("value", version(conflict.chosenValue)),
          ])))
    case .value(let value)?:
      members.append(
        JSONMember(
          "resolution",
          .object([JSONMember("by", .string("file")), JSONMember("value", version(value))])))
    }
    return .object(members)
  }

  static func version(_ value: JSONValue?) -> JSONValue {
    guard let value else { return .object([JSONMember("exists", .bool(false))]) }
    return .object([JSONMember("exists", .bool(true)), JSONMember("value", value)])
  }

  static func decodeVersion(_ json: JSONValue?) throws -> JSONValue? {
    guard let json, case .bool(let exists)? = json["exists"] else {
      throw StateError("a conflict version lacks \"exists\"")
    }
    return exists ? json["value"] : nil
  }

  static func decode(_ json: JSONValue) throws -> RecordConflict {
    guard let number = json["number"]?.numberValue,
      let kindText = json["kind"]?.stringValue, let kind = MergeConflict.Kind(rawValue: kindText),
      let recordText = json["record"]?.stringValue,
      let record = RecordKind.allCases.first(where: { $0.singular == recordText }),
      let recordId = json["recordId"]?.stringValue,
      let path = json["path"]?.arrayElements?.compactMap({ $0.stringValue })
    else { throw StateError("a conflict is incomplete") }
    let conflict = MergeConflict(
      kind: kind, recordId: recordId, path: path, base: try decodeVersion(json["base"]),
      ours: try decodeVersion(json["ours"]), theirs: try decodeVersion(json["theirs"]))
    var resolution: ConflictResolution?
    if let settled = json["resolution"], settled != .null {
      switch settled["by"]?.stringValue {
      case "file": resolution = .value(try decodeVersion(settled["value"]))
      case let side?:
        guard let side = MergeSide(rawValue: side) else { throw StateError("bad resolution") }
        resolution = .side(side)
      case nil: throw StateError("bad resolution")
      }
    }
    return RecordConflict(
      number: Int(number), kind: record, conflict: conflict, resolution: resolution)
  }
}
