// ObjectReader: what it reads from packs must equal what libgit2 and the git CLI read, for
// packs written by PackWriter, packs with deltas written by git, and loose objects; and a
// damaged pack must give an error, never wrong bytes.

import Dispatch
import Foundation
import XCTest

@testable import AnnostoreGit

final class ObjectReaderTests: XCTestCase {
  func testReadsPackWriterObjectsBackIdentically() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/store.git")
    // Two packs, so that lookups move between them; sizes from empty to a 3 MB blob whose
    // entry is larger than the reader's usual read.
    var contents: [[UInt8]] = [[], Array("{}\n".utf8)]
    contents.append((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
    contents += (0..<3000).map(sampleJSON)
    var ids: [ObjectID] = []
    for part in [contents[..<1500], contents[1500...]] {
      let writer = try PackWriter(repository: repository)
      for content in part { ids.append(try writer.add(.blob, content)) }
      try writer.install()
    }
    let entries = (0..<40).map { TreeEntry(name: "\($0).json", id: ids[$0], isTree: false) }
    let subtree = try addObject(.tree, GitObjectFormat.treeContent(entries), to: repository)
    let tree = try addObject(
      .tree,
      GitObjectFormat.treeContent([
        TreeEntry(name: "sub", id: subtree, isTree: true),
        TreeEntry(name: "a.json", id: ids[5], isTree: false),
      ]), to: repository)

    let reader = try repository.makeBulkReader()
    XCTAssertEqual(reader.packs.packCount, 4)
    var gathered: [UInt8] = [7]
    for (index, id) in ids.enumerated().shuffled() {
      XCTAssertEqual(try reader.blob(id), contents[index], "blob \(index)")
      XCTAssertEqual(try reader.object(id).kind, .blob)
      gathered.removeSubrange(1...)
      try reader.appendBlob(id, to: &gathered)
      XCTAssertEqual(gathered, [7] + contents[index], "appended blob \(index)")
    }
    XCTAssertEqual(try reader.tree(tree), try repository.tree(tree))
    XCTAssertEqual(try reader.tree(subtree), try repository.tree(subtree))
    XCTAssertEqual(Set(try reader.tree(subtree).map(\.name)), Set(entries.map(\.name)))
    XCTAssertEqual(try reader.tree(tree).map(\.isTree), [false, true])
    assertGitError(.invalid) { try reader.blob(tree) }
    assertGitError(.invalid) { try reader.tree(ids[9]) }
    let before = gathered
    assertGitError(.invalid) { try reader.appendBlob(tree, to: &gathered) }
    XCTAssertEqual(gathered, before, "left as it was")

    // A verifying reader on another thread, sharing the same packs.
    let packs = reader.packs
    let sample = Array(ids.prefix(600))
    let expected = Array(contents.prefix(600))
    let mismatches = LockedCounter()
    DispatchQueue.concurrentPerform(iterations: 2) { lane in
      do {
        let sibling = try ObjectReader(packs: packs, verifying: true)
        for index in stride(from: lane, to: sample.count, by: 2) {
          if try sibling.blob(sample[index]) != expected[index] { mismatches.add() }
        }
      } catch {
        mismatches.add()
      }
    }
    XCTAssertEqual(mismatches.value, 0)
  }

  func testReadsGitDeltasAndLooseObjectsThroughLibgit2() throws {
    let scratch = try Scratch()
    let gitDir = "\(scratch.path)/cli.git"
    try gitOK(["init", "--bare", "-q", gitDir], in: scratch)
    // Similar documents, so that git stores most of them as deltas of each other.
    let base = (0..<60).map { "line \($0): " + String(repeating: "annotation ", count: 4) }
    var contents: [String] = []
    for variant in 0..<40 {
      var lines = base
      lines[variant % base.count] = "changed in variant \(variant)"
      contents.append(lines.joined(separator: "\n") + "\n")
    }
    var ids: [ObjectID] = []
    for content in contents {
      let hex = try gitOK(
        ["--git-dir", gitDir, "hash-object", "-w", "--stdin"], in: scratch, stdin: content)
      ids.append(try XCTUnwrap(ObjectID(hex: hex)))
    }
    // Only reachable objects are packed: a tree of every blob, a commit and a branch.
    let treeHex = try gitOK(
      ["--git-dir", gitDir, "mktree"], in: scratch,
      stdin: ids.enumerated().map { "100644 blob \($1.hex)\tfile\($0).txt\n" }.joined())
    let tree = try XCTUnwrap(ObjectID(hex: treeHex))
    let commitHex = try gitOK(
      [
        "--git-dir", gitDir, "-c", "user.name=Test", "-c", "user.email=test@example.org",
        "commit-tree", "-m", "all", treeHex,
      ], in: scratch)
    try gitOK(["--git-dir", gitDir, "update-ref", "refs/heads/main", commitHex], in: scratch)
    // What `git repack -a -d` does, without the child processes it starts with /dev/null
    // as input (see GitTestSupport).
    let packDirectory = "\(gitDir)/objects/pack"
    try gitOK(
      [
        "--git-dir", gitDir, "pack-objects", "--all", "--revs", "-q", "--window=50",
        "--depth=50", "\(packDirectory)/pack",
      ], in: scratch, stdin: "")
    try gitOK(["--git-dir", gitDir, "prune-packed"], in: scratch)
    let counts = try gitOK(["--git-dir", gitDir, "count-objects", "-v"], in: scratch)
    XCTAssertTrue(counts.hasPrefix("count: 0\n"), counts)
    let index = try XCTUnwrap(
      FileManager.default.contentsOfDirectory(atPath: packDirectory).first {
        $0.hasSuffix(".idx")
      })
    let verify = try gitOK(["verify-pack", "-v", "\(packDirectory)/\(index)"], in: scratch)
    XCTAssertTrue(verify.contains("chain length = 1: "), verify)
    // A loose object, written after the repack.
    let looseContent = "a loose object\n"
    let loose = try XCTUnwrap(
      ObjectID(
        hex: try gitOK(
          ["--git-dir", gitDir, "hash-object", "-w", "--stdin"], in: scratch,
          stdin: looseContent)))

    let repository = try Repository.open(at: gitDir)
    for verifying in [false, true] {
      let reader = try repository.makeBulkReader(verifying: verifying)
      XCTAssertEqual(reader.packs.packCount, 1)
      for (index, id) in ids.enumerated().shuffled() {
        XCTAssertEqual(try reader.blob(id), Array(contents[index].utf8), "blob \(index)")
      }
      XCTAssertEqual(try reader.blob(loose), Array(looseContent.utf8))
      XCTAssertEqual(try reader.tree(tree), try repository.tree(tree))
      XCTAssertEqual(try reader.object(XCTUnwrap(ObjectID(hex: commitHex))).kind, .commit)
      var gathered: [UInt8] = []
      try reader.appendBlob(loose, to: &gathered)
      try reader.appendBlob(ids[3], to: &gathered)
      XCTAssertEqual(gathered, Array((looseContent + contents[3]).utf8))
    }
  }

  func testMissingObjectIsNotFound() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/store.git")
    let empty = try repository.makeBulkReader()
    XCTAssertEqual(empty.packs.packCount, 0)
    let missing = GitObjectFormat.id(of: .blob, Array("never stored\n".utf8))
    assertGitError(.notFound) { try empty.blob(missing) }

    let writer = try PackWriter(repository: repository)
    let stored = try writer.add(.blob, sampleJSON(1))
    try writer.install()
    let reader = try repository.makeBulkReader()
    XCTAssertEqual(try reader.blob(stored), sampleJSON(1))
    var gathered: [UInt8] = [1, 2]
    assertGitError(.notFound) { try reader.blob(missing) }
    assertGitError(.notFound) { try reader.appendBlob(missing, to: &gathered) }
    assertGitError(.notFound) { try reader.tree(missing) }
    XCTAssertEqual(gathered, [1, 2])
  }

  /// Flips each byte of one pack entry in turn: every read must then fail or still give
  /// the right bytes (a flip libdeflate and zlib both accept changes nothing).
  func testCorruptedPackByteGivesAnErrorNeverWrongData() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/store.git")
    let writer = try PackWriter(repository: repository)
    let contents = (0..<20).map(sampleJSON)
    let ids = try contents.map { try writer.add(.blob, $0) }
    try writer.install()

    let packDirectory = "\(repository.path)/objects/pack"
    let names = try FileManager.default.contentsOfDirectory(atPath: packDirectory)
    let indexName = try XCTUnwrap(names.first { $0.hasSuffix(".idx") })
    let index = try PackIndex(path: "\(packDirectory)/\(indexName)")
    let packPath = "\(packDirectory)/\(indexName.dropLast(4)).pack"
    let offsets = ids.map { index.offset(of: $0)! }
    let victim = 7
    let start = offsets[victim]
    let packEnd = UInt64(try fileSize(packPath) - 20)
    let end = offsets.filter { $0 > start }.min() ?? packEnd
    XCTAssertGreaterThan(end - start, 100)
    chmod(packPath, 0o644)

    var failures = 0
    for offset in start..<end {
      let original = try readByte(packPath, at: offset)
      try writeByte(packPath, original ^ 0x10, at: offset)
      for verifying in [false, true] {
        let reader = try repository.makeBulkReader(verifying: verifying)
        do {
          let bytes = try reader.blob(ids[victim])
          XCTAssertEqual(bytes, contents[victim], "byte \(offset - start) flipped")
        } catch is GitError {
          failures += 1
        }
        // The neighbours are untouched.
        XCTAssertEqual(try reader.blob(ids[victim + 1]), contents[victim + 1])
      }
      try writeByte(packPath, original, at: offset)
    }
    XCTAssertGreaterThan(failures, Int(end - start) * 2 * 9 / 10)
    XCTAssertEqual(try repository.makeBulkReader().blob(ids[victim]), contents[victim])
  }

  /// Writes one object through its own pack.
  private func addObject(_ kind: ObjectKind, _ content: [UInt8], to repository: Repository)
    throws -> ObjectID
  {
    let writer = try PackWriter(repository: repository)
    let id = try writer.add(kind, content)
    try writer.install()
    return id
  }

  private func fileSize(_ path: String) throws -> Int {
    try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
  }

  private func readByte(_ path: String, at offset: UInt64) throws -> UInt8 {
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: offset)
    return try XCTUnwrap(handle.read(upToCount: 1)?.first)
  }

  private func writeByte(_ path: String, _ byte: UInt8, at offset: UInt64) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: offset)
    try handle.write(contentsOf: [byte])
  }
}

/// A counter several threads may bump.
final class LockedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0

  func add() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}

final class PackIndexLookupTests: XCTestCase {
  /// Every id of a large index is found at its offset (8-byte ones included), and ids
  /// next to them are not.
  func testLookupFindsEveryIdAndNoOther() throws {
    let scratch = try Scratch()
    let count = 50_000
    var ids = (0..<count).map { GitObjectFormat.id(of: .blob, Array("object \($0)".utf8)) }
    // Ids crowded at the edges of a fan-out bucket and sharing their first 64 bits.
    ids.append(ObjectID(bytes: (0x7f00_0000_0000_0000, 0, 0)))
    ids.append(ObjectID(bytes: (0x7fff_ffff_ffff_ffff, 0, 1)))
    ids.append(ObjectID(bytes: (0x7fff_ffff_ffff_ffff, 0, 2)))
    ids.append(ObjectID(bytes: (0x7fff_ffff_ffff_ffff, 1, 0)))
    ids.append(ObjectID(bytes: (0, 0, 0)))
    ids.append(ObjectID(bytes: (UInt64.max, UInt64.max, UInt32.max)))
    let offsets = ids.indices.map { UInt64($0) * (1 << 17) + 12 }
    XCTAssertGreaterThan(offsets.last!, 0x8000_0000, "some offsets need the 8-byte table")
    var layout = PackIndexLayout(
      ids: ids, offsets: offsets, crcs: [UInt32](repeating: 0, count: ids.count))
    let path = try scratch.write("pack-test.idx", layout.finish(packChecksum: ids[0]))
    let index = try PackIndex(path: path)
    XCTAssertEqual(index.count, ids.count)
    XCTAssertEqual(index.packChecksum, ids[0])
    var wrong = 0
    for (position, id) in ids.enumerated() where index.offset(of: id) != offsets[position] {
      wrong += 1
    }
    XCTAssertEqual(wrong, 0)
    let known = Set(ids)
    var found = 0
    for id in ids {
      for neighbour in [
        ObjectID(bytes: (id.bytes.0, id.bytes.1, id.bytes.2 &+ 1)),
        ObjectID(bytes: (id.bytes.0, id.bytes.1, id.bytes.2 &- 1)),
        ObjectID(bytes: (id.bytes.0 &+ 1, id.bytes.1, id.bytes.2)),
      ] where !known.contains(neighbour) && index.offset(of: neighbour) != nil {
        found += 1
      }
    }
    XCTAssertEqual(found, 0)
  }

  func testDamagedIndexIsRefused() throws {
    let scratch = try Scratch()
    var layout = PackIndexLayout(
      ids: [GitObjectFormat.id(of: .blob, [])], offsets: [12], crcs: [0])
    let good = layout.finish(packChecksum: GitObjectFormat.id(of: .blob, [1]))
    XCTAssertNoThrow(try PackIndex(path: try scratch.write("good.idx", good)))
    assertGitError(.invalid) {
      try PackIndex(path: try scratch.write("short.idx", Array(good.dropLast(8))))
    }
    var version = good
    version[7] = 3
    assertGitError(.invalid) { try PackIndex(path: try scratch.write("version.idx", version)) }
    var fanout = good
    fanout[8 + 4 * 10 + 3] = 9
    assertGitError(.invalid) { try PackIndex(path: try scratch.write("fanout.idx", fanout)) }
    assertGitError(.notFound) { try PackIndex(path: "\(scratch.path)/missing.idx") }
  }
}
