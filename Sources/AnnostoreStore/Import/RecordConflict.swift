import AnnostoreModel

/// How a conflict was settled.
public enum ConflictResolution: Sendable, Equatable {
  /// One side's version (the base, ours or theirs; absent means "no such field/record").
  case side(MergeSide)
  /// A value the user gave (nil: absent).
  case value(JSONValue?)
}

/// A conflict on one record of the dataset being merged, numbered within its merge, with
/// its resolution once settled.
public struct RecordConflict: Sendable, Equatable {
  /// 1-based, stable for the life of the merge: how `resolve` names it.
  public var number: Int
  /// Which kind of record.
  public var kind: RecordKind
  /// What disagrees, with the three versions.
  public var conflict: MergeConflict
  /// How it was settled, nil while open.
  public var resolution: ConflictResolution?

  /// A conflict as given.
  public init(
    number: Int, kind: RecordKind, conflict: MergeConflict, resolution: ConflictResolution? = nil
  ) {
    self.number = number
    self.kind = kind
    self.conflict = conflict
    self.resolution = resolution
  }

  /// The value the resolution chooses (nil: absent). Only meaningful once resolved.
  public var chosenValue: JSONValue? {
    switch resolution {
    case .side(let side)?: return conflict.value(of: side)
    case .value(let value)?: return value
    case nil: return conflict.ours
    }
  }
}

/// What `import` does when both sides changed the same thing differently.
public enum ConflictPolicy: String, Sendable, CaseIterable {
  /// Write nothing; list the conflicts (the default).
  case fail
  /// Settle every conflict with our version.
  case ours
  /// Settle every conflict with their version.
  case theirs
  /// Stop with the merge state saved, for `conflicts`, `resolve` and `merge --continue`.
  case manual
}

extension RecordKind {
  /// How records of this kind merge.
  var mergeStyle: MergeStyle { self == .values ? .leaves : .fields }
}
