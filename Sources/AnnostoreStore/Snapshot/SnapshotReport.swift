import AnnostoreGit

/// How one kind of records changed in a commit.
public struct KindChange: Sendable, Equatable {
  public var added = 0
  public var modified = 0
  public var removed = 0
  /// How many records of this kind the dataset holds afterwards.
  public var total = 0

  public init() {}

  /// Whether anything changed.
  public var isEmpty: Bool { added == 0 && modified == 0 && removed == 0 }

  /// Compares two record indexes (id → blob id).
  static func between(_ old: [String: ObjectID], _ new: [String: ObjectID]) -> KindChange {
    var change = KindChange()
    change.total = new.count
    for (id, blob) in new {
      if let before = old[id] {
        if before != blob { change.modified += 1 }
      } else {
        change.added += 1
      }
    }
    change.removed = old.count - (new.count - change.added)
    return change
  }
}

/// What `commit` did.
public struct SnapshotReport: Sendable {
  /// The dataset recorded.
  public var dataset: String
  /// The new commit, nil when nothing changed.
  public var commit: String?
  /// The commit it follows, nil for the first one.
  public var parent: String?
  /// Which parts the export carried (the others were kept as they were).
  public var sectionsRead: [RecordKind]
  /// Per kind of record, what changed.
  public var changes: [RecordKind: KindChange]
  /// Property values dropped because their annotation does not exist.
  public var droppedValues: Int
  /// Connections dropped because one of their ends does not exist.
  public var droppedConnections: Int
  /// Objects written to the new pack.
  public var newObjects: Int

  /// Whether the export changed nothing.
  public var nothingChanged: Bool { commit == nil }
}
