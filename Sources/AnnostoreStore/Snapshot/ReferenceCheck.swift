import AnnostoreGit
import AnnostoreModel

/// Keeps a new revision free of dangling references: property values and connections whose
/// annotation does not exist are dropped (real NimbusImage exports carry such orphans).
struct ReferenceCheck {
  let reader: RevisionReader

  struct Outcome {
    var droppedValues = 0
    var droppedConnections = 0
  }

  func prune(
    _ records: inout [RecordKind: [String: ObjectID]], old: [RecordKind: [String: ObjectID]],
    ingested: IngestedExport
  ) throws -> Outcome {
    var outcome = Outcome()
    let annotations = records[.annotations] ?? [:]

    if var values = records[.values] {
      for id in values.keys where annotations[id] == nil {
        values[id] = nil
        outcome.droppedValues += 1
      }
      records[.values] = values
    }

    guard var connections = records[.connections], !connections.isEmpty else { return outcome }
    if ingested.carries(.connections) {
      for (id, ends) in ingested.connectionEnds
      where annotations[ends.parent] == nil || annotations[ends.child] == nil {
        if connections.removeValue(forKey: id) != nil { outcome.droppedConnections += 1 }
      }
    } else {
      // Kept connections were whole before; only removed annotations can break them.
      let oldAnnotations = old[.annotations] ?? [:]
      let removedAny = oldAnnotations.keys.contains { annotations[$0] == nil }
      if removedAny || oldAnnotations.isEmpty {
        for (id, blob) in connections {
          guard let ends = NimbusDocuments.connectionEnds(try reader.document(blob)) else {
            continue
          }
          if annotations[ends.parent] == nil || annotations[ends.child] == nil {
            connections[id] = nil
            outcome.droppedConnections += 1
          }
        }
      }
    }
    records[.connections] = connections
    return outcome
  }
}
