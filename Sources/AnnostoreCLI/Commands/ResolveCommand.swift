import AnnostoreModel
import AnnostoreStore
import ArgumentParser
import Foundation

/// `annostore resolve ID [FIELD] --ours|--theirs|--base|--file JSON`, or `resolve --all`.
struct ResolveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resolve",
    abstract: "Settle conflicts of the merge in progress.",
    discussion: """
      ID is a conflict's number (as `annostore conflicts` lists it) or a record id (all \
      its conflicts); FIELD narrows a record id to one field or property-value path \
      (e.g. tags, or PROPERTY_ID/Area). --file gives the value as a JSON file: the \
      field's value, or the whole record for a conflict on the whole record.
      """)

  @Argument(help: "A conflict number or a record id.")
  var id: String?

  @Argument(help: "The field or property-value path (with a record id).")
  var field: String?

  @Flag(help: "Settle every conflict.")
  var all = false

  @Flag(help: "Take our version.")
  var ours = false

  @Flag(help: "Take their version.")
  var theirs = false

  @Flag(help: "Take the base version.")
  var base = false

  @Option(help: "Take the JSON value in this file.")
  var file: String?

  @OptionGroup var store: StoreOptions

  func validate() throws {
    let choices = [ours, theirs, base, file != nil].filter { $0 }.count
    guard choices == 1 else {
      throw ValidationError("Choose exactly one of --ours, --theirs, --base, --file.")
    }
    guard all != (id != nil) else {
      throw ValidationError("Name a conflict (ID [FIELD]) or pass --all, not both.")
    }
  }

  func run() throws {
    let resolution: ConflictResolution
    if ours {
      resolution = .side(.ours)
    } else if theirs {
      resolution = .side(.theirs)
    } else if base {
      resolution = .side(.base)
    } else {
      resolution = .value(try Self.readValue(file ?? ""))
    }
    let selector: ConflictSelector = all ? .all : .record(id ?? "", field: field)
    let settled = try store.open().resolveConflicts(selector, with: resolution)
    for conflict in settled {
      let data = conflict.conflict
      let what = data.isRecordLevel ? "whole record" : data.pathText
      print("settled #\(conflict.number) \(conflict.kind.singular) \(data.recordId): \(what)")
    }
  }

  static func readValue(_ path: String) throws -> JSONValue {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AnnostoreError(.badInput, "cannot read \(path)", hint: "Check the path.")
    }
    do {
      return try JSONParser.parse(Array(data))
    } catch {
      throw AnnostoreError(
        .badInput, "\(path): \(error.location): \(error.message)",
        hint: "--file takes a file holding one JSON value.")
    }
  }
}
