import AnnostoreModel

/// Which property columns a CSV export has.
public enum CSVColumnSelection: Sendable, Equatable {
  /// Every leaf path of the dataset's values, in NimbusImage's computed-path order (see
  /// `LeafPathCollector`): the default, like NimbusImage's "Export all properties".
  case allLeafPaths
  /// The dataset's listed paths (`listedPropertyPaths` in `dataset.json`) that are leaf
  /// paths of its values, in leaf-path order, like NimbusImage's "Export listed properties".
  case listed
  /// Exactly these columns, in this order.
  case chosen([CSVColumnChoice])
}

/// One column the user names.
public enum CSVColumnChoice: Sendable, Equatable {
  /// By header name, `Property / sub / sub`.
  case name(String)
  /// By path, `[propertyId, sub, …]`.
  case path(PropertyPath)
}

/// What `export csv` writes.
public struct CSVExportRequest: Sendable {
  /// The dataset; nil when the store holds only one (ignored for all datasets).
  public var dataset: String?
  /// The revision; nil for the branch head.
  public var revision: String?
  /// A NimbusImage CSV request body (FORMAT.md §4.1). When set, its paths, format and
  /// `annotationIds` replace `columns`, `format` and `annotationIDs`.
  public var requestFile: String?
  public var columns: CSVColumnSelection
  public var format: CSVFormat
  /// A file of annotation ids, one per line: only those rows (ids not in the dataset are
  /// skipped). Combined with `annotationIDs` and `filter`, a row must pass them all.
  public var idsFile: String?
  /// Only these annotations' rows; nil for all.
  public var annotationIDs: [String]?
  /// Conditions on the annotations' tags, shape, channel, XY, Z and Time.
  public var filter: CSVRowFilter

  public init(
    dataset: String? = nil, revision: String? = nil, requestFile: String? = nil,
    columns: CSVColumnSelection = .allLeafPaths, format: CSVFormat = CSVFormat(),
    idsFile: String? = nil, annotationIDs: [String]? = nil, filter: CSVRowFilter = CSVRowFilter()
  ) {
    self.dataset = dataset
    self.revision = revision
    self.requestFile = requestFile
    self.columns = columns
    self.format = format
    self.idsFile = idsFile
    self.annotationIDs = annotationIDs
    self.filter = filter
  }
}

/// What `export csv` wrote for one dataset.
public struct CSVExportReport: Sendable {
  public var dataset: String
  public var commit: String
  /// The file written; nil for standard output.
  public var path: String?
  public var columns: [CSVColumn]
  public var rows: Int
  /// Paths asked for that gave no column: the property is unknown or has no name.
  public var droppedPaths: [PropertyPath]
}

/// What `export csv --preview` shows: the columns and the first rows.
public struct CSVPreview: Sendable {
  public var dataset: String
  public var commit: String
  public var columns: [CSVColumn]
  /// The header line and the first rows, as the file would hold them.
  public var text: String
  public var rows: Int
  /// Whether more rows follow.
  public var truncated: Bool
  public var droppedPaths: [PropertyPath]
}
