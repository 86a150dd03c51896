import AnnostoreGit
import AnnostoreModel

/// One revision in the history of one annotation: the revision, and how the annotation and
/// its property values changed in it (nil where that part did not change).
public struct AnnotationRevision: Sendable {
  public var revision: RevisionSummary
  public var annotation: AnnotationDiff?
  public var values: ValuesDiff?
}

/// What `log --annotation` asks for.
public struct AnnotationHistoryRequest: Sendable {
  /// The annotation id.
  public var annotation: String
  /// Its dataset (may be left out when the start revision holds only one).
  public var dataset: String?
  /// Where to start (default: the branch head).
  public var revision: String?
  /// At most this many revisions.
  public var limit: Int?

  public init(annotation: String, dataset: String?, revision: String? = nil, limit: Int? = nil) {
    self.annotation = annotation
    self.dataset = dataset
    self.revision = revision
    self.limit = limit
  }
}

extension Store {
  /// The revisions, newest first along first parents, in which an annotation's file or its
  /// values file changed, each with what changed. Only the trees on the record's paths are
  /// read (see `PathProbe`), so the cost per revision does not grow with the dataset.
  public func annotationHistory(_ request: AnnotationHistoryRequest) throws
    -> [AnnotationRevision]
  {
    if let problem = RecordID.problem(with: request.annotation) {
      throw AnnostoreError(
        .usage, "annotation id: \(problem)", hint: "Give the annotation's id, e.g. from `diff`.")
    }
    let start: ObjectID
    if let revision = request.revision {
      start = try resolve(revision)
    } else {
      guard let head = try headCommit() else { return [] }
      start = head
    }
    let dataset: String
    if let name = request.dataset {
      try DatasetName.check(name)
      dataset = name
    } else {
      dataset = try selectDataset(nil, at: start).name
    }
    let trail = RecordTrail(
      repository: repository, dataset: dataset, annotation: request.annotation)
    var result: [AnnotationRevision] = []
    var current: CommitInfo? = try readCommit(start)
    while let info = current {
      let parent = try info.parents.first.map { try readCommit($0) }
      if let entry = try trail.change(in: info, parent: parent) {
        result.append(entry)
        if let limit = request.limit, result.count >= limit { break }
      }
      current = parent
    }
    return result
  }
}

/// The files of one annotation along a history: its record, its values, and the property
/// definitions that name the values.
struct RecordTrail {
  let reader: RevisionReader
  let id: String
  let dataset: String
  let annotation: PathProbe
  let values: PathProbe
  let properties: PathProbe

  init(repository: Repository, dataset: String, annotation id: String) {
    reader = RevisionReader(repository: repository)
    self.id = id
    self.dataset = dataset
    let (first, second) = StoreLayout.shard(of: id)
    let base = [StoreLayout.datasetsDirectory, dataset]
    let file = StoreLayout.fileName(of: id)
    annotation = PathProbe(
      repository: repository,
      path: base + [RecordKind.annotations.directory, first, second, file])
    values = PathProbe(
      repository: repository, path: base + [RecordKind.values.directory, first, second, file])
    properties = PathProbe(
      repository: repository, path: base + [RecordKind.properties.directory])
  }

  /// How the annotation changed in `info` against `parent` (nil: the first commit), nil
  /// when neither its file nor its values file did.
  func change(in info: CommitInfo, parent: CommitInfo?) throws -> AnnotationRevision? {
    let newRecord = try annotation.object(inRoot: info.tree)
    let oldRecord = try parent.flatMap { try annotation.object(inRoot: $0.tree) }
    let newValues = try values.object(inRoot: info.tree)
    let oldValues = try parent.flatMap { try values.object(inRoot: $0.tree) }
    guard newRecord != oldRecord || newValues != oldValues else { return nil }
    var entry = AnnotationRevision(
      revision: RevisionSummary(info, datasetsChanged: [dataset]), annotation: nil, values: nil)
    if newRecord != oldRecord {
      entry.annotation = RecordComparer.annotation(
        id: id, before: try document(oldRecord), after: try document(newRecord))
    }
    if newValues != oldValues {
      let names = PropertyNames(
        preferred: try definitions(info.tree),
        fallback: try parent.map { try definitions($0.tree) } ?? [:])
      entry.values = ValuesComparer.compare(
        annotationId: id, before: try document(oldValues), after: try document(newValues),
        names: names)
    }
    return entry
  }

  private func document(_ blob: ObjectID?) throws -> JSONValue? {
    try blob.map { try reader.document($0) }
  }

  /// The property definitions of the dataset in a revision.
  private func definitions(_ root: ObjectID) throws -> [String: JSONValue] {
    guard let tree = try properties.object(inRoot: root) else { return [:] }
    var result: [String: JSONValue] = [:]
    for entry in try reader.repository.tree(tree) where !entry.isTree {
      if let id = StoreLayout.id(fromFileName: entry.name) {
        result[id] = try reader.document(entry.id)
      }
    }
    return result
  }
}
