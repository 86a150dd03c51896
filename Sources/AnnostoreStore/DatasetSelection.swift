import AnnostoreGit

extension Store {
  /// The datasets of a revision, and the one a command means: `name` when given, else the
  /// only dataset there is.
  func selectDataset(_ name: String?, at commit: ObjectID) throws -> DatasetTrees {
    let reader = RevisionReader(repository: repository)
    let datasets = try reader.datasets(inRoot: try reader.rootTree(of: commit))
    if let name {
      guard let dataset = datasets[name] else {
        let known = datasets.keys.sorted().joined(separator: ", ")
        throw AnnostoreError(
          .usage, "no dataset \"\(name)\" in revision \(commit.description.prefix(12))",
          hint: known.isEmpty ? "The revision holds no datasets." : "Datasets there: \(known).")
      }
      return dataset
    }
    guard datasets.count == 1, let only = datasets.values.first else {
      let known = datasets.keys.sorted().joined(separator: ", ")
      throw AnnostoreError(
        .usage,
        datasets.isEmpty
          ? "the revision holds no datasets" : "the store holds several datasets (\(known))",
        hint: "Name one with --dataset.")
    }
    return only
  }
}
