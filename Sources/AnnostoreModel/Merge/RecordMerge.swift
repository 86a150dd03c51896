/// How the fields of a record merge.
public enum MergeStyle: Sendable {
  /// Annotations, connections, property definitions: each top-level field is one value
  /// (coordinates and location included), except a `tags` list of strings, merged as a set.
  case fields
  /// Property values: leaf by leaf, by path inside the values object.
  case leaves
}

/// Three-way merge of one record (plain data, no git): a field changed on one side only
/// takes that side; changed identically on both merges cleanly; changed differently is a
/// conflict on that field. Add/add with different content and delete/modify are conflicts
/// on the whole record; delete/delete is clean.
public enum RecordMerge {
  /// Merges one record's three versions (nil: the record is absent on that side).
  public static func merge(
    id: String, base: JSONValue?, ours: JSONValue?, theirs: JSONValue?, style: MergeStyle
  ) -> RecordMergeResult {
    if ours == theirs { return RecordMergeResult(merged: ours) }
    if ours == base { return RecordMergeResult(merged: theirs) }
    if theirs == base { return RecordMergeResult(merged: ours) }
    guard let ours, let theirs else {
      // One side deleted what the other changed.
      return RecordMergeResult(
        merged: ours,
        conflicts: [
          MergeConflict(
            kind: .deleteModify, recordId: id, path: [], base: base, ours: ours, theirs: theirs)
        ])
    }
    guard let base else {
      return RecordMergeResult(
        merged: ours,
        conflicts: [
          MergeConflict(
            kind: .addAdd, recordId: id, path: [], base: nil, ours: ours, theirs: theirs)
        ])
    }
    var conflicts: [MergeConflict] = []
    var merged: JSONValue?
    switch style {
    case .fields:
      merged = mergeFields(id: id, base: base, ours: ours, theirs: theirs, into: &conflicts)
    case .leaves:
      merged = mergeLeaves(
        id: id, base: base, ours: ours, theirs: theirs, path: [], into: &conflicts)
      // An empty values object is the same as no values.
      if case .object(let members)? = merged, members.isEmpty { merged = nil }
    }
    return RecordMergeResult(merged: merged, conflicts: conflicts)
  }

  /// Field by field, for records whose top-level fields are one value each.
  static func mergeFields(
    id: String, base: JSONValue, ours: JSONValue, theirs: JSONValue,
    into conflicts: inout [MergeConflict]
  ) -> JSONValue {
    guard let baseMembers = base.objectMembers, let ourMembers = ours.objectMembers,
      let theirMembers = theirs.objectMembers
    else {
      conflicts.append(
        MergeConflict(kind: .field, recordId: id, path: [], base: base, ours: ours, theirs: theirs))
      return ours
    }
    var result: [JSONMember] = []
    for key in unionOfKeys(ourMembers, theirMembers, baseMembers) {
      let b = base[key]
      let o = ours[key]
      let t = theirs[key]
      let value: JSONValue?
      if key == "tags", let ourTags = TagSetMerge.tags(o), let theirTags = TagSetMerge.tags(t),
        b == nil || TagSetMerge.tags(b) != nil
      {
        let merged = TagSetMerge.merge(
          base: TagSetMerge.tags(b) ?? [], ours: ourTags, theirs: theirTags)
        value = .array(merged.map { .string($0) })
      } else if o == t || t == b {
        value = o
      } else if o == b {
        value = t
      } else {
        conflicts.append(
          MergeConflict(kind: .field, recordId: id, path: [key], base: b, ours: o, theirs: t))
        value = o
      }
      if let value { result.append(JSONMember(key, value)) }
    }
    return .object(result)
  }

  /// Leaf by leaf: objects on both sides merge key by key, anything else is one value.
  static func mergeLeaves(
    id: String, base: JSONValue?, ours: JSONValue?, theirs: JSONValue?, path: [String],
    into conflicts: inout [MergeConflict]
  ) -> JSONValue? {
    if ours == theirs || theirs == base { return ours }
    if ours == base { return theirs }
    if case .object(let ourMembers)? = ours, case .object(let theirMembers)? = theirs {
      let baseMembers: [JSONMember]?
      switch base {
      case nil: baseMembers = []
      case .object(let members)?: baseMembers = members
      default: baseMembers = nil
      }
      if let baseMembers {
        var result: [JSONMember] = []
        for key in unionOfKeys(ourMembers, theirMembers, baseMembers) {
          if let value = mergeLeaves(
            id: id, base: base?[key], ours: ours?[key], theirs: theirs?[key], path: path + [key],
            into: &conflicts)
          {
            result.append(JSONMember(key, value))
          }
        }
        return .object(result)
      }
    }
    conflicts.append(
      MergeConflict(kind: .field, recordId: id, path: path, base: base, ours: ours, theirs: theirs))
    return ours
  }

  /// Every key of the three member lists once: ours' order, then theirs', then the base's.
  static func unionOfKeys(_ lists: [JSONMember]...) -> [String] {
    var seen: Set<String> = []
    var keys: [String] = []
    for list in lists {
      for member in list where seen.insert(member.key).inserted { keys.append(member.key) }
    }
    return keys
  }

  /// `record` with the value at `path` replaced by `value` (removed when nil): how a
  /// conflict is settled. An empty path replaces the whole record. Objects missing on the
  /// way are created.
  public static func setting(_ value: JSONValue?, at path: [String], in record: JSONValue?)
    -> JSONValue?
  {
    guard let key = path.first else { return value }
    var members = record?.objectMembers ?? []
    let index = members.firstIndex { $0.key == key }
    let inner = setting(value, at: Array(path.dropFirst()), in: index.map { members[$0].value })
    switch (index, inner) {
    case (let index?, let inner?): members[index].value = inner
    case (let index?, nil): members.remove(at: index)
    case (nil, let inner?): members.append(JSONMember(key, inner))
    case (nil, nil): break
    }
    return .object(members)
  }

  /// The value at `path` inside `record`, nil when absent.
  public static func value(at path: [String], in record: JSONValue?) -> JSONValue? {
    var current = record
    for key in path { current = current?[key] }
    return current
  }
}
