import AnnostoreGit
import AnnostoreModel

/// What `verify` found.
public struct VerificationReport: Sendable {
  public var commit: String?
  public var objectsChecked = 0
  public var filesChecked = 0
  /// Every problem found, each naming the path or object and what is wrong.
  public var problems: [String] = []
  public var isClean: Bool { problems.isEmpty }
}

/// Checks a store: every object hashes to its id, and every file of a revision is at its
/// place in the layout, canonical, valid for its kind, and references only what exists.
struct StoreVerifier {
  let store: Store
  private var report = VerificationReport()
  private let limit = 200

  init(store: Store) { self.store = store }

  mutating func run(revision: String?) throws -> VerificationReport {
    do {
      report.objectsChecked = try store.repository.verifyAllObjects()
    } catch let error as GitError {
      problem("object database: \(error.message)")
    }
    let commit: ObjectID?
    if let revision {
      commit = try store.resolve(revision)
    } else {
      commit = try store.headCommit()
    }
    guard let commit else { return report }
    report.commit = commit.description
    let reader = RevisionReader(repository: store.repository)
    do {
      let root = try reader.rootTree(of: commit)
      try checkRoot(root, reader: reader)
      for (name, dataset) in try reader.datasets(inRoot: root).sorted(by: { $0.key < $1.key }) {
        try checkDataset(name: name, dataset, reader: reader)
      }
    } catch let error as GitError {
      problem("cannot read revision \(commit): \(error.call): \(error.message)")
    }
    return report
  }

  private mutating func problem(_ text: String) {
    if report.problems.count < limit { report.problems.append(text) }
  }

  /// Reads a store file, checking it parses and is canonical.
  private mutating func file(_ blob: ObjectID, path: String) throws -> JSONValue? {
    report.filesChecked += 1
    let bytes = try store.repository.blob(blob)
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      problem("\(path): not valid JSON: \(error)")
      return nil
    }
    if CanonicalJSON.fileBytes(value) != bytes {
      problem("\(path): not canonical JSON (RFC 8785 followed by one newline)")
    }
    return value
  }

  private mutating func checkRoot(_ root: ObjectID, reader: RevisionReader) throws {
    for entry in try store.repository.tree(root) {
      switch entry.name {
      case StoreLayout.markerFile:
        if let value = try file(entry.id, path: entry.name),
          value != StoreLayout.markerDocument
        {
          problem("\(entry.name): not the format marker of store format 1")
        }
      case StoreLayout.datasetsDirectory where entry.isTree:
        continue
      default:
        problem("\(entry.name): unexpected entry at the root of the tree")
      }
    }
  }

  private mutating func checkDataset(name: String, _ dataset: DatasetTrees, reader: RevisionReader)
    throws
  {
    let base = "datasets/\(name)"
    if RecordID.problem(with: name) != nil { problem("\(base): the dataset name is not a token") }
    if let entry = dataset.entries[StoreLayout.datasetFile] {
      if let value = try file(entry.id, path: "\(base)/dataset.json"),
        value["name"]?.stringValue != name
      {
        problem("\(base)/dataset.json: \"name\" is not \"\(name)\"")
      }
    } else {
      problem("\(base)/dataset.json: missing")
    }
    for entryName in dataset.entries.keys
    where entryName != StoreLayout.datasetFile
      && !RecordKind.allCases.contains(where: { $0.directory == entryName })
    {
      problem("\(base)/\(entryName): unexpected entry in a dataset")
    }
    // Annotations come first, so references of the later kinds can be checked as they pass.
    var annotations: Set<String> = []
    for kind in RecordKind.allCases {
      guard let tree = dataset.tree(of: kind) else { continue }
      let directory = "\(base)/\(kind.directory)"
      try walk(tree, path: directory, depth: kind.isSharded ? 2 : 0, shard: "") {
        verifier, path, shard, id, value in
        if kind.isSharded {
          let (first, second) = StoreLayout.shard(of: id)
          if shard != first + "/" + second {
            verifier.problem("\(path): in shard \(shard), belongs in \(first)/\(second)")
          }
        }
        if kind == .annotations { annotations.insert(id) }
        verifier.checkRecord(kind, id: id, value, path: path, annotations: annotations)
      }
    }
  }

  private mutating func checkRecord(
    _ kind: RecordKind, id: String, _ value: JSONValue, path: String, annotations: Set<String>
  ) {
    do {
      switch kind {
      case .annotations, .connections, .properties:
        let record: NormalizedRecord
        switch kind {
        case .annotations: record = try NimbusDocuments.annotation(value, at: "")
        case .connections: record = try NimbusDocuments.connection(value, at: "")
        default: record = try NimbusDocuments.property(value, at: "")
        }
        if record.document != value || value["_id"]?.stringValue != id {
          problem("\(path): \"_id\" does not match the file name")
        }
        if kind == .connections, let ends = NimbusDocuments.connectionEnds(value) {
          for end in [ends.parent, ends.child] where !annotations.contains(end) {
            problem("\(path): references annotation \(end), which does not exist")
          }
        }
      case .values:
        if try NimbusDocuments.values(value, at: "") == nil {
          problem("\(path): empty property values (should be no file)")
        }
        if !annotations.contains(id) {
          problem("\(path): values of annotation \(id), which does not exist")
        }
      }
    } catch {
      problem("\(path): \(error)")
    }
  }

  private mutating func walk(
    _ tree: ObjectID, path: String, depth: Int, shard: String,
    _ visit: (inout StoreVerifier, String, String, String, JSONValue) -> Void
  ) throws {
    for entry in try store.repository.tree(tree) {
      let entryPath = "\(path)/\(entry.name)"
      if depth > 0 {
        guard entry.isTree, entry.name.count == 2, entry.name.allSatisfy(\.isHexDigit) else {
          problem("\(entryPath): expected a two-hex-digit shard directory")
          continue
        }
        try walk(
          entry.id, path: entryPath, depth: depth - 1,
          shard: shard.isEmpty ? entry.name : shard + "/" + entry.name, visit)
      } else {
        guard !entry.isTree, let id = StoreLayout.id(fromFileName: entry.name) else {
          problem("\(entryPath): expected a file named <id>.json")
          continue
        }
        if let value = try file(entry.id, path: entryPath) {
          visit(&self, entryPath, shard, id, value)
        }
      }
    }
  }
}

extension Store {
  /// Checks the whole object database and every file of `revision` (the branch head when
  /// nil). Problems are reported, not thrown.
  public func verify(revision: String?) throws -> VerificationReport {
    var verifier = StoreVerifier(store: self)
    return try verifier.run(revision: revision)
  }
}
