/// How cells are written: NimbusImage's `delimiter`, `undefinedValue` and
/// `sanitizeColumnNames` request fields (FORMAT.md §4.1).
public struct CSVFormat: Sendable, Equatable {
  /// The two delimiters NimbusImage writes.
  public enum Delimiter: String, Sendable, Equatable {
    case comma = ","
    case tab = "\t"

    /// The delimiter byte.
    public var byte: UInt8 { self == .comma ? UInt8(ascii: ",") : UInt8(ascii: "\t") }
    /// The usual file extension: `csv` or `tsv`.
    public var fileExtension: String { self == .comma ? "csv" : "tsv" }
  }

  public var delimiter: Delimiter
  /// Written for a missing value or a stored null (NimbusImage's UI offers "", "NA", "NaN").
  public var undefinedValue: String
  /// Whether column names are sanitised and made unique (§4.5).
  public var sanitizeColumnNames: Bool

  public init(
    delimiter: Delimiter = .comma, undefinedValue: String = "", sanitizeColumnNames: Bool = false
  ) {
    self.delimiter = delimiter
    self.undefinedValue = undefinedValue
    self.sanitizeColumnNames = sanitizeColumnNames
  }
}
