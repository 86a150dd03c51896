import Foundation

extension Store {
  /// Refuses to write while a merge waits for its conflicts to be settled. Every write
  /// command calls this once it holds the store's lock.
  public func ensureNoMergeInProgress() throws {
    guard MergeState.exists(in: path) else { return }
    let what = (try? MergeState.load(from: path)).flatMap { $0 }.map {
      " (import of \($0.file) into \($0.dataset))"
    }
    throw AnnostoreError(
      .usage, "a merge is in progress\(what ?? ""); no other write is allowed until it ends",
      hint: "Settle its conflicts (`annostore conflicts`, `annostore resolve`) and finish with "
        + "`annostore merge --continue`, or drop it with `annostore merge --abort`.")
  }
}
