import Testing

@testable import AnnostoreModel

@Suite struct DiffComparerTests {
  typealias F = DiffFixtures

  @Test func sameAnnotationInAnotherKeyOrderIsNoChange() {
    let a = F.annotation()
    guard case .object(let members) = a else { return }
    let reordered = JSONValue.object(members.reversed())
    #expect(RecordComparer.annotation(id: F.nucleusID, before: a, after: reordered) == nil)
  }

  @Test func addedAndRemovedAnnotationsCarryASketch() throws {
    let a = F.annotation()
    let added = try #require(RecordComparer.annotation(id: F.nucleusID, before: nil, after: a))
    #expect(added.change == .added)
    #expect(added.after?.shape == "polygon")
    #expect(added.after?.tags == ["nucleus"])
    #expect(added.after?.vertices == 4)
    let removed = try #require(RecordComparer.annotation(id: F.nucleusID, before: a, after: nil))
    #expect(removed.change == .removed)
    #expect(removed.before?.vertices == 4)
  }

  @Test func modifiedAnnotationListsEachFieldInOrder() throws {
    let before = F.annotation()
    let after = F.annotation(
      tags: ["nucleus", "bright"], location: (0, 3, 0), channel: 1,
      coordinates: F.polygon(x: 101.5, y: 202), extra: [("name", .string("cell 7"))])
    let diff = try #require(
      RecordComparer.annotation(id: F.nucleusID, before: before, after: after))
    #expect(diff.change == .modified)
    #expect(diff.fields.map(\.field) == ["tags", "location", "channel", "name", "coordinates"])
    guard case .tags(let tags) = diff.fields[0] else {
      Issue.record("tags")
      return
    }
    #expect(tags.added == ["bright"])
    #expect(tags.removed == [])
    guard case .coordinates(let coordinates) = diff.fields[4] else {
      Issue.record("coordinates")
      return
    }
    #expect(coordinates.moved == 4)
    #expect(coordinates.maxDisplacement == 2.5)
    guard case .value(let name) = diff.fields[3] else {
      Issue.record("name")
      return
    }
    #expect(name.before == nil)
    #expect(name.after == .string("cell 7"))
  }

  @Test func tagsCompareAsSetsButOrderStillShows() throws {
    let change = TagsChange(before: ["a", "b", "b"], after: ["c", "a", "c"])
    #expect(change.added == ["c"])
    #expect(change.removed == ["b"])
    let diff = try #require(
      RecordComparer.annotation(
        id: F.nucleusID, before: F.annotation(tags: ["a", "b"]),
        after: F.annotation(tags: ["b", "a"])))
    guard case .tags(let reordered) = diff.fields.first else {
      Issue.record("tags")
      return
    }
    #expect(reordered.added.isEmpty && reordered.removed.isEmpty)
  }

  @Test func coordinatesWithNewVertexCountPairByPosition() throws {
    let change = try #require(
      CoordinatesComparer.compare(
        F.polygon(x: 0, y: 0, vertices: 4), F.polygon(x: 0, y: 0, vertices: 6)))
    #expect(change.verticesBefore == 4)
    #expect(change.verticesAfter == 6)
    #expect(change.moved == 0)
    #expect(change.paired == 4)
  }

  @Test func aZOnlyChangeIsNotAMove() throws {
    let before = JSONValue.array([
      F.object([("x", .number(1)), ("y", .number(2)), ("z", .number(0))])
    ])
    let after = JSONValue.array([
      F.object([("x", .number(1)), ("y", .number(2)), ("z", .number(1))])
    ])
    let change = try #require(CoordinatesComparer.compare(before, after))
    #expect(change.moved == 0)
    #expect(change.otherChanged == 1)
  }

  @Test func unusualCoordinatesFallBackToRawValues() throws {
    let diff = try #require(
      RecordComparer.annotation(
        id: F.nucleusID, before: F.annotation(), after: F.annotation(coordinates: .string("x"))))
    guard case .value(let value) = diff.fields.first else {
      Issue.record("value")
      return
    }
    #expect(value.field == "coordinates")
  }

  @Test func connectionFieldsAndUnknownFields() throws {
    let before = F.object([
      ("_id", .string("c1")), ("parentId", .string("a")), ("childId", .string("b")),
      ("tags", F.strings([])), ("label", .string("x")),
    ])
    let after = F.object([
      ("_id", .string("c1")), ("parentId", .string("a")), ("childId", .string("b")),
      ("tags", F.strings(["t"])), ("label", .string("y")), ("zeta", .null),
    ])
    let diff = try #require(RecordComparer.connection(id: "c1", before: before, after: after))
    #expect(diff.fields.map(\.field) == ["tags", "label", "zeta"])
    guard case .value(let zeta) = diff.fields[2] else {
      Issue.record("zeta")
      return
    }
    #expect(zeta.before == nil)
    #expect(zeta.after == .null)
  }

  @Test func valuesCompareLeafByLeafWithColumnNames() throws {
    let diff = try #require(
      ValuesComparer.compare(
        annotationId: F.nucleusID, before: F.values(area: 2170),
        after: F.values(area: 2210, phase: .null), names: F.names))
    #expect(diff.change == .modified)
    #expect(diff.entries.map(\.column) == ["nucleus Blob Metrics / Area", "Cell Cycle / Phase"])
    #expect(diff.entries[0].before == .number(2170))
    #expect(diff.entries[0].after == .number(2210))
    #expect(diff.entries[1].after == .null)
    #expect(diff.entries[1].change == .modified)
  }

  @Test func valuesPathThatAppearsIsAddedNotNull() throws {
    let before = F.object([(F.blobProperty, .number(5))])
    let after = F.object([(F.blobProperty, F.object([("Area", .number(5))])), ("p9", .number(1))])
    let diff = try #require(
      ValuesComparer.compare(annotationId: "a", before: before, after: after, names: F.names))
    #expect(
      diff.entries.map(\.column) == ["nucleus Blob Metrics", "nucleus Blob Metrics / Area", "p9"])
    #expect(diff.entries.map(\.change) == [.removed, .added, .added])
  }

  @Test func valuesAddedAndRemovedWhole() throws {
    let added = try #require(
      ValuesComparer.compare(
        annotationId: "a", before: nil, after: F.values(area: 1), names: F.names))
    #expect(added.change == .added)
    #expect(added.entries.count == 3)
    #expect(
      ValuesComparer.compare(
        annotationId: "a", before: F.values(area: 1), after: F.values(area: 1), names: F.names)
        == nil)
  }

  @Test func propertyNamesPreferTheNewerDefinition() {
    let names = PropertyNames(
      preferred: [
        "p1": F.object([("name", .string("new"))]), "p3": F.object([("name", .string(""))]),
      ],
      fallback: [
        "p1": F.object([("name", .string("old"))]), "p2": F.object([("name", .string("gone"))]),
      ])
    #expect(names.column(["p1", "a"]) == "new / a")
    #expect(names.column(["p2"]) == "gone")
    #expect(names.column(["p3"]) == "p3")
  }

  @Test func summaryAndTagCounts() throws {
    let dataset = DatasetDiff(
      name: "hela", status: .modified,
      annotations: [
        AnnotationDiff(
          id: "a", change: .added, before: nil,
          after: AnnotationSketch(F.annotation(tags: ["nucleus", "bright"]))),
        AnnotationDiff(
          id: "b", change: .removed, before: AnnotationSketch(F.annotation(tags: [])), after: nil),
        AnnotationDiff(
          id: "c", change: .modified, before: AnnotationSketch(F.annotation(tags: ["spot"])),
          after: AnnotationSketch(F.annotation(tags: ["nucleus"])), fields: []),
      ],
      values: [ValuesDiff(id: "a", change: .added, entries: [])])
    #expect(dataset.summary.annotations == ChangeCounts(added: 1, removed: 1, modified: 1))
    #expect(dataset.summary.values == ChangeCounts(added: 1))
    let byTag = try dataset.annotationsByTag()
    #expect(byTag["nucleus"] == ChangeCounts(added: 1, modified: 1))
    #expect(byTag["spot"] == ChangeCounts(modified: 1))
    #expect(byTag[""] == ChangeCounts(removed: 1))
  }
}
