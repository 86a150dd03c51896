// The pieces of a network push that need no server: the receive-pack commands and status
// report, and which objects PushObjectWalk sends against a remote's advertised tips.

import Foundation
import XCTest

@testable import AnnostoreGit

final class NetworkPushTests: XCTestCase {
  func testCommands() throws {
    let old = try XCTUnwrap(ObjectID(hex: String(repeating: "a", count: 40)))
    let new = try XCTUnwrap(ObjectID(hex: String(repeating: "b", count: 40)))
    let bytes = ReceivePackProtocol.commands([
      ReferenceUpdate(name: "refs/heads/main", old: old, new: new),
      ReferenceUpdate(name: "refs/tags/v1", old: nil, new: new),
    ])
    let zero = String(repeating: "0", count: 40)
    let first = "\(old.hex) \(new.hex) refs/heads/main\0\(ReceivePackProtocol.capabilities)\n"
    let second = "\(zero) \(new.hex) refs/tags/v1\n"
    let expected =
      String(format: "%04x", first.utf8.count + 4) + first
      + String(format: "%04x", second.utf8.count + 4) + second + "0000"
    XCTAssertEqual(String(decoding: bytes, as: UTF8.self), expected)
  }

  func testReportArrivingInPieces() throws {
    let lines = ["unpack ok\n", "ok refs/heads/main\n", "ng refs/heads/other fetch first\n"]
    let bytes =
      lines.flatMap { ReceivePackProtocol.packetLine(Array($0.utf8)) } + Array("0000".utf8)
    XCTAssertEqual(Array(bytes.prefix(4)), Array("000e".utf8))
    var reader = ReceivePackProtocol.ReportReader()
    for byte in bytes {
      XCTAssertNil(reader.report)
      try [byte].withUnsafeBytes { try reader.take($0) }
    }
    let report = try XCTUnwrap(reader.report)
    XCTAssertEqual(report.unpack, "ok")
    XCTAssertEqual(report.accepted, ["refs/heads/main"])
    XCTAssertEqual(report.refused.map(\.reference), ["refs/heads/other"])
    XCTAssertEqual(report.refused.map(\.reason), ["fetch first"])
  }

  func testMalformedReport() {
    var reader = ReceivePackProtocol.ReportReader()
    assertGitError(.network) {
      try Array("zzzz".utf8).withUnsafeBytes { try reader.take($0) }
    }
    var noUnpack = ReceivePackProtocol.ReportReader()
    assertGitError(.network) {
      try Array("0017ok refs/heads/main\n0000".utf8).withUnsafeBytes { try noUnpack.take($0) }
    }
  }

  /// Against a remote holding the first commit, a commit changing one file sends itself,
  /// its root tree, the one changed directory and the new blob; nothing else.
  func testWalkSendsOnlyWhatChanged() throws {
    let scratch = try Scratch()
    try gitOK(["init", "-q", "-b", "main", "work"], in: scratch)
    let work = "\(scratch.path)/work"
    for directory in ["a", "b", "a/deep"] {
      try FileManager.default.createDirectory(
        atPath: "\(work)/\(directory)", withIntermediateDirectories: true)
    }
    for (index, file) in ["a/x", "a/y", "b/z", "a/deep/w"].enumerated() {
      _ = try scratch.write("work/\(file)", sampleJSON(index))
    }
    let identity = [
      "-c", "user.name=t", "-c", "user.email=t@t", "-C", "work", "commit", "-q", "-m",
    ]
    try gitOK(["-C", "work", "add", "-A"], in: scratch)
    try gitOK(identity + ["first"], in: scratch)
    let first = try XCTUnwrap(
      ObjectID(hex: gitOK(["-C", "work", "rev-parse", "HEAD"], in: scratch)))
    _ = try scratch.write("work/a/x", sampleJSON(99))
    try gitOK(["-C", "work", "add", "-A"], in: scratch)
    try gitOK(identity + ["second"], in: scratch)
    let second = try XCTUnwrap(
      ObjectID(hex: gitOK(["-C", "work", "rev-parse", "HEAD"], in: scratch)))
    func ids(_ names: [String]) throws -> Set<ObjectID> {
      Set(
        try names.map {
          try XCTUnwrap(ObjectID(hex: gitOK(["-C", "work", "rev-parse", $0], in: scratch)))
        })
    }

    let repository = try Repository.open(at: "\(work)/.git")
    let reader = try repository.makeBulkReader()
    var incremental = try PushObjectWalk(
      repository: repository, reader: reader, advertised: [first]
    ) { _ in }
    try incremental.add([second])
    XCTAssertEqual(
      Set(incremental.objects), try ids(["HEAD", "HEAD^{tree}", "HEAD:a", "HEAD:a/x"]))

    var fresh = try PushObjectWalk(repository: repository, reader: reader, advertised: []) {
      _ in
    }
    try fresh.add([second])
    let everything = try gitOK(["-C", "work", "rev-list", "--objects", "HEAD"], in: scratch)
      .split(separator: "\n").map { String($0.prefix(40)) }
    XCTAssertEqual(Set(fresh.objects), try ids(everything))
    XCTAssertEqual(fresh.objects.count, everything.count)

    // A remote tip this repository lacks is not a reason to send less.
    let unknown = try XCTUnwrap(ObjectID(hex: String(repeating: "c", count: 40)))
    var unrelated = try PushObjectWalk(
      repository: repository, reader: reader, advertised: [unknown]
    ) { _ in }
    try unrelated.add([second])
    XCTAssertEqual(Set(unrelated.objects), Set(fresh.objects))
  }
}
