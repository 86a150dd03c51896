import Foundation
import Testing

@testable import AnnostoreModel
@testable import AnnostoreStore

/// A store in a fresh temporary directory holding the bundled sample export and its
/// re-analysed version (`sample-export-v2.json`: one nucleus moved, one retagged, one spot
/// deleted with its connection, one area re-measured).
private func sampleStore() throws -> (Store, String) {
  let directory = NSTemporaryDirectory() + "annostore-diff-\(UUID().uuidString)"
  let store = try Store.create(at: directory)
  let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")
  for (file, message) in [("sample-export.json", "first"), ("sample-export-v2.json", "second")] {
    _ = try store.commitSnapshot(
      SnapshotRequest(
        file: fixtures.appendingPathComponent(file).path, dataset: "hela", message: message,
        author: Identity(name: "Test", email: "test@example.org")))
  }
  return (store, directory)
}

@Suite struct DiffStoreTests {
  @Test func textDiffOfTheSampleReanalysis() throws {
    let (store, directory) = try sampleStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let diff = try store.diff(DiffRequest())
    let lines = try DiffTextRenderer.lines(diff, header: false)
    #expect(
      lines == [
        "hela: annotations -1 ~2, connections -1, values ~1",
        "~ annotation 66a1f8e08c1d4e2f7a04b1e0: coordinates: 16 of 16 vertices moved, at most 2.5 px",
        "~ annotation 66a1f8e08c1d4e2f7a04b1e2: tags +bright",
        "- annotation 66a1f9b48c1d4e2f7a04b1e8 point [spot] at XY 2 Z 1 T 1 (1 vertex)",
        "- connection 66a1f9b78c1d4e2f7a04b1ec 66a1f8e08c1d4e2f7a04b1e4 → "
          + "66a1f9b48c1d4e2f7a04b1e8 [] \"A Connection -- automatic\"",
        "~ values 66a1f8e08c1d4e2f7a04b1e0: nucleus Blob Metrics / Area: 2170 → 2210",
      ])
    let empty = try store.diff(DiffRequest(from: "HEAD", to: "HEAD"))
    #expect(empty.isEmpty)
    #expect(try DiffTextRenderer.lines(empty, header: false) == ["no differences"])
  }

  @Test func countsOnlyDiffHasTheSameCounts() throws {
    let (store, directory) = try sampleStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for request in [DiffRequest(), DiffRequest(from: "HEAD", to: "HEAD~1")] {
      let full = try store.diff(request)
      let counts = try store.diff(request, detail: .counts)
      #expect(counts.summary == full.summary)
      #expect(
        try counts.datasets.map { try $0.annotationsByTag() }
          == full.datasets.map { try $0.annotationsByTag() })
      #expect(try DiffStatRenderer.lines(counts) == DiffStatRenderer.lines(full))
    }
  }

  @Test func firstCommitShowsEverythingAdded() throws {
    let (store, directory) = try sampleStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let details = try store.show("HEAD~1")
    #expect(details.diffs.count == 1)
    #expect(details.diffs[0].from == nil)
    #expect(details.revision.message.hasPrefix("first"))
    let summary = details.diffs[0].summary
    #expect(summary.annotations == ChangeCounts(added: 12))
    #expect(summary.connections == ChangeCounts(added: 7))
    #expect(summary.properties == ChangeCounts(added: 5))
    #expect(summary.values == ChangeCounts(added: 9))
    #expect(details.diffs[0].datasets.first?.record == [])
  }

  @Test func historyOfOneAnnotation() throws {
    let (store, directory) = try sampleStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let moved = try store.annotationHistory(
      AnnotationHistoryRequest(annotation: "66a1f8e08c1d4e2f7a04b1e0", dataset: nil))
    #expect(moved.count == 2)
    #expect(moved[0].annotation?.fields.map(\.field) == ["coordinates"])
    #expect(moved[0].values?.entries.map(\.column) == ["nucleus Blob Metrics / Area"])
    #expect(moved[1].annotation?.change == .added)
    let untouched = try store.annotationHistory(
      AnnotationHistoryRequest(annotation: "66a1f8e08c1d4e2f7a04b1e1", dataset: "hela"))
    #expect(untouched.count == 1)
    #expect(untouched[0].revision.message.hasPrefix("first"))
  }

  @Test func restoreMakesANewCommitWithTheOldData() throws {
    let (store, directory) = try sampleStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let report = try store.restore(RestoreRequest(revision: "HEAD~1", dataset: "hela"))
    #expect(report.commit != nil)
    #expect(report.changes["hela"]?.annotations == ChangeCounts(added: 1, modified: 2))
    #expect(try store.diff(DiffRequest(from: "HEAD~2", to: "HEAD")).isEmpty)
    let again = try store.restore(RestoreRequest(revision: "HEAD~2"))
    #expect(again.commit == nil)
  }

  @Test func tagsAreCreatedOnceAndListed() throws {
    let (store, directory) = try sampleStore()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let tag = try store.createTag("v1", revision: "HEAD~1", message: "first analysis")
    #expect(tag.annotated)
    #expect(tag.message == "first analysis\n")
    #expect(throws: AnnostoreError.self) {
      try store.createTag("v1", revision: nil, message: nil)
    }
    #expect(throws: AnnostoreError.self) {
      try store.createTag("no..dots", revision: nil, message: nil)
    }
    let tags = try store.tags()
    #expect(tags.map(\.name) == ["v1"])
    #expect(try store.diff(DiffRequest(from: "v1")).summary.annotations.removed == 1)
  }
}
