/// What a CSV column holds.
public enum CSVField: Sendable, Equatable {
  case id, channel, xy, z, time, tags, shape, name
  /// The value at a property path.
  case property(PropertyPath)
}

/// One column: its header name, whether NimbusImage quotes it, and what it holds.
public struct CSVColumn: Sendable, Equatable {
  /// The header name (sanitised and de-duplicated when asked).
  public var name: String
  /// Whether NimbusImage wraps the header and every cell in quotes: always for Id, Tags,
  /// Shape and Name, and for a property column whose name holds a comma.
  public var quoted: Bool
  public var field: CSVField

  public init(name: String, quoted: Bool, field: CSVField) {
    self.name = name
    self.quoted = quoted
    self.field = field
  }
}

/// The columns of a CSV export (FORMAT.md §4.2): NimbusImage's eight fixed columns, then one
/// column per property path.
public struct CSVColumns: Sendable, Equatable {
  /// Every column, in file order.
  public var columns: [CSVColumn]
  /// The paths asked for that produce no column (unknown property, or one without a name).
  public var dropped: [PropertyPath]

  /// `Id, Channel, XY, Z, Time, Tags, Shape, Name`, quoted as NimbusImage quotes them.
  public static let fixed: [CSVColumn] = [
    CSVColumn(name: "Id", quoted: true, field: .id),
    CSVColumn(name: "Channel", quoted: false, field: .channel),
    CSVColumn(name: "XY", quoted: false, field: .xy),
    CSVColumn(name: "Z", quoted: false, field: .z),
    CSVColumn(name: "Time", quoted: false, field: .time),
    CSVColumn(name: "Tags", quoted: true, field: .tags),
    CSVColumn(name: "Shape", quoted: true, field: .shape),
    CSVColumn(name: "Name", quoted: true, field: .name),
  ]

  /// The columns for `paths` in their order (duplicates give duplicate columns). A path
  /// whose property is not in `propertyNames` (property id → name) or has an empty name
  /// gives no column. With `sanitize`, every name is sanitised, quoting is decided, and
  /// then names are made unique across all columns.
  public init(paths: [PropertyPath], propertyNames: [String: String], sanitize: Bool) {
    var columns = Self.fixed
    var dropped: [PropertyPath] = []
    for path in paths {
      guard let propertyName = propertyNames[path.propertyID], !propertyName.isEmpty else {
        dropped.append(path)
        continue
      }
      var name = path.columnName(propertyName: propertyName)
      if sanitize { name = ColumnNames.sanitize(name) }
      columns.append(
        CSVColumn(name: name, quoted: name.utf8.contains(UInt8(ascii: ",")), field: .property(path))
      )
    }
    if sanitize {
      let unique = ColumnNames.deduplicate(columns.map(\.name))
      for index in columns.indices { columns[index].name = unique[index] }
    }
    self.columns = columns
    self.dropped = dropped
  }

  /// The property paths that have a column, in column order.
  public var propertyPaths: [PropertyPath] {
    columns.compactMap { column in
      if case .property(let path) = column.field { return path }
      return nil
    }
  }
}
