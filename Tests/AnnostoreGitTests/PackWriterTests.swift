// PackWriter: the pack and index it writes must satisfy git's strictest checks, leave no
// loose objects and no stray files, and be fast on many small objects.

import Foundation
import XCTest

@testable import AnnostoreGit

final class PackWriterTests: XCTestCase {
  func testInstalledPackPassesGitChecks() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/store.git")
    let writer = try PackWriter(repository: repository)

    // Blobs of many sizes: empty, tiny, typical, and one large enough to need a 4-byte
    // entry header and to grow the compression buffer.
    var files: [String: [UInt8]] = [
      "empty.json": [],
      "small.json": Array("{}\n".utf8),
      "large.bin": (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) },
    ]
    for index in 0..<5000 { files["a/\(index % 16)/\(index).json"] = sampleJSON(index) }
    let root = try writeTree(files, with: writer)
    let commit = try writer.add(
      .commit,
      GitObjectFormat.commitContent(
        tree: root, parents: [], author: testAuthor, committer: testCommitter,
        message: "Snapshot\n"))
    let objectCount = writer.objectCount
    XCTAssertEqual(
      try writer.add(.blob, sampleJSON(7)), GitObjectFormat.id(of: .blob, sampleJSON(7)))
    XCTAssertEqual(writer.objectCount, objectCount, "duplicates are stored once")
    try writer.install()
    assertGitError(.invalid) { try writer.add(.blob, [1]) }
    try repository.updateReference("refs/heads/main", to: commit, expected: nil, message: "import")

    let gitDir = repository.path
    let fsck = try git(["--git-dir", gitDir, "fsck", "--strict", "--full"], in: scratch)
    XCTAssertEqual(fsck.status, 0, fsck.stderr)
    XCTAssertEqual(fsck.stderr, "")
    XCTAssertEqual(fsck.text, "")
    XCTAssertEqual(try gitOK(["--git-dir", gitDir, "log", "--format=%H"], in: scratch), commit.hex)
    let printed = try gitOK(["--git-dir", gitDir, "cat-file", "-p", commit.hex], in: scratch)
    XCTAssertTrue(printed.hasPrefix("tree \(root.hex)\nauthor Ada Lovelace"), printed)
    for path in ["empty.json", "small.json", "large.bin", "a/3/4003.json", "a/15/15.json"] {
      let shown = try git(["--git-dir", gitDir, "show", "main:\(path)"], in: scratch)
      XCTAssertEqual(shown.status, 0, shown.stderr)
      XCTAssertEqual(Array(shown.stdout), files[path], path)
      XCTAssertEqual(
        try repository.blob(XCTUnwrap(repository.entry(atPath: path, inTree: root)).id),
        files[path])
    }

    let packDirectory = "\(gitDir)/objects/pack"
    let packFiles = try FileManager.default.contentsOfDirectory(atPath: packDirectory).sorted()
    XCTAssertEqual(packFiles.count, 2, "\(packFiles)")
    let index = try XCTUnwrap(packFiles.first { $0.hasSuffix(".idx") })
    XCTAssertTrue(packFiles.contains(index.replacingOccurrences(of: ".idx", with: ".pack")))
    let verify = try git(["verify-pack", "-v", "\(packDirectory)/\(index)"], in: scratch)
    XCTAssertEqual(verify.status, 0, verify.stderr)
    XCTAssertTrue(verify.text.contains("non delta: \(objectCount) objects"), verify.text)
    let counts = try gitOK(["--git-dir", gitDir, "count-objects", "-v"], in: scratch)
    XCTAssertTrue(counts.hasPrefix("count: 0\n"), counts)
    XCTAssertTrue(counts.contains("in-pack: \(objectCount)\n"), counts)
    XCTAssertEqual(try repository.verifyAllObjects(), objectCount)
    // A fresh libgit2 repository sees the pack too.
    XCTAssertEqual(try Repository.open(at: gitDir).resolveCommit("HEAD"), commit)
  }

  func testDiscardLeavesNoFiles() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/store.git")
    let packDirectory = "\(repository.path)/objects/pack"

    let discarded = try PackWriter(repository: repository)
    for index in 0..<20_000 { try discarded.add(.blob, sampleJSON(index)) }
    discarded.discard()
    discarded.discard()
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: packDirectory), [])
    assertGitError(.invalid) { try discarded.install() }

    do {
      let dropped = try PackWriter(repository: repository)
      for index in 0..<10_000 { try dropped.add(.blob, sampleJSON(index)) }
    }
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: packDirectory), [])

    let empty = try PackWriter(repository: repository)
    XCTAssertEqual(empty.objectCount, 0)
    try empty.install()
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: packDirectory), [])
    let counts = try gitOK(["--git-dir", repository.path, "count-objects", "-v"], in: scratch)
    XCTAssertTrue(counts.hasPrefix("count: 0\n"), counts)
    XCTAssertTrue(counts.contains("in-pack: 0\n"), counts)
  }

  /// Offsets at or past 2 GiB go to the index's 8-byte table, flagged in the 4-byte one.
  func testIndexLargeOffsetTable() throws {
    let ids = (0..<3).map { GitObjectFormat.id(of: .blob, [UInt8($0)]) }
    let offsets: [UInt64] = [12, 3_000_000_000, 0x7fff_ffff]
    let checksum = GitObjectFormat.id(of: .blob, [])
    var layout = PackIndexLayout(ids: ids, offsets: offsets, crcs: [1, 2, 3])
    let bytes = layout.finish(packChecksum: checksum)
    func word(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
    XCTAssertEqual(Array(bytes[0..<8]), [0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2])
    XCTAssertEqual(word(8 + 255 * 4), 3)
    let sorted = ids.indices.sorted { ids[$0] < ids[$1] }
    let namesAt = 8 + 1024
    let crcsAt = namesAt + 3 * 20
    let offsetsAt = crcsAt + 3 * 4
    let largeAt = offsetsAt + 3 * 4
    for (position, original) in sorted.enumerated() {
      XCTAssertEqual(
        Array(bytes[(namesAt + 20 * position)..<(namesAt + 20 * position + 20)]),
        ids[original].rawBytes)
      XCTAssertEqual(word(crcsAt + 4 * position), UInt32(original + 1))
      let small = word(offsetsAt + 4 * position)
      if original == 1 {
        XCTAssertEqual(small, 0x8000_0000)
        let large = bytes[largeAt..<(largeAt + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        XCTAssertEqual(large, 3_000_000_000)
      } else {
        XCTAssertEqual(UInt64(small), offsets[original])
      }
    }
    XCTAssertEqual(bytes.count, largeAt + 8 + 40)
    XCTAssertEqual(Array(bytes[(largeAt + 8)..<(largeAt + 28)]), checksum.rawBytes)
    XCTAssertEqual(
      GitObjectFormat.sha1Hex(Array(bytes[0..<(largeAt + 28)])),
      ObjectID(rawBytes: Array(bytes[(largeAt + 28)...]))?.hex)
  }

  /// Prints throughput; asserts only correctness (no timing assertions).
  func testManySmallObjects() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/store.git")
    let count = 100_000
    let contents = (0..<count).map(sampleJSON)
    let time = try timedPack(contents, into: repository)
    let bytes = contents.reduce(0) { $0 + $1.count }
    report("PackWriter", count, bytes, time)

    let packDirectory = "\(repository.path)/objects/pack"
    let index = try XCTUnwrap(
      FileManager.default.contentsOfDirectory(atPath: packDirectory).first {
        $0.hasSuffix(".idx")
      })
    let verify = try git(["verify-pack", "\(packDirectory)/\(index)"], in: scratch)
    XCTAssertEqual(verify.status, 0, verify.stderr)
    XCTAssertEqual(try repository.blob(GitObjectFormat.id(of: .blob, contents[777])), contents[777])

    // The full-size figure, only when the machine is fast enough to keep tests short.
    guard time.wall * 10 < 30 else {
      print("PackWriter: skipped the 1,000,000-object run (projected over 30 s)")
      return
    }
    let large = try Repository.create(at: "\(scratch.path)/large.git")
    let million = (0..<1_000_000).map(sampleJSON)
    let millionTime = try timedPack(million, into: large)
    report("PackWriter", million.count, million.reduce(0) { $0 + $1.count }, millionTime)
    XCTAssertEqual(
      try large.blob(GitObjectFormat.id(of: .blob, million[999_999])), million[999_999])
  }

  /// Adds `contents` as blobs and installs them; returns the wall-clock and CPU seconds
  /// taken (CPU time tells more than wall time on a shared machine).
  private func timedPack(_ contents: [[UInt8]], into repository: Repository) throws -> (
    wall: Double, cpu: Double
  ) {
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = processCPUSeconds()
    let writer = try PackWriter(repository: repository)
    for content in contents { try writer.add(.blob, content) }
    try writer.install()
    let elapsed = clock.now - start
    XCTAssertEqual(writer.objectCount, contents.count)
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return (wall, processCPUSeconds() - cpuStart)
  }

  private func report(
    _ label: String, _ count: Int, _ bytes: Int, _ time: (wall: Double, cpu: Double)
  ) {
    let perObject = Double(bytes) / Double(count)
    print(
      String(
        format: "%@: %d objects (%.0f bytes each) in %.2f s: %.0f objects/s, %.1f MB/s "
          + "(CPU %.2f s, %.2f µs per object)",
        label, count, perObject, time.wall, Double(count) / time.wall,
        Double(bytes) / time.wall / 1e6, time.cpu, time.cpu / Double(count) * 1e6))
  }

  private func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
  }

  /// Writes blobs for `files` (paths with `/`) and the trees above them; returns the root.
  private func writeTree(_ files: [String: [UInt8]], with writer: PackWriter) throws -> ObjectID {
    var blobs: [String: [UInt8]] = [:]
    var directories: [String: [String: [UInt8]]] = [:]
    for (path, content) in files {
      if let slash = path.firstIndex(of: "/") {
        let head = String(path[..<slash])
        directories[head, default: [:]][String(path[path.index(after: slash)...])] = content
      } else {
        blobs[path] = content
      }
    }
    var entries: [TreeEntry] = []
    for (name, content) in blobs {
      entries.append(TreeEntry(name: name, id: try writer.add(.blob, content), isTree: false))
    }
    for (name, children) in directories {
      entries.append(TreeEntry(name: name, id: try writeTree(children, with: writer), isTree: true))
    }
    return try writer.add(.tree, GitObjectFormat.treeContent(entries))
  }
}
