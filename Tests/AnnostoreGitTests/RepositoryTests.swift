// Repository: creation, references with compare-and-swap, revisions, reading objects,
// history, config and object verification, all checked against the git CLI.

import Foundation
import XCTest

@testable import AnnostoreGit

final class RepositoryTests: XCTestCase {
  func testCreateAndOpen() throws {
    let scratch = try Scratch()
    let path = "\(scratch.path)/store.git"
    let created = try Repository.create(at: path, branch: "main")
    XCTAssertFalse(created.path.hasSuffix("/"))
    XCTAssertTrue(created.path.hasSuffix("/store.git"))
    let head = try created.head()
    XCTAssertEqual(head.branch, "refs/heads/main")
    XCTAssertNil(head.commit)
    XCTAssertEqual(
      try gitOK(["--git-dir", path, "rev-parse", "--is-bare-repository"], in: scratch), "true")
    XCTAssertEqual(
      try gitOK(["--git-dir", path, "symbolic-ref", "HEAD"], in: scratch), "refs/heads/main")

    assertGitError(.exists) { try Repository.create(at: path) }
    let opened = try Repository.open(at: path)
    XCTAssertEqual(opened.path, created.path)
    assertGitError(.notFound) { try Repository.open(at: "\(scratch.path)/missing.git") }
    // No upward search: a directory inside the repository is not a repository.
    assertGitError(.notFound) { try Repository.open(at: "\(path)/objects") }

    let other = try Repository.create(at: "\(scratch.path)/other.git", branch: "trunk")
    XCTAssertEqual(try other.head().branch, "refs/heads/trunk")
  }

  func testConfigStrings() throws {
    let scratch = try Scratch()
    let path = "\(scratch.path)/store.git"
    let repository = try Repository.create(at: path)
    XCTAssertNil(try repository.configString("annostore.format"))
    try repository.setConfigString("annostore.format", "1")
    XCTAssertEqual(try repository.configString("annostore.format"), "1")
    XCTAssertEqual(
      try gitOK(["config", "--file", "\(path)/config", "annostore.format"], in: scratch), "1")
    XCTAssertEqual(try Repository.open(at: path).configString("annostore.format"), "1")
  }

  func testUpdateReferenceCompareAndSwap() throws {
    let scratch = try Scratch()
    let history = try TestHistory(in: scratch, commits: 3)
    let repository = history.repository
    let (first, second, third) = (history.commits[0], history.commits[1], history.commits[2])
    let branch = "refs/heads/feature"

    try repository.updateReference(branch, to: first, expected: nil, message: "create")
    XCTAssertEqual(try repository.reference(branch), first)
    let exists = assertGitError(.conflict) {
      try repository.updateReference(branch, to: second, expected: nil, message: "again")
    }
    XCTAssertTrue(exists?.message.contains(first.hex) ?? false, "\(String(describing: exists))")
    let stale = assertGitError(.conflict) {
      try repository.updateReference(branch, to: third, expected: second, message: "stale")
    }
    XCTAssertEqual(stale?.call, "git_reference_create_matching")
    XCTAssertEqual(try repository.reference(branch), first)
    assertGitError(.conflict) {
      try repository.updateReference(
        "refs/heads/absent", to: third, expected: second, message: "absent")
    }
    XCTAssertNil(try repository.reference("refs/heads/absent"))
    let invalid = assertGitError(.invalid) {
      try repository.updateReference(
        "refs/heads/bad..name", to: third, expected: first, message: "")
    }
    XCTAssertEqual(invalid?.call, "git_reference_create_matching")

    try repository.updateReference(branch, to: second, expected: first, message: "advance")
    XCTAssertEqual(try repository.reference(branch), second)
    XCTAssertEqual(
      try gitOK(["--git-dir", repository.path, "rev-parse", branch], in: scratch), second.hex)

    assertGitError(.conflict) { try repository.deleteReference(branch, expected: first) }
    assertGitError(.conflict) {
      try repository.deleteReference("refs/heads/absent", expected: first)
    }
    try repository.deleteReference(branch, expected: second)
    XCTAssertNil(try repository.reference(branch))

    let references = try repository.references(withPrefix: "refs/heads/")
    XCTAssertEqual(references.map(\.name), ["refs/heads/main"])
    XCTAssertEqual(references.map(\.target), [third])
    XCTAssertEqual(try repository.reference("HEAD"), third)
  }

  func testResolveCommit() throws {
    let scratch = try Scratch()
    let history = try TestHistory(in: scratch, commits: 3)
    let repository = history.repository
    let commits = history.commits

    // An annotated tag on the first commit, and a lightweight one on the second.
    let writer = try PackWriter(repository: repository)
    let tag = try writer.add(
      .tag,
      GitObjectFormat.tagContent(
        target: commits[0], targetKind: .commit, name: "v1", tagger: testCommitter,
        message: "first"))
    try writer.install()
    try repository.updateReference("refs/tags/v1", to: tag, expected: nil, message: "tag")
    try repository.updateReference(
      "refs/tags/light", to: commits[1], expected: nil, message: "tag")

    XCTAssertEqual(try repository.resolveCommit("HEAD"), commits[2])
    XCTAssertEqual(try repository.resolveCommit("main"), commits[2])
    XCTAssertEqual(try repository.resolveCommit("HEAD~1"), commits[1])
    XCTAssertEqual(try repository.resolveCommit("HEAD^^"), commits[0])
    XCTAssertEqual(try repository.resolveCommit(commits[1].hex), commits[1])
    XCTAssertEqual(try repository.resolveCommit(String(commits[1].hex.prefix(7))), commits[1])
    XCTAssertEqual(try repository.resolveCommit("v1"), commits[0])
    XCTAssertEqual(try repository.resolveCommit("refs/tags/v1"), commits[0])
    XCTAssertEqual(try repository.resolveCommit("light"), commits[1])
    XCTAssertEqual(try repository.reference("refs/tags/v1"), tag)

    let missing = assertGitError(.notFound) { try repository.resolveCommit("no-such-branch") }
    XCTAssertEqual(missing?.call, "git_revparse_single")
    XCTAssertFalse(missing?.message.isEmpty ?? true)
    assertGitError(.notFound) { try repository.resolveCommit("HEAD~7") }
    assertGitError(.notFound) { try repository.resolveCommit(String(repeating: "0", count: 40)) }
    // A tree is not a commit.
    let tree = try repository.commit(commits[0]).tree
    XCTAssertThrowsError(try repository.resolveCommit(tree.hex))
  }

  func testReadingObjectsAndHistory() throws {
    let scratch = try Scratch()
    let history = try TestHistory(in: scratch, commits: 3)
    let repository = history.repository
    let commits = history.commits

    let head = try repository.head()
    XCTAssertEqual(head.branch, "refs/heads/main")
    XCTAssertEqual(head.commit, commits[2])

    let info = try repository.commit(commits[2])
    XCTAssertEqual(info.id, commits[2])
    XCTAssertEqual(info.parents, [commits[1]])
    XCTAssertEqual(info.author, testAuthor)
    XCTAssertEqual(info.committer, testCommitter)
    XCTAssertEqual(info.message, "Commit 2\n")

    let entries = try repository.tree(info.tree)
    XCTAssertEqual(entries.map(\.name), ["annostore.json", "datasets"])
    XCTAssertEqual(entries.map(\.isTree), [false, true])
    let path = "datasets/demo/annotations/2.json"
    let entry = try XCTUnwrap(repository.entry(atPath: path, inTree: info.tree))
    XCTAssertEqual(entry.name, "2.json")
    XCTAssertFalse(entry.isTree)
    XCTAssertEqual(try repository.blob(entry.id), sampleJSON(2))
    let directory = try XCTUnwrap(repository.entry(atPath: "datasets/demo", inTree: info.tree))
    XCTAssertTrue(directory.isTree)
    XCTAssertNil(try repository.entry(atPath: "datasets/nope.json", inTree: info.tree))
    XCTAssertNil(try repository.entry(atPath: "\(path)/deeper", inTree: info.tree))

    XCTAssertTrue(repository.contains(entry.id))
    XCTAssertTrue(repository.contains(commits[0]))
    XCTAssertFalse(repository.contains(GitObjectFormat.id(of: .blob, Array("absent".utf8))))

    let object = try repository.object(info.tree)
    XCTAssertEqual(object.kind, .tree)
    XCTAssertEqual(GitObjectFormat.id(of: .tree, object.bytes), info.tree)
    assertGitError(.invalid) { try repository.blob(info.tree) }
    assertGitError(.notFound) {
      try repository.blob(GitObjectFormat.id(of: .blob, Array("never stored".utf8)))
    }

    var walked: [ObjectID] = []
    try repository.walk(from: commits[2]) { commit in
      walked.append(commit.id)
      return true
    }
    XCTAssertEqual(walked, commits.reversed())
    let log = try gitOK(["--git-dir", repository.path, "log", "--format=%H", "main"], in: scratch)
    XCTAssertEqual(log.split(separator: "\n").map(String.init), walked.map(\.hex))
    var firstOnly: [ObjectID] = []
    try repository.walk(from: commits[2]) { commit in
      firstOnly.append(commit.id)
      return false
    }
    XCTAssertEqual(firstOnly, [commits[2]])

    XCTAssertEqual(try repository.mergeBase(commits[2], commits[1]), commits[1])
    let writer = try PackWriter(repository: repository)
    let unrelated = try writer.add(
      .commit,
      GitObjectFormat.commitContent(
        tree: info.tree, parents: [], author: testAuthor, committer: testCommitter,
        message: "Unrelated root\n"))
    try writer.install()
    XCTAssertNil(try repository.mergeBase(commits[2], unrelated))
  }

  func testVerifyAllObjectsFindsCorruption() throws {
    let scratch = try Scratch()
    let history = try TestHistory(in: scratch, commits: 2)
    let repository = history.repository
    let count = try repository.verifyAllObjects()
    let listed = try gitOK(
      ["--git-dir", repository.path, "cat-file", "--batch-all-objects", "--batch-check"],
      in: scratch)
    // Two commits of 7 and 8 objects, sharing two blobs (stored in both packs, counted once).
    XCTAssertEqual(count, 13)
    XCTAssertEqual(listed.split(separator: "\n").count, count)

    // A loose object stored under an id its content does not hash to.
    let good = try gitOK(
      ["--git-dir", repository.path, "hash-object", "-w", "--stdin"], in: scratch,
      stdin: "corrupt me\n")
    let bad = "ffff" + good.dropFirst(4)
    let from = "\(repository.path)/objects/\(good.prefix(2))/\(good.dropFirst(2))"
    try FileManager.default.createDirectory(
      atPath: "\(repository.path)/objects/ff", withIntermediateDirectories: true)
    try FileManager.default.moveItem(
      atPath: from, toPath: "\(repository.path)/objects/ff/\(bad.dropFirst(2))")
    let reopened = try Repository.open(at: repository.path)
    let error = assertGitError(.invalid) { try reopened.verifyAllObjects() }
    XCTAssertTrue(error?.message.contains(bad) ?? false, "\(String(describing: error))")
  }
}

/// A repository whose `main` holds `commits` linear commits of a small store-like tree,
/// written through PackWriter (one pack per commit) and moved with updateReference.
struct TestHistory {
  let repository: Repository
  var commits: [ObjectID] = []

  init(in scratch: Scratch, commits count: Int) throws {
    repository = try Repository.create(at: "\(scratch.path)/store.git")
    var parent: ObjectID?
    for index in 0..<count {
      let writer = try PackWriter(repository: repository)
      let marker = try writer.add(.blob, Array("{\"format\":\"annostore\"}\n".utf8))
      // Earlier blobs are in earlier packs already; adding them again is harmless.
      let annotations = try (0...index).map { item in
        TreeEntry(name: "\(item).json", id: try writer.add(.blob, sampleJSON(item)), isTree: false)
      }
      let annotationTree = try writer.add(.tree, GitObjectFormat.treeContent(annotations))
      let dataset = try writer.add(
        .tree,
        GitObjectFormat.treeContent([
          TreeEntry(name: "annotations", id: annotationTree, isTree: true)
        ]))
      let datasets = try writer.add(
        .tree, GitObjectFormat.treeContent([TreeEntry(name: "demo", id: dataset, isTree: true)]))
      let root = try writer.add(
        .tree,
        GitObjectFormat.treeContent([
          TreeEntry(name: "datasets", id: datasets, isTree: true),
          TreeEntry(name: "annostore.json", id: marker, isTree: false),
        ]))
      let commit = try writer.add(
        .commit,
        GitObjectFormat.commitContent(
          tree: root, parents: parent.map { [$0] } ?? [], author: testAuthor,
          committer: testCommitter, message: "Commit \(index)"))
      try writer.install()
      try repository.updateReference(
        "refs/heads/main", to: commit, expected: parent, message: "commit \(index)")
      parent = commit
      commits.append(commit)
    }
  }
}
