/// Streams a CSV export into an output one row at a time: each row is encoded into a
/// reused line buffer and handed to the output's own buffer, so memory does not grow
/// with the number of rows.
public final class CSVWriter {
  /// The line encoder, with the columns and format.
  public let encoder: CSVLineEncoder
  private let output: OutputFile
  private var line: [UInt8] = []
  /// Rows written so far.
  public private(set) var rowCount = 0

  public init(encoder: CSVLineEncoder, output: OutputFile) {
    self.encoder = encoder
    self.output = output
    line.reserveCapacity(4096)
  }

  /// Writes the header line; call once, first.
  public func writeHeader() throws {
    line.removeAll(keepingCapacity: true)
    encoder.appendHeader(into: &line)
    try output.write(line)
  }

  /// Writes the row of one annotation and its values (nil when it has none).
  public func writeRow(annotation: JSONValue, values: JSONValue?) throws {
    line.removeAll(keepingCapacity: true)
    encoder.appendRow(annotation: annotation, values: values, into: &line)
    try output.write(line)
    rowCount += 1
  }

  /// Flushes the output and, for a file, moves it into place.
  public func finish() throws {
    try output.finish()
  }
}
