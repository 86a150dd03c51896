import AnnostoreGit
import AnnostoreModel
import Dispatch
import Foundation

/// Reads, parses and encodes CSV rows on every core (see `SlicedWork`): memory stays
/// bounded by the batch size, whatever the dataset's size.
final class CSVRowProducer {
  private let work: SlicedWork

  /// A producer reading `packs` with `workers` threads (at least one).
  init(packs: PackSet, workers: Int = SlicedWork.defaultWorkers) throws {
    work = try SlicedWork(packs: packs, workers: workers)
  }

  /// Encodes the rows that pass `filter`, in order, and hands each batch's bytes and row
  /// count to `emit`.
  func encode(
    _ rows: [CSVDatasetSource.Row], encoder: CSVLineEncoder, filter: CSVRowFilter,
    emit: ([UInt8], Int) throws -> Void
  ) throws {
    try work.forEachSlice(count: rows.count) { range, reader in
      var bytes: [UInt8] = []
      bytes.reserveCapacity(range.count * 256)
      var count = 0
      for row in rows[range] {
        let annotation = try reader.annotationFields(row.annotation)
        guard filter.matches(annotation) else { continue }
        let values = try row.values.map { try reader.document($0) }
        encoder.appendRow(annotation: annotation, values: values, into: &bytes)
        count += 1
      }
      return SliceOutput(bytes: bytes, count: count)
    } merge: { output in
      try emit(output.bytes, output.count)
    }
  }

  /// NimbusImage's computed property paths over the values of `rows`, in row order.
  func leafPaths(_ rows: [CSVDatasetSource.Row]) throws -> LeafPathCollector {
    let total = LeafPathCollector()
    try work.forEachSlice(count: rows.count) { range, reader in
      let collector = LeafPathCollector()
      for index in range {
        guard let blob = rows[index].values else { continue }
        try reader.addLeafPaths(of: try reader.blob(blob), blob, ordinal: index, to: collector)
      }
      return CollectorBox(collector)
    } merge: { box in
      total.merge(box.collector)
    }
    return total
  }

  /// The first pass of an export whose columns come from the values: reads every row's
  /// values once for the computed paths and, for the rows that are `selected` (nil: all)
  /// and pass `filter`, spools the fixed cells with the values' JSON. `fixedCells` makes
  /// the fixed cells (its property columns are not used).
  func spool(
    _ rows: [CSVDatasetSource.Row], selected: Set<String>?, filter: CSVRowFilter,
    fixedCells: CSVLineEncoder
  ) throws -> (spool: CSVSpool, paths: LeafPathCollector, rows: Int) {
    let spool = try CSVSpool()
    let total = LeafPathCollector()
    var count = 0
    try work.forEachSlice(count: rows.count) { range, reader in
      let collector = LeafPathCollector()
      var records: [UInt8] = []
      records.reserveCapacity(range.count * 256)
      var fixed: [UInt8] = []
      var kept = 0
      // Rows are read field by field rather than copied whole.
      for index in range {
        if index + 2 < range.upperBound {
          reader.prefetch(rows[index + 2].annotation)
          if let values = rows[index + 2].values { reader.prefetch(values) }
        }
        let valuesID = rows[index].values
        let valuesBytes = try valuesID.map { try reader.blob($0) }
        if let valuesBytes, let valuesID {
          try reader.addLeafPaths(of: valuesBytes, valuesID, ordinal: index, to: collector)
        }
        if let selected, !selected.contains(rows[index].id) { continue }
        let annotation = rows[index].annotation
        let annotationBytes = try reader.blob(annotation)
        fixed.removeAll(keepingCapacity: true)
        // Without a filter the cells come straight from the bytes when they can.
        if !filter.isEmpty
          || !annotationBytes.withUnsafeBufferPointer({
            fixedCells.appendFixedCells(canonicalAnnotation: $0, into: &fixed)
          })
        {
          let fields = try reader.annotationFields(of: annotationBytes, annotation)
          guard filter.matches(fields) else { continue }
          fixedCells.appendFixedCells(annotation: fields, into: &fixed)
        }
        CSVSpool.appendRecord(fixed: fixed, values: valuesBytes, into: &records)
        kept += 1
      }
      return SpoolPart(records: records, count: kept, collector: collector)
    } merge: { part in
      try spool.write(part.records)
      total.merge(part.collector)
      count += part.count
    }
    return (spool, total, count)
  }

  /// The second pass: the spooled rows, completed with their property cells, in order.
  func encode(
    _ spool: CSVSpool, encoder: CSVLineEncoder, emit: ([UInt8]) throws -> Void
  ) throws {
    while let (bytes, records) = try spool.nextRecords() {
      try work.forEachSlice(count: records.count) { range, _ in
        var lines: [UInt8] = []
        lines.reserveCapacity(range.count * 256)
        for (fixed, values) in records[range] {
          lines.append(contentsOf: bytes[fixed])
          if let values,
            bytes.withUnsafeBufferPointer({
              encoder.appendPropertyCells(
                canonicalValues: UnsafeBufferPointer(rebasing: $0[values]), into: &lines)
            })
          {
            lines.append(UInt8(ascii: "\n"))
            continue
          }
          let parsed: JSONValue?
          if let values {
            do {
              parsed = try JSONParser.parse(Array(bytes[values]))
            } catch {
              throw AnnostoreError(.other, "internal error: spooled values unreadable: \(error)")
            }
          } else {
            parsed = nil
          }
          encoder.appendPropertyCells(values: parsed, into: &lines)
          lines.append(UInt8(ascii: "\n"))
        }
        return SliceOutput(bytes: lines, count: range.count)
      } merge: { output in
        try emit(output.bytes)
      }
    }
  }
}

/// The lines one worker made from one slice.
private struct SliceOutput: Sendable {
  var bytes: [UInt8]
  var count: Int
}

/// What one worker spooled from one slice, and the paths it saw.
private struct SpoolPart: @unchecked Sendable {
  var records: [UInt8]
  var count: Int
  /// Handed back to the merging thread, which alone touches it from then on.
  var collector: LeafPathCollector
}

/// A collector handed from a worker back to the merging thread, which alone touches it
/// from then on.
private struct CollectorBox: @unchecked Sendable {
  let collector: LeafPathCollector
  init(_ collector: LeafPathCollector) { self.collector = collector }
}
