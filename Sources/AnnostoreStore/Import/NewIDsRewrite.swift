import AnnostoreGit
import AnnostoreModel
import Foundation

/// `import --new-ids`: rewrites an export with fresh ids before it is imported, so it can
/// be transferred into another dataset. Each id becomes the first 24 hex digits of
/// SHA-1("annostore:" + source + ":" + old id): the same transfer repeated gives the same
/// ids, and merges as "nothing changed". Connections and values follow their annotations;
/// a property with the same definition (name, image, shape, tags, workerInterface) as one
/// the target dataset has is mapped onto it instead of duplicated. Values of properties
/// the file does not define are dropped and counted (NimbusImage skips them too).
enum NewIDsRewrite {
  struct Output {
    /// The rewritten export (a temporary file in the store's directory).
    var path: String
    var droppedValues: Int
  }

  /// The derived id of `old` from `source`.
  static func derive(source: String, old: String) -> String {
    String(GitObjectFormat.sha1Hex(Array("annostore:\(source):\(old)".utf8)).prefix(24))
  }

  /// The fields that define a property, as one canonical key.
  static func definition(_ property: JSONValue) -> [UInt8] {
    let fields = ["name", "image", "shape", "tags", "workerInterface"]
    return CanonicalJSON.encode(
      .object(fields.compactMap { key in property[key].map { JSONMember(key, $0) } }))
  }

  static func run(
    store: Store, request: ImportRequest, source: String, head: ObjectID?, reader: TreeSource
  ) throws -> Output {
    // The target dataset's properties and NimbusImage id.
    let target = try reader.dataset(
      request.dataset, inRoot: try head.map { try store.repository.commit($0).tree })
    var existing: [[UInt8]: (id: String, document: JSONValue)] = [:]
    if let properties = target?.tree(of: .properties) {
      for entry in try reader.tree(properties).sorted(by: { $0.name > $1.name }) {
        guard let id = StoreLayout.id(fromFileName: entry.name) else { continue }
        let document = try reader.document(entry.id)
        existing[definition(document)] = (id, document)
      }
    }
    let targetDatasetId = try reader.document(target?.datasetFile)?["nimbusDatasetId"]?
      .stringValue

    let file = request.file
    // First pass: the file's properties, to map values whatever the section order.
    var propertyMap: [String: String] = [:]
    var propertyDocuments: [String: JSONValue] = [:]
    try read(file) { event in
      guard case .record(.annotationProperties, let value, let index, _) = event else { return }
      let record = try NimbusDocuments.property(value, at: "/annotationProperties/\(index)")
      if let match = existing[definition(record.document)] {
        propertyMap[record.id] = match.id
        propertyDocuments[match.id] = match.document
      } else {
        let id = derive(source: source, old: record.id)
        propertyMap[record.id] = id
        propertyDocuments[id] = replacing(record.document, ["_id": .string(id)])
      }
    }

    let path = (store.path as NSString).appendingPathComponent(
      "annostore-new-ids-\(getpid()).json")
    let output = try OutputFile(path: path)
    var droppedValues = 0
    var first = true
    var firstInSection = true
    var writtenProperties: Set<String> = []
    func member(_ key: String, _ value: JSONValue) throws {
      var bytes: [UInt8] = firstInSection ? [] : [UInt8(ascii: ",")]
      CanonicalJSON.appendString(key, into: &bytes)
      bytes.append(UInt8(ascii: ":"))
      CanonicalJSON.encode(value, into: &bytes)
      try output.write(bytes)
      firstInSection = false
    }
    func element(_ value: JSONValue) throws {
      var bytes: [UInt8] = firstInSection ? [] : [UInt8(ascii: ",")]
      CanonicalJSON.encode(value, into: &bytes)
      try output.write(bytes)
      firstInSection = false
    }
    func mapped(_ old: String) -> String { derive(source: source, old: old) }
    var datasetFields: [String: JSONValue] = [:]
    if let targetDatasetId { datasetFields["datasetId"] = .string(targetDatasetId) }

    try output.write("{")
    try read(file) { event in
      switch event {
      case .sectionStart(let section):
        var bytes: [UInt8] = first ? [] : [UInt8(ascii: ",")]
        CanonicalJSON.appendString(section.rawValue, into: &bytes)
        bytes += Array((section.isRecordList ? ":[" : ":{").utf8)
        try output.write(bytes)
        first = false
        firstInSection = true
      case .sectionEnd(let section):
        try output.write(section.isRecordList ? "]" : "}")
      case .record(.annotations, let value, let index, _):
        let record = try NimbusDocuments.annotation(value, at: "/annotations/\(index)")
        var fields = datasetFields
        fields["_id"] = .string(mapped(record.id))
        try element(replacing(record.document, fields))
      case .record(.annotationConnections, let value, let index, _):
        let record = try NimbusDocuments.connection(
          value, at: "/annotationConnections/\(index)")
        var fields = datasetFields
        fields["_id"] = .string(mapped(record.id))
        if let ends = NimbusDocuments.connectionEnds(record.document) {
          fields["parentId"] = .string(mapped(ends.parent))
          fields["childId"] = .string(mapped(ends.child))
        }
        try element(replacing(record.document, fields))
      case .record(_, let value, let index, _):
        let record = try NimbusDocuments.property(value, at: "/annotationProperties/\(index)")
        guard let id = propertyMap[record.id], writtenProperties.insert(id).inserted,
          let document = propertyDocuments[id]
        else { return }
        try element(document)
      case .values(let annotationId, let value, _):
        guard case .object(let members) = value else { return }
        var kept: [JSONMember] = []
        for item in members {
          if let id = propertyMap[item.key] { kept.append(JSONMember(id, item.value)) }
        }
        if kept.count < members.count { droppedValues += 1 }
        if !kept.isEmpty { try member(mapped(annotationId), .object(kept)) }
      }
    }
    try output.write("}")
    try output.finish()
    return Output(path: path, droppedValues: droppedValues)
  }

  /// `document` with the members in `fields` set.
  static func replacing(_ document: JSONValue, _ fields: [String: JSONValue]) -> JSONValue {
    var members = document.objectMembers ?? []
    for (key, value) in fields {
      if let index = members.firstIndex(where: { $0.key == key }) {
        members[index].value = value
      } else {
        members.append(JSONMember(key, value))
      }
    }
    return .object(members)
  }

  private static func read(_ file: String, _ visit: (ExportEvent) throws -> Void) throws {
    do {
      try ExportReader(path: file).read(visit)
    } catch let error as JSONError {
      throw AnnostoreError.badInput(file: file, error)
    } catch let error as RecordError {
      throw AnnostoreError.badInput(file: file, error, line: nil)
    } catch let error as ExportFileError {
      throw AnnostoreError(
        .badInput, "\(error.path): \(error.message)", hint: "Check the path of the export file.")
    }
  }
}
