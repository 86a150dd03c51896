import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore export json`: NimbusImage's server JSON export of one revision.
struct ExportJSONCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "json",
    abstract: "Write a dataset as NimbusImage's JSON export (which NimbusImage can import).",
    discussion: """
      One compact line with the keys annotations, annotationConnections, \
      annotationProperties and annotationPropertyValues (those selected), records in id \
      order. The same revision always gives the same bytes.
      """)

  @Option(help: "The dataset (may be left out when the store holds only one).")
  var dataset: String?

  @Option(help: "The revision to export: HEAD, HEAD~1, a tag, a commit id (default: HEAD).")
  var rev: String?

  @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
  var output: String?

  @Flag(help: "Leave out the annotations.") var noAnnotations = false
  @Flag(help: "Leave out the connections.") var noConnections = false
  @Flag(help: "Leave out the property definitions.") var noProperties = false
  @Flag(help: "Leave out the property values.") var noValues = false

  @OptionGroup var store: StoreOptions

  func run() throws {
    var parts = Set(RecordKind.allCases)
    if noAnnotations { parts.remove(.annotations) }
    if noConnections { parts.remove(.connections) }
    if noProperties { parts.remove(.properties) }
    if noValues { parts.remove(.values) }
    let opened = try store.open()
    let sink = try output.map { try OutputFile(path: $0) } ?? OutputFile()
    let report = try opened.exportJSON(
      JSONExportRequest(dataset: dataset, revision: rev, parts: parts), to: sink)
    if let output {
      let counts = RecordKind.allCases.compactMap { kind in
        report.counts[kind].map { "\($0) \(kind.rawValue)" }
      }
      print(
        "Wrote \(output): dataset \(report.dataset) at \(report.commit.shortCommit): "
          + counts.joined(separator: ", "))
    }
  }
}
