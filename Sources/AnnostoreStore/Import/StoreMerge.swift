import AnnostoreGit
import AnnostoreModel

/// A merge waiting for its conflicts to be settled, as `conflicts` shows it.
public struct MergeProgress: Sendable {
  /// The dataset being merged into.
  public var dataset: String
  /// The import's source.
  public var source: String
  /// The imported file, as named.
  public var file: String
  /// The branch head the merge started from.
  public var ours: String
  /// The import commit being merged.
  public var theirs: String
  /// Their merge base, nil when none.
  public var base: String?
  /// Every conflict, settled or not, by number.
  public var conflicts: [RecordConflict]

  /// The conflicts not settled yet.
  public var open: [RecordConflict] { conflicts.filter { $0.resolution == nil } }
}

/// Which conflicts `resolve` settles.
public enum ConflictSelector: Sendable, Equatable {
  /// Every conflict (`resolve --all`).
  case all
  /// The conflict with this number, or every conflict of the record with this id,
  /// narrowed to one field or path (`tags`, `propertyId/Area`) when given.
  case record(String, field: String?)
}

/// What `merge --continue` made.
public struct MergeCommitReport: Sendable {
  /// The dataset merged into.
  public var dataset: String
  /// The merge commit the branch now points at.
  public var commit: String
  /// Per kind, what changed on the branch.
  public var changes: [RecordKind: KindChange]
  /// References the merge left dangling, dropped.
  public var droppedAfterMerge: DroppedCounts
}

extension Store {
  /// The merge in progress, nil when there is none.
  public func mergeInProgress() throws -> MergeProgress? {
    guard let state = try MergeState.load(from: path) else { return nil }
    return MergeProgress(
      dataset: state.dataset, source: state.source, file: state.file, ours: state.ours.hex,
      theirs: state.theirs.hex, base: state.base?.hex, conflicts: state.conflicts)
  }

  /// Settles the selected conflicts; returns them.
  public func resolveConflicts(
    _ selector: ConflictSelector, with resolution: ConflictResolution
  ) throws -> [RecordConflict] {
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    var state = try requireMerge()
    let chosen = try Self.select(selector, in: state.conflicts)
    for index in state.conflicts.indices where chosen.contains(state.conflicts[index].number) {
      state.conflicts[index].resolution = resolution
    }
    if case .value = resolution { try checkSettledRecords(state, numbers: chosen) }
    try state.save(to: path)
    return state.conflicts.filter { chosen.contains($0.number) }
  }

  /// Refuses a given value that would leave its record invalid (checked now, not only
  /// at `merge --continue`).
  private func checkSettledRecords(_ state: MergeState, numbers: Set<Int>) throws {
    let source = TreeSource(repository: repository, sink: nil)
    let pending = try state.pendingDataset.map { try source.entries($0) } ?? [:]
    var records: Set<String> = []
    for conflict in state.conflicts where numbers.contains(conflict.number) {
      let kind = conflict.kind
      let id = conflict.conflict.recordId
      guard records.insert("\(kind.rawValue)/\(id)").inserted else { continue }
      let tree = pending[kind.directory].flatMap { $0.isTree ? $0.id : nil }
      var document = try source.document(
        try source.lookup(id, in: tree, sharded: kind.isSharded))
      for other in state.conflicts where other.kind == kind && other.conflict.recordId == id {
        document = RecordMerge.setting(other.chosenValue, at: other.conflict.path, in: document)
      }
      if let document, document != .object([]) || kind != .values {
        try MergeFinisher.check(document, kind: kind, id: id)
      }
    }
  }

  static func select(_ selector: ConflictSelector, in conflicts: [RecordConflict]) throws
    -> Set<Int>
  {
    switch selector {
    case .all:
      return Set(conflicts.map(\.number))
    case .record(let name, let field):
      let number = Int(name.hasPrefix("#") ? String(name.dropFirst()) : name)
      let matching = conflicts.filter { conflict in
        let named =
          conflict.conflict.recordId == name
          || (number != nil && conflict.number == number && field == nil)
        return named && (field == nil || conflict.conflict.pathText == field)
      }
      guard !matching.isEmpty else {
        let what = field.map { "\(name) \($0)" } ?? name
        throw AnnostoreError(
          .usage, "no conflict \(what) in the merge in progress",
          hint: "`annostore conflicts` lists them: name one by its number or its record id "
            + "(and field).")
      }
      return Set(matching.map(\.number))
    }
  }

  /// Commits the merge in progress once every conflict is settled.
  public func continueMerge() throws -> MergeCommitReport {
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    let state = try requireMerge()
    let open = state.conflicts.filter { $0.resolution == nil }
    guard open.isEmpty else {
      throw AnnostoreError(
        .conflicts, "\(open.count) of \(state.conflicts.count) conflicts are still open",
        hint: "See them with `annostore conflicts`; settle them with `annostore resolve`.")
    }
    guard try headCommit() == state.ours else {
      throw AnnostoreError(
        .other, "the branch moved since the merge stopped",
        hint: "Drop the merge with `annostore merge --abort` and import again.")
    }
    let sink = try ObjectSink(repository: repository)
    sink.remembersTrees = true
    var installed = false
    defer { if !installed { sink.discard() } }
    let source = TreeSource(repository: repository, sink: sink)
    let baseRoot = try state.base.map { try repository.commit($0).tree }
    let finished = try MergeFinisher(source: source, sink: sink).finish(
      dataset: state.dataset, pending: state.pendingDataset, conflicts: state.conflicts,
      base: try source.dataset(state.dataset, inRoot: baseRoot),
      oursRoot: try state.oursRoot ?? repository.commit(state.ours).tree)
    let signature = state.author.signatureNow()
    let commit = try sink.store(
      .commit,
      GitObjectFormat.commitContent(
        tree: finished.root, parents: [state.ours, state.theirs], author: signature,
        committer: signature, message: state.message))
    try sink.install()
    installed = true
    try moveRef(
      StoreLayout.branch, to: commit, expected: state.ours, message: "merge: \(state.message)")
    if state.importRefBefore != state.theirs {
      try moveRef(
        state.importRef, to: state.theirs, expected: state.importRefBefore,
        message: "import snapshot")
    }
    try MergeState.remove(from: path)
    return MergeCommitReport(
      dataset: state.dataset, commit: commit.hex, changes: finished.changes,
      droppedAfterMerge: DroppedCounts(
        values: finished.dropped.droppedValues + state.droppedInMerge.values,
        connections: finished.dropped.droppedConnections + state.droppedInMerge.connections))
  }

  /// Drops the merge in progress: the branch and the side ref stay as they were.
  public func abortMerge() throws {
    let lock = try StoreLock(storePath: path)
    defer { lock.release() }
    guard MergeState.exists(in: path) else { throw Self.noMerge }
    try MergeState.remove(from: path)
  }

  private func requireMerge() throws -> MergeState {
    guard let state = try MergeState.load(from: path) else { throw Self.noMerge }
    return state
  }

  private static var noMerge: AnnostoreError {
    AnnostoreError(
      .usage, "no merge is in progress",
      hint: "A merge waits for you only after `annostore import --on-conflict manual` stopped "
        + "on conflicts.")
  }
}
