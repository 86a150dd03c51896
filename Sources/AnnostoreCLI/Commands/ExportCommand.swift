import ArgumentParser

/// `annostore export`: writes a revision of a dataset out in NimbusImage's formats.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a dataset out as NimbusImage JSON or CSV, from any revision.",
    subcommands: [ExportJSONCommand.self, ExportCSVCommand.self])
}
