// Helpers for the git-layer tests: a scratch directory and the real git CLI run with an
// isolated configuration (no system config, HOME inside the scratch directory).

import Foundation
import XCTest

@testable import AnnostoreGit

/// A temporary directory removed when the test ends.
final class Scratch {
  let path: String

  init() throws {
    let base = FileManager.default.temporaryDirectory.path
    path = "\(base)/annostore-git-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `bytes` to `name` inside the directory and returns its path.
  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let file = "\(path)/\(name)"
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return file
  }
}

/// What a git command did.
struct GitRun {
  var status: Int32
  var stdout: Data
  var stderr: String
  var text: String { String(decoding: stdout, as: UTF8.self) }
  var trimmed: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Runs the git CLI with `arguments`, isolated from the machine's and user's config.
@discardableResult
func git(
  _ arguments: [String], in scratch: Scratch, environment extra: [String: String] = [:],
  stdin: String? = nil
) throws -> GitRun {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
  process.arguments = arguments
  process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
  var environment = [
    "PATH": "/usr/bin:/bin", "HOME": scratch.path, "GIT_CONFIG_NOSYSTEM": "1",
    // A global config file that does not exist rather than /dev/null, which a busy machine
    // has been seen to turn into a regular file with other processes' output in it.
    "GIT_CONFIG_GLOBAL": "\(scratch.path)/.no-global-gitconfig", "LC_ALL": "C",
  ]
  environment.merge(extra) { _, new in new }
  process.environment = environment
  let id = UUID().uuidString
  let outPath = "\(scratch.path)/.out-\(id)"
  let errPath = "\(scratch.path)/.err-\(id)"
  _ = FileManager.default.createFile(atPath: outPath, contents: nil)
  _ = FileManager.default.createFile(atPath: errPath, contents: nil)
  defer {
    try? FileManager.default.removeItem(atPath: outPath)
    try? FileManager.default.removeItem(atPath: errPath)
  }
  let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
  let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
  process.standardOutput = out
  process.standardError = err
  // An empty file rather than /dev/null when there is no input, for the same reason.
  let inPath = try scratch.write(".in-\(id)", Array((stdin ?? "").utf8))
  defer { try? FileManager.default.removeItem(atPath: inPath) }
  process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
  try process.run()
  process.waitUntilExit()
  try out.close()
  try err.close()
  return GitRun(
    status: process.terminationStatus,
    stdout: try Data(contentsOf: URL(fileURLWithPath: outPath)),
    stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self))
}

/// Runs git and fails the test unless it exits 0; returns its trimmed standard output.
@discardableResult
func gitOK(
  _ arguments: [String], in scratch: Scratch, environment: [String: String] = [:],
  stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line
) throws -> String {
  let run = try git(arguments, in: scratch, environment: environment, stdin: stdin)
  XCTAssertEqual(
    run.status, 0, "git \(arguments.joined(separator: " ")): \(run.stderr)", file: file,
    line: line)
  return run.trimmed
}

/// A fixed identity for commits and tags in tests.
let testAuthor = Signature(
  name: "Ada Lovelace", email: "ada@example.org", time: 1_700_000_000, offsetMinutes: 90)
let testCommitter = Signature(
  name: "Charles Babbage", email: "charles@example.org", time: 1_700_000_500,
  offsetMinutes: -420)

/// A JSON document of roughly 400 bytes, different for every `index`.
func sampleJSON(_ index: Int) -> [UInt8] {
  let id = String(format: "%024x", index &* 2_654_435_761)
  var text = "{\"_id\":\"\(id)\",\"channel\":\(index % 4),\"coordinates\":["
  for point in 0..<6 {
    let x = Double((index &* 7919 &+ point &* 104_729) % 409_600) / 100
    let y = Double((index &* 6133 &+ point &* 7727) % 409_600) / 100
    text += "{\"x\":\(x),\"y\":\(y),\"z\":0}" + (point < 5 ? "," : "")
  }
  text += "],\"datasetId\":\"65a1b2c3d4e5f60718293a4b\","
  text += "\"location\":{\"Time\":\(index % 50),\"XY\":\(index % 9),\"Z\":0},"
  text += "\"name\":\"cell \(index)\",\"shape\":\"polygon\",\"tags\":[\"nucleus\",\"cell\"]}\n"
  return Array(text.utf8)
}

extension XCTestCase {
  /// Asserts that `body` throws a GitError of `kind`, and returns it.
  @discardableResult
  func assertGitError<T>(
    _ kind: GitError.Kind, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> T
  ) -> GitError? {
    do {
      _ = try body()
      XCTFail("expected a GitError of kind \(kind)", file: file, line: line)
    } catch let error as GitError {
      XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
      return error
    } catch {
      XCTFail("expected a GitError, got \(error)", file: file, line: line)
    }
    return nil
  }
}
