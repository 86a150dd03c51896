import AnnostoreGit

/// The state of a store, as `status` shows it.
public struct StoreStatus: Sendable {
  public var path: String
  public var branch: String
  public var head: String?
  public var mergeInProgress: Bool
  /// Record counts per dataset at the branch head.
  public var datasets: [String: [RecordKind: Int]]
}

extension Store {
  /// The branch, its head, and each dataset's record counts.
  public func status() throws -> StoreStatus {
    let head = try headCommit()
    var status = StoreStatus(
      path: path, branch: "main", head: head?.description,
      mergeInProgress: MergeState.exists(in: path), datasets: [:])
    guard let head else { return status }
    let reader = RevisionReader(repository: repository)
    for (name, dataset) in try reader.datasets(inRoot: try reader.rootTree(of: head)) {
      var counts: [RecordKind: Int] = [:]
      for kind in RecordKind.allCases {
        counts[kind] = try reader.records(of: kind, in: dataset).count
      }
      status.datasets[name] = counts
    }
    return status
  }
}
