// Merging packs: every object survives (including deltas from a pack git wrote), the
// largest pack and packs marked .keep stay, and git's strictest checks pass.

import Foundation
import XCTest

@testable import AnnostoreGit

final class PackConsolidationTests: XCTestCase {
  private func packNames(_ repository: Repository) throws -> Set<String> {
    Set(
      try FileManager.default.contentsOfDirectory(atPath: repository.path + "/objects/pack")
        .filter { $0.hasSuffix(".pack") })
  }

  func testSmallPacksAreMergedAndEveryObjectSurvives() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/store.git")
    var blobs: [ObjectID: [UInt8]] = [:]
    // The largest pack, then six small ones sharing one blob.
    for pack in 0..<7 {
      let writer = try PackWriter(repository: repository)
      for index in 0..<(pack == 0 ? 400 : 3) {
        let content = sampleJSON(pack * 1000 + index)
        blobs[try writer.add(.blob, content)] = content
      }
      let shared = Array("shared\n".utf8)
      blobs[try writer.add(.blob, shared)] = shared
      try writer.install()
    }
    // A pack written by git itself, with deltas between similar blobs (and the loose
    // copies removed, so the blobs live in that pack only).
    var loose: [String] = []
    for index in 0..<12 {
      let content = Array(repeating: sampleJSON(5), count: 20).joined() + sampleJSON(index)
      let id = try gitOK(
        ["--git-dir", repository.path, "hash-object", "-w", "--stdin"], in: scratch,
        stdin: String(decoding: content, as: UTF8.self))
      blobs[try XCTUnwrap(ObjectID(hex: id))] = content
      loose.append(id)
    }
    let ours = try packNames(repository)
    try gitOK(
      ["--git-dir", repository.path, "pack-objects", "-q", repository.path + "/objects/pack/pack"],
      in: scratch, stdin: loose.joined(separator: "\n") + "\n")
    try gitOK(["--git-dir", repository.path, "prune-packed"], in: scratch)
    let gitPack = try XCTUnwrap(try packNames(repository).subtracting(ours).first)
    let verify = try gitOK(
      ["verify-pack", "-s", "\(repository.path)/objects/pack/\(gitPack)"], in: scratch)
    XCTAssertTrue(verify.contains("chain length"), "git made no deltas: \(verify)")
    // A pack marked .keep is left alone.
    let unkept = try packNames(repository)
    let keepWriter = try PackWriter(repository: repository)
    blobs[try keepWriter.add(.blob, Array("kept\n".utf8))] = Array("kept\n".utf8)
    try keepWriter.install()
    let before = try packNames(repository)
    XCTAssertEqual(before.count, 9)
    let keptPack = try XCTUnwrap(before.subtracting(unkept).first)
    FileManager.default.createFile(
      atPath: repository.path + "/objects/pack/"
        + keptPack.replacingOccurrences(of: ".pack", with: ".keep"), contents: Data())

    XCTAssertEqual(try repository.consolidatePacks(beyond: 9), 0, "within the limit")
    XCTAssertEqual(try packNames(repository), before)
    XCTAssertEqual(try repository.consolidatePacks(beyond: 3), 7)
    let after = try packNames(repository)
    XCTAssertEqual(after.count, 3, "the largest, the kept one, the merged one: \(after)")
    XCTAssertTrue(after.contains(keptPack))

    for (id, content) in blobs {
      XCTAssertEqual(try repository.blob(id), content)
      XCTAssertEqual(try ObjectReader(repository: repository).blob(id), content)
    }
    let fsck = try git(["--git-dir", repository.path, "fsck", "--strict", "--full"], in: scratch)
    XCTAssertEqual(fsck.status, 0, fsck.stderr)
    let leftovers = try FileManager.default.contentsOfDirectory(
      atPath: repository.path + "/objects/pack"
    ).filter { !$0.hasSuffix(".pack") && !$0.hasSuffix(".idx") && !$0.hasSuffix(".keep") }
    XCTAssertEqual(leftovers, [])
  }
}
