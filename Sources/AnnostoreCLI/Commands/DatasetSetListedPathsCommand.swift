import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore dataset set-listed-paths`: the paths `export csv --listed` writes.
struct DatasetSetListedPathsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set-listed-paths",
    abstract: "Set the dataset's listed property paths, the columns of `export csv --listed`.",
    discussion: """
      Like NimbusImage's listed (displayed) properties. Records a commit that changes only \
      the dataset's dataset.json. Paths are PROPERTYID.sub.sub, or column names with \
      --property; no paths with --clear empties the list.
      """)

  @Option(help: "The dataset (may be left out when the store holds only one).")
  var dataset: String?

  @Argument(help: ArgumentHelp("Property paths, PROPERTYID.sub.sub.", valueName: "path"))
  var paths: [String] = []

  @Option(
    help: ArgumentHelp(
      "A path by column name, e.g. \"nucleus Blob Metrics / Area\" (repeatable).",
      valueName: "name"))
  var property: [String] = []

  @Flag(help: "Remove every listed path.")
  var clear = false

  @OptionGroup var commitOptions: CommitOptions<DatasetSetListedPathsCommand>

  @OptionGroup var store: StoreOptions

  func validate() throws {
    if clear, !paths.isEmpty || !property.isEmpty {
      throw ValidationError("--clear takes no paths.")
    }
    if !clear, paths.isEmpty, property.isEmpty {
      throw ValidationError("Name at least one path (or --clear to remove them all).")
    }
  }

  func run() throws {
    var choices = property.map(CSVColumnChoice.name)
    for text in paths {
      do {
        choices.append(.path(try PropertyColumnName.parseDotted(text)))
      } catch {
        throw AnnostoreError(.usage, "path \(text): \(error.message)", hint: error.hint)
      }
    }
    let identity = try commitOptions.identity()
    let report = try store.open().setListedPropertyPaths(
      ListedPathsRequest(
        dataset: dataset, paths: choices, message: commitOptions.message, author: identity))
    if let commit = report.commit {
      print(
        "Dataset \(report.dataset): \(report.paths.count) listed path(s), commit "
          + commit.shortCommit)
    } else {
      print("nothing changed: dataset \(report.dataset) already lists these paths")
    }
  }
}

extension DatasetSetListedPathsCommand: CommitMessageHelp {
  static let messageHelp = "The commit message."
}
