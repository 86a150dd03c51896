/// The four kinds of records a dataset diff covers, in the order diffs list them.
public enum DiffKind: String, CaseIterable, Sendable {
  case annotations
  case connections
  case properties
  /// Property values, counted per annotation whose values changed.
  case values
}

/// How one record differs between two revisions.
public enum ChangeType: String, CaseIterable, Sendable {
  /// Only in the newer revision.
  case added
  /// Only in the older revision.
  case removed
  /// In both, with different content.
  case modified

  /// The one-character marker text output starts a record's line with.
  public var marker: String {
    switch self {
    case .added: return "+"
    case .removed: return "-"
    case .modified: return "~"
    }
  }
}

/// How many records of one kind were added, removed and modified.
public struct ChangeCounts: Equatable, Sendable {
  public var added = 0
  public var removed = 0
  public var modified = 0

  public init(added: Int = 0, removed: Int = 0, modified: Int = 0) {
    self.added = added
    self.removed = removed
    self.modified = modified
  }

  /// Every changed record.
  public var total: Int { added + removed + modified }

  /// The count of one type of change.
  public subscript(change: ChangeType) -> Int {
    get {
      switch change {
      case .added: return added
      case .removed: return removed
      case .modified: return modified
      }
    }
    set {
      switch change {
      case .added: added = newValue
      case .removed: removed = newValue
      case .modified: modified = newValue
      }
    }
  }

  /// The sum of two counts.
  public static func + (a: ChangeCounts, b: ChangeCounts) -> ChangeCounts {
    ChangeCounts(
      added: a.added + b.added, removed: a.removed + b.removed, modified: a.modified + b.modified)
  }
}

/// The counts of a diff per kind of record: the `summary` object of `diff --format json`
/// (DESIGN.md, "Fixed points of the command line").
public struct DiffSummary: Equatable, Sendable {
  public var annotations = ChangeCounts()
  public var connections = ChangeCounts()
  public var properties = ChangeCounts()
  /// Annotations whose property values changed.
  public var values = ChangeCounts()

  public init() {}

  /// The counts of one kind.
  public subscript(kind: DiffKind) -> ChangeCounts {
    get {
      switch kind {
      case .annotations: return annotations
      case .connections: return connections
      case .properties: return properties
      case .values: return values
      }
    }
    set {
      switch kind {
      case .annotations: annotations = newValue
      case .connections: connections = newValue
      case .properties: properties = newValue
      case .values: values = newValue
      }
    }
  }

  /// Whether nothing changed.
  public var isEmpty: Bool { DiffKind.allCases.allSatisfy { self[$0].total == 0 } }

  /// The sum of two summaries.
  public static func + (a: DiffSummary, b: DiffSummary) -> DiffSummary {
    var sum = DiffSummary()
    for kind in DiffKind.allCases { sum[kind] = a[kind] + b[kind] }
    return sum
  }
}
