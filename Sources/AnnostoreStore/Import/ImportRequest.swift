import AnnostoreModel

/// What to import, and how (`annostore import`).
public struct ImportRequest: Sendable {
  /// The NimbusImage JSON export.
  public var file: String
  /// The dataset to merge it into.
  public var dataset: String
  /// The source it comes from; nil: the `datasetId` its annotations carry.
  public var source: String?
  /// What to do with conflicts.
  public var onConflict: ConflictPolicy = .fail
  /// Let the parts the file carries replace the dataset's (NimbusImage's overwrite).
  public var overwrite = false
  /// Give every record a fresh id derived from (source, old id): a transfer into
  /// another dataset.
  public var newIds = false
  /// Report what would happen; write nothing.
  public var dryRun = false
  /// `--no-annotations`: leave annotations out (and so connections and values).
  public var skipAnnotations = false
  /// `--no-connections`: leave connections out.
  public var skipConnections = false
  /// `--no-properties`: leave property definitions out (and so values).
  public var skipProperties = false
  /// `--no-values`: leave property values out.
  public var skipValues = false
  /// Refuse a file with dangling references instead of dropping them.
  public var strict = false
  /// Import annotations outside the dataset's known dimensions anyway.
  public var allowOutOfRange = false
  /// The merge commit's message; a default names file, dataset and source.
  public var message: String?
  /// The author; the environment's identity when nil.
  public var author: Identity?

  /// A request with the defaults: merge everything, fail on conflicts.
  public init(file: String, dataset: String) {
    self.file = file
    self.dataset = dataset
  }

  /// The kinds not imported, with NimbusImage's dependencies (FORMAT.md §5.1):
  /// connections only with annotations; values only with annotations and properties.
  public var excludedKinds: Set<RecordKind> {
    var excluded: Set<RecordKind> = []
    if skipAnnotations { excluded.formUnion([.annotations, .connections, .values]) }
    if skipConnections { excluded.insert(.connections) }
    if skipProperties { excluded.formUnion([.properties, .values]) }
    if skipValues { excluded.insert(.values) }
    return excluded
  }
}

/// What `import` did (or, for a dry run, would do).
public struct ImportReport: Sendable {
  /// How the import ended.
  public enum Outcome: String, Sendable {
    /// The file holds nothing new: no commit on either ref.
    case unchanged
    /// The branch had no commits: it now points at the import commit.
    case firstCommit = "first-commit"
    /// A merge commit joins the branch and the import.
    case merged
    /// The file's parts replaced the dataset's (`--overwrite`).
    case overwritten
    /// Conflicts, and `--on-conflict fail`: nothing was written.
    case refused
    /// Conflicts, and `--on-conflict manual`: the merge waits for `resolve`.
    case stopped
  }

  /// The dataset merged into.
  public var dataset: String
  /// The source the file was recorded under.
  public var source: String
  /// The file, as named.
  public var file: String
  /// How the import ended.
  public var outcome: Outcome
  /// Whether nothing was written because of `--dry-run`.
  public var dryRun: Bool
  /// The import commit on the side ref (new or the previous one).
  public var importCommit: String?
  /// The side ref: `refs/imports/<dataset>/<source>`.
  public var importRef: String
  /// The commit the branch now points at, when it moved.
  public var commit: String?
  /// The merge base, nil when none.
  public var base: String?
  /// Whether the base was found in the branch's history (the oldest commit recording the
  /// source) because no earlier import from the source exists.
  public var baseFromHistory = false
  /// Per kind, what changed on the branch (or would).
  public var changes: [RecordKind: KindChange]
  /// The kinds not taken from the file.
  public var excluded: [RecordKind]
  /// Dangling references inside the file, dropped.
  public var droppedInFile: DroppedCounts
  /// References the merge left dangling, dropped.
  public var droppedAfterMerge: DroppedCounts
  /// The conflicts met (settled by the policy, or open).
  public var conflicts: [RecordConflict]
  /// The policy that applied.
  public var onConflict: ConflictPolicy
}
