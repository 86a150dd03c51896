/// Everything that differs in one dataset between two revisions, each list in id order.
///
/// The lists of a diff made by the store work out their records when read (see
/// `ChangeList`), so a diff of a million records is written out without being held.
public struct DatasetDiff: Equatable, Sendable {
  /// The dataset's name in the store.
  public var name: String
  /// Added: the dataset exists only in the newer revision; removed: only in the older.
  public var status: ChangeType
  /// Changed fields of the dataset's own record (`dataset.json`).
  public var record: [FieldChange]
  public var annotations: ChangeList<AnnotationDiff>
  public var connections: ChangeList<RecordDiff>
  public var properties: ChangeList<RecordDiff>
  public var values: ChangeList<ValuesDiff>

  public init(
    name: String, status: ChangeType, record: [FieldChange] = [],
    annotations: ChangeList<AnnotationDiff> = [], connections: ChangeList<RecordDiff> = [],
    properties: ChangeList<RecordDiff> = [], values: ChangeList<ValuesDiff> = []
  ) {
    self.name = name
    self.status = status
    self.record = record
    self.annotations = annotations
    self.connections = connections
    self.properties = properties
    self.values = values
  }

  /// The counts per kind.
  public var summary: DiffSummary {
    var summary = DiffSummary()
    summary.annotations = annotations.counts
    summary.connections = connections.counts
    summary.properties = properties.counts
    summary.values = values.counts
    return summary
  }

  /// Whether nothing in the dataset differs.
  public var isEmpty: Bool {
    status == .modified && record.isEmpty && annotations.isEmpty && connections.isEmpty
      && properties.isEmpty && values.isEmpty
  }

  /// Annotations added, removed and modified per tag: an added annotation counts under the
  /// tags it has, a removed one under those it had, a modified one under both (each tag once).
  /// Annotations without tags count under the empty string. Reads the annotations list.
  public func annotationsByTag() throws -> [String: ChangeCounts] {
    var result: [String: ChangeCounts] = [:]
    try annotations.forEachChange { diff in
      let tags = diff.countedTags
      for tag in tags.isEmpty ? [""] : tags {
        result[tag, default: ChangeCounts()][diff.change] += 1
      }
    }
    return result
  }
}

/// A semantic diff between two revisions: every dataset that differs, in name order.
public struct RevisionDiff: Equatable, Sendable {
  /// The older commit, nil for "nothing" (a diff against the empty store).
  public var from: String?
  /// The newer commit.
  public var to: String
  public var datasets: [DatasetDiff]

  public init(from: String?, to: String, datasets: [DatasetDiff]) {
    self.from = from
    self.to = to
    self.datasets = datasets
  }

  /// The counts over all datasets.
  public var summary: DiffSummary {
    datasets.reduce(DiffSummary()) { $0 + $1.summary }
  }

  /// Whether the two revisions hold the same data (for the datasets compared).
  public var isEmpty: Bool { datasets.allSatisfy(\.isEmpty) }
}
