import AnnostoreGit
import AnnostoreModel

extension Store {
  /// Whether `ancestor` is `commit` or one of its ancestors.
  func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws -> Bool {
    if ancestor == commit { return true }
    return try mergeBase(commit, ancestor) == ancestor
  }

  func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
    do {
      return try repository.mergeBase(a, b)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "finding the merge base")
    }
  }

  /// The oldest commit reachable from `head` whose `dataset` records `source` as its
  /// NimbusImage dataset id, nil when none does.
  func oldestCommit(recording source: String, in dataset: String, from head: ObjectID) throws
    -> ObjectID?
  {
    let path = "\(StoreLayout.datasetsDirectory)/\(dataset)/\(StoreLayout.datasetFile)"
    var matches: [ObjectID: Bool] = [:]
    var found: ObjectID?
    do {
      try repository.walk(from: head) { commit in
        guard let entry = try repository.entry(atPath: path, inTree: commit.tree) else {
          return true
        }
        if matches[entry.id] == nil {
          let document = try? JSONParser.parse(try repository.blob(entry.id))
          matches[entry.id] = document?["nimbusDatasetId"]?.stringValue == source
        }
        if matches[entry.id] == true { found = commit.id }
        return true
      }
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading the history")
    }
    return found
  }

  /// Moves a ref with compare-and-swap, as an AnnostoreError on failure.
  func moveRef(_ name: String, to target: ObjectID, expected: ObjectID?, message: String) throws {
    do {
      try repository.updateReference(name, to: target, expected: expected, message: message)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "moving \(name)")
    }
  }

  /// The side ref's commit, nil when there is none.
  func reference(_ name: String) throws -> ObjectID? {
    do {
      return try repository.reference(name)
    } catch let error as GitError {
      throw AnnostoreError.git(error, doing: "reading \(name)")
    }
  }
}
