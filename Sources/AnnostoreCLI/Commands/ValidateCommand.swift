import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore validate EXPORT.json`: checks an export and writes nothing.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check a NimbusImage JSON export without recording it.",
    discussion: """
      Checks the JSON itself, every record against NimbusImage's schema, ids (unique \
      plain tokens) and references. Reports dangling references (which `commit` would \
      drop). Needs no store. Exit status 0 when the file can be recorded, 3 when not.
      """)

  @Argument(help: "The NimbusImage JSON export file.")
  var file: String

  @Flag(help: "Print the report as JSON.")
  var json = false

  /// Accepted for symmetry with the other commands; validating needs no store.
  @OptionGroup var store: StoreOptions

  func run() throws {
    let progress = ProgressLine("checking \(file)", total: ProgressLine.fileSize(file))
    defer { progress.finish() }
    let report = try ExportValidator.validate(file: file, progress: progress.update(bytes:))
    progress.finish()
    if json {
      JSONOutput.print(
        .object([
          JSONMember("file", .string(file)),
          JSONMember("valid", .bool(true)),
          JSONMember("counts", JSONOutput.counts(report.counts)),
          JSONMember(
            "orphans",
            .object([
              JSONMember("values", .number(Double(report.orphanedValues))),
              JSONMember("connections", .number(Double(report.orphanedConnections))),
            ])),
        ]))
      return
    }
    print("\(file): valid NimbusImage export")
    for kind in RecordKind.allCases {
      print("  \(kind.rawValue): " + (report.counts[kind].map(String.init) ?? "not exported"))
    }
    if report.orphanedValues > 0 || report.orphanedConnections > 0 {
      print(
        "  dangling references: \(report.orphanedValues) property values and "
          + "\(report.orphanedConnections) connections name annotations not in the file "
          + "(commit drops them)")
    }
  }
}
