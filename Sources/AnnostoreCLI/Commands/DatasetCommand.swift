import ArgumentParser

/// `annostore dataset`: settings kept with a dataset.
struct DatasetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dataset",
    abstract: "Change settings kept with a dataset (listed property paths, dimensions).",
    subcommands: [DatasetSetListedPathsCommand.self, DatasetSetDimensionsCommand.self])
}
