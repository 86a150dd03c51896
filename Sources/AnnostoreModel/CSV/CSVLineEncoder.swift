/// Turns annotations into CSV lines exactly as NimbusImage's server does (FORMAT.md §4.3),
/// with annostore's two documented deviations:
/// - a cell or header name that NimbusImage would write unquoted although it holds the
///   delimiter, a `"`, CR or LF (and a quoted header name holding a `"`, which NimbusImage
///   does not double) is quoted per RFC 4180, so every reader sees the same row;
/// - a cell whose value is an object is its canonical JSON (RFC 8785), where NimbusImage
///   writes a Python `repr` that no CSV reader or JSON parser can take back.
/// Every line ends with `\n`.
public struct CSVLineEncoder: Sendable {
  public let columns: CSVColumns
  public let format: CSVFormat
  private let cells: CSVCells
  private let undefined: [UInt8]
  private let lookup: CanonicalValuesLookup?
  /// The fixed columns' fields and quoting, and the property columns' quoting: what the
  /// per-row loops need, without copying a column (and retaining its name) per cell.
  private let fixedLayout: [(field: CSVField, quoted: Bool)]
  private let propertyQuoted: [Bool]

  public init(columns: CSVColumns, format: CSVFormat) {
    self.columns = columns
    self.format = format
    cells = CSVCells(delimiter: format.delimiter.byte)
    undefined = Array(format.undefinedValue.utf8)
    lookup = CanonicalValuesLookup(paths: columns.propertyPaths)
    fixedLayout = columns.columns.prefix(CSVColumns.fixed.count).map { ($0.field, $0.quoted) }
    propertyQuoted = columns.columns.dropFirst(CSVColumns.fixed.count).map(\.quoted)
  }

  /// Appends the header line.
  public func appendHeader(into line: inout [UInt8]) {
    for (index, column) in columns.columns.enumerated() {
      if index > 0 { line.append(cells.delimiter) }
      cells.append(column.name.utf8, quoted: column.quoted, into: &line)
    }
    line.append(UInt8(ascii: "\n"))
  }

  /// Appends the row of one annotation document, with its property values object (nil
  /// when it has none).
  public func appendRow(annotation: JSONValue, values: JSONValue?, into line: inout [UInt8]) {
    appendFixedCells(annotation: annotation, into: &line)
    appendPropertyCells(values: values, into: &line)
    line.append(UInt8(ascii: "\n"))
  }

  /// Appends the eight fixed cells of a row (the first columns of every export), without
  /// a delimiter after them. They depend on the annotation and the format only, so they
  /// can be made before the property columns are known.
  public func appendFixedCells(annotation: JSONValue, into line: inout [UInt8]) {
    appendFixedCells(FixedFields(annotation), into: &line)
  }

  /// The same cells as `appendFixedCells(annotation:into:)`, read straight from the
  /// canonical JSON of an annotation's store file (no `JSONValue` is built: the first
  /// pass of a large export reads a million annotations). Returns false, having appended
  /// nothing, when the bytes need the full parser (see `FixedFields.init(canonical:)`).
  public func appendFixedCells(
    canonicalAnnotation bytes: UnsafeBufferPointer<UInt8>, into line: inout [UInt8]
  ) -> Bool {
    guard let fixed = FixedFields(canonical: bytes) else { return false }
    appendFixedCells(fixed, into: &line)
    return true
  }

  private func appendFixedCells(_ fixed: FixedFields, into line: inout [UInt8]) {
    for (index, column) in fixedLayout.enumerated() {
      if index > 0 { line.append(cells.delimiter) }
      switch column.field {
      case .id: cells.append(fixed.text[fixed.id], quoted: column.quoted, into: &line)
      case .channel: appendNumber(fixed.channel, into: &line)
      case .xy: appendNumber(fixed.xy + 1, into: &line)
      case .z: appendNumber(fixed.z + 1, into: &line)
      case .time: appendNumber(fixed.time + 1, into: &line)
      case .tags: cells.append(fixed.text[fixed.tags], quoted: column.quoted, into: &line)
      case .shape: cells.append(fixed.text[fixed.shape], quoted: column.quoted, into: &line)
      case .name: cells.append(fixed.text[fixed.name], quoted: column.quoted, into: &line)
      case .property: continue
      }
    }
  }

  /// Appends the property cells of a row, each after a delimiter, from the annotation's
  /// values object (nil when it has none); no line end.
  public func appendPropertyCells(values: JSONValue?, into line: inout [UInt8]) {
    for column in columns.columns.dropFirst(CSVColumns.fixed.count) {
      line.append(cells.delimiter)
      if case .property(let path) = column.field {
        appendValue(path.value(in: values), quoted: column.quoted, into: &line)
      }
    }
  }

  /// The same cells as `appendPropertyCells(values:into:)`, read straight from the
  /// canonical JSON of a store's values file (no `JSONValue` is built). Returns false,
  /// having appended nothing, when the bytes need the full parser (an escape in a key or
  /// in a string cell); the caller then parses them and uses the other form.
  public func appendPropertyCells(
    canonicalValues bytes: UnsafeBufferPointer<UInt8>, into line: inout [UInt8]
  ) -> Bool {
    guard let lookup, let spans = lookup.find(in: bytes) else { return false }
    for span in spans {
      guard let span, bytes[span.lowerBound] == UInt8(ascii: "\"") else { continue }
      if bytes[span].contains(UInt8(ascii: "\\")) { return false }
    }
    for (index, quoted) in propertyQuoted.enumerated() {
      line.append(cells.delimiter)
      guard let span = spans[lookup.slotOfColumn[index]] else {
        cells.append(undefined, quoted: quoted, into: &line)
        continue
      }
      let value = UnsafeBufferPointer(rebasing: bytes[span])
      switch value[0] {
      case UInt8(ascii: "n"):
        cells.append(undefined, quoted: quoted, into: &line)
      case UInt8(ascii: "\""):
        cells.append(value.dropFirst().dropLast(), quoted: quoted, into: &line)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        let number = NumberLiteral.value(value)
        if quoted {
          var text: [UInt8] = []
          PythonFloat.appendCell(number, literal: value, into: &text)
          CSVCells.appendQuoted(text, into: &line)
        } else {
          PythonFloat.appendCell(number, literal: value, into: &line)
        }
      default:
        // An object, array or boolean: its canonical JSON is the bytes as they are.
        cells.append(value, quoted: quoted, into: &line)
      }
    }
    return true
  }

  /// A numeric cell of a fixed column: never holds the delimiter or a quote.
  private func appendNumber(_ number: Double, into line: inout [UInt8]) {
    PythonFloat.appendCell(number, into: &line)
  }

  /// A property cell: undefined or null → `undefinedValue`; number → Python's format;
  /// string → itself; object (or anything else) → canonical JSON.
  private func appendValue(_ value: JSONValue?, quoted: Bool, into line: inout [UInt8]) {
    switch value {
    case nil, .null?:
      cells.append(undefined, quoted: quoted, into: &line)
    case .number(let number)?:
      if quoted {
        var text: [UInt8] = []
        PythonFloat.appendCell(number, into: &text)
        CSVCells.appendQuoted(text, into: &line)
      } else {
        PythonFloat.appendCell(number, into: &line)
      }
    case .string(let text)?:
      cells.append(text.utf8, quoted: quoted, into: &line)
    case let other?:
      var text: [UInt8] = []
      CanonicalJSON.encode(other, into: &text)
      cells.append(text, quoted: quoted, into: &line)
    }
  }
}
