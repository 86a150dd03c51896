import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// `annostore dataset set-dimensions --dataset D --xy N --z N --time N --channels N`.
struct DatasetSetDimensionsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set-dimensions",
    abstract: "Record how many XY positions, Z slices, time points and channels D has.",
    discussion: """
      Imports then refuse annotations outside them (unless --allow-out-of-range). \
      annostore never infers dimensions: they are known only once set here. Writes a \
      commit that changes only dataset.json.
      """)

  @Option(help: "The dataset.")
  var dataset: String

  @Option(help: "Number of XY positions.")
  var xy: Int

  @Option(help: "Number of Z slices.")
  var z: Int

  @Option(help: "Number of time points.")
  var time: Int

  @Option(help: "Number of channels.")
  var channels: Int

  @OptionGroup var store: StoreOptions

  func run() throws {
    let commit = try store.open().setDimensions(
      DatasetDimensions(xy: xy, z: z, time: time, channels: channels), dataset: dataset)
    if let commit {
      print("dimensions of \(dataset) recorded: commit \(commit.shortCommit)")
    } else {
      print("nothing changed: \(dataset) already has these dimensions")
    }
  }
}
