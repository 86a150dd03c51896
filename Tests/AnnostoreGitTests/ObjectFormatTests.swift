// Object ids and layouts must equal what git itself computes for the same content.

import Foundation
import XCTest

@testable import AnnostoreGit

final class ObjectFormatTests: XCTestCase {
  func testBlobIdsEqualGitHashObject() throws {
    let scratch = try Scratch()
    let contents: [[UInt8]] = [
      [], Array("hello\n".utf8), sampleJSON(1), [0, 1, 2, 255, 0, 10],
      [UInt8](repeating: 65, count: 100_000),
    ]
    for (index, content) in contents.enumerated() {
      let file = try scratch.write("blob\(index)", content)
      let expected = try gitOK(["hash-object", "-t", "blob", file], in: scratch)
      XCTAssertEqual(GitObjectFormat.id(of: .blob, content).hex, expected)
    }
  }

  func testObjectIDHexRoundTrip() throws {
    let hex = "0123456789abcdef0123456789abcdef01234567"
    let id = try XCTUnwrap(ObjectID(hex: hex))
    XCTAssertEqual(id.description, hex)
    XCTAssertEqual("\(id)", hex)
    XCTAssertEqual(ObjectID(hex: hex.uppercased()), id)
    XCTAssertEqual(ObjectID(rawBytes: id.rawBytes), id)
    XCTAssertEqual(id.rawBytes.first, 0x01)
    XCTAssertNil(ObjectID(hex: String(hex.dropLast())))
    XCTAssertNil(ObjectID(hex: hex + "0"))
    XCTAssertNil(ObjectID(hex: "g" + hex.dropFirst()))
    XCTAssertTrue(ObjectID(hex: "00" + hex.dropFirst(2))! < id)
  }

  func testSHA1HexOfArbitraryBytes() {
    XCTAssertEqual(GitObjectFormat.sha1Hex([]), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    XCTAssertEqual(
      GitObjectFormat.sha1Hex(Array("abc".utf8)), "a9993e364706816aba3e25717850c26c9cd0d89d")
  }

  /// git compares names bytewise, a tree as if its name ended in `/`: "a-b" < "a.b" < "a/"
  /// < "a0", while a blob "a" sorts before all of them.
  func testTreeOrderingEdgeCases() throws {
    let scratch = try Scratch()
    try gitOK(["init", "-q", "--bare", "repo.git"], in: scratch)
    let blob = GitObjectFormat.id(of: .blob, Array("x\n".utf8))
    let subtree = GitObjectFormat.id(of: .tree, GitObjectFormat.treeContent([]))
    let cases: [[TreeEntry]] = [
      [
        TreeEntry(name: "a0", id: blob, isTree: false),
        TreeEntry(name: "a", id: subtree, isTree: true),
        TreeEntry(name: "a.b", id: blob, isTree: false),
        TreeEntry(name: "a-b", id: blob, isTree: false),
      ],
      [
        TreeEntry(name: "a.b", id: blob, isTree: false),
        TreeEntry(name: "a-b", id: blob, isTree: false),
        TreeEntry(name: "a", id: blob, isTree: false),
      ],
      [
        TreeEntry(name: "b", id: subtree, isTree: true),
        TreeEntry(name: "b.json", id: blob, isTree: false),
        TreeEntry(name: "Z", id: blob, isTree: false),
        TreeEntry(name: "é", id: blob, isTree: false),
      ],
    ]
    let expectedOrders = [
      ["a-b", "a.b", "a", "a0"], ["a", "a-b", "a.b"], ["Z", "b.json", "b", "é"],
    ]
    for (entries, expectedOrder) in zip(cases, expectedOrders) {
      let content = GitObjectFormat.treeContent(entries)
      XCTAssertEqual(treeNames(content), expectedOrder)
      let listing = entries.map { entry in
        "\(entry.isTree ? "040000 tree" : "100644 blob") \(entry.id)\t\(entry.name)\n"
      }.joined()
      let expected = try gitOK(
        ["--git-dir", "\(scratch.path)/repo.git", "mktree", "--missing"], in: scratch,
        stdin: listing)
      XCTAssertEqual(GitObjectFormat.id(of: .tree, content).hex, expected)
      let file = try scratch.write("tree", content)
      let hashed = try gitOK(["hash-object", "-t", "tree", file], in: scratch)
      XCTAssertEqual(GitObjectFormat.id(of: .tree, content).hex, hashed)
    }
  }

  func testCommitIdsEqualGitCommitTree() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/repo.git")
    let writer = try PackWriter(repository: repository)
    let blob = try writer.add(.blob, Array("content\n".utf8))
    let tree = try writer.add(
      .tree, GitObjectFormat.treeContent([TreeEntry(name: "file.json", id: blob, isTree: false)]))
    let rootMessage = "Root commit\n\nWith a body.\n"
    let root = try writer.add(
      .commit,
      GitObjectFormat.commitContent(
        tree: tree, parents: [], author: testAuthor, committer: testCommitter,
        message: rootMessage))
    let otherRoot = try writer.add(
      .commit,
      GitObjectFormat.commitContent(
        tree: tree, parents: [], author: testCommitter, committer: testAuthor,
        message: "Other root\n"))
    try writer.install()

    let environment = [
      "GIT_AUTHOR_NAME": testAuthor.name, "GIT_AUTHOR_EMAIL": testAuthor.email,
      "GIT_AUTHOR_DATE": "1700000000 +0130", "GIT_COMMITTER_NAME": testCommitter.name,
      "GIT_COMMITTER_EMAIL": testCommitter.email, "GIT_COMMITTER_DATE": "1700000500 -0700",
    ]
    let gitDir = "\(scratch.path)/repo.git"
    let rootFile = try scratch.write("root-message", Array(rootMessage.utf8))
    let gitRoot = try gitOK(
      ["--git-dir", gitDir, "commit-tree", tree.hex, "-F", rootFile], in: scratch,
      environment: environment)
    XCTAssertEqual(root.hex, gitRoot)

    // Two parents, and a message without its final newline (git's -m adds it).
    let merge = GitObjectFormat.id(
      of: .commit,
      GitObjectFormat.commitContent(
        tree: tree, parents: [root, otherRoot], author: testAuthor, committer: testCommitter,
        message: "Merge"))
    let gitMerge = try gitOK(
      [
        "--git-dir", gitDir, "commit-tree", tree.hex, "-p", root.hex, "-p", otherRoot.hex, "-m",
        "Merge",
      ], in: scratch, environment: environment)
    XCTAssertEqual(merge.hex, gitMerge)
    XCTAssertEqual(
      GitObjectFormat.commitContent(
        tree: tree, parents: [], author: testAuthor, committer: testCommitter, message: "x"),
      GitObjectFormat.commitContent(
        tree: tree, parents: [], author: testAuthor, committer: testCommitter, message: "x\n"))
  }

  func testTagIdsEqualGitMktag() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/repo.git")
    let writer = try PackWriter(repository: repository)
    let tree = try writer.add(.tree, GitObjectFormat.treeContent([]))
    let commit = try writer.add(
      .commit,
      GitObjectFormat.commitContent(
        tree: tree, parents: [], author: testAuthor, committer: testCommitter, message: "c\n"))
    try writer.install()
    let content = GitObjectFormat.tagContent(
      target: commit, targetKind: .commit, name: "v1", tagger: testCommitter,
      message: "Release 1")
    XCTAssertEqual(
      String(decoding: content, as: UTF8.self),
      "object \(commit)\ntype commit\ntag v1\n"
        + "tagger Charles Babbage <charles@example.org> 1700000500 -0700\n\nRelease 1\n")
    let expected = try gitOK(
      ["--git-dir", "\(scratch.path)/repo.git", "mktag"], in: scratch,
      stdin: String(decoding: content, as: UTF8.self))
    XCTAssertEqual(GitObjectFormat.id(of: .tag, content).hex, expected)
  }

  func testEntryHeaderEncoding() {
    var buffer = [UInt8](repeating: 0, count: maximumHeaderSize)
    func header(_ type: UInt8, _ size: Int) -> [UInt8] {
      let count = buffer.withUnsafeMutableBytes {
        writeEntryHeader(type: type, size: size, at: $0.baseAddress!)
      }
      return Array(buffer[0..<count])
    }
    XCTAssertEqual(header(3, 0), [0x30])
    XCTAssertEqual(header(3, 15), [0x3f])
    XCTAssertEqual(header(1, 16), [0x90, 0x01])
    XCTAssertEqual(header(2, 400), [0xa0, 0x19])
    XCTAssertEqual(header(3, 1 << 20), [0xb0, 0x80, 0x80, 0x04])
    XCTAssertEqual(header(4, Int.max).count, maximumHeaderSize)
  }

  /// The names in a tree object's content, in stored order.
  private func treeNames(_ content: [UInt8]) -> [String] {
    var names: [String] = []
    var index = 0
    while index < content.count {
      let space = content[index...].firstIndex(of: UInt8(ascii: " "))!
      let nul = content[space...].firstIndex(of: 0)!
      names.append(String(decoding: content[(space + 1)..<nul], as: UTF8.self))
      index = nul + 21
    }
    return names
  }
}
