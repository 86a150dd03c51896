import Testing

@testable import AnnostoreModel

@Suite struct DiffJSONRendererTests {
  typealias F = DiffFixtures

  @Test func envelopeCarriesFormatVersionAndTotalSummary() throws {
    let document = try DiffJSONRenderer.document(DiffRendererTests.sample())
    #expect(document["format"] == .string("annostore-diff"))
    #expect(document["version"] == .number(1))
    #expect(document["from"] == .string(String(repeating: "1", count: 40)))
    let annotations = document["summary"]?["annotations"]
    #expect(annotations?["added"] == .number(1))
    #expect(annotations?["removed"] == .number(1))
    #expect(annotations?["modified"] == .number(1))
    #expect(document["summary"]?["values"]?["modified"] == .number(1))
    #expect(document["datasets"]?["hela"]?["status"] == .string("modified"))
  }

  @Test func absentAndNullStayDistinct() {
    let entry = ValueEntryChange(path: ["p", "a"], column: "P / a", before: nil, after: .null)
    let json = DiffJSONRenderer.entry(entry)
    #expect(json["before"] == nil)
    #expect(json["after"] == .null)
    #expect(json["change"] == .string("added"))
  }

  @Test func fieldsOfAModifiedAnnotation() {
    let diff = RecordComparer.annotation(
      id: F.nucleusID, before: F.annotation(), after: F.annotation(tags: ["spot"], channel: 2))!
    let json = DiffJSONRenderer.annotation(diff)
    let fields = json["fields"]?.arrayElements ?? []
    #expect(fields.count == 2)
    #expect(fields[0]["added"] == .array([.string("spot")]))
    #expect(fields[0]["removed"] == .array([.string("nucleus")]))
    #expect(fields[1]["field"] == .string("channel"))
    #expect(fields[1]["before"] == .number(0))
    #expect(fields[1]["after"] == .number(2))
    #expect(json["after"]?["tags"] == .array([.string("spot")]))
  }
}

@Suite struct StreamedJSONTests {
  @Test func streamedDiffIsTheCanonicalDocument() throws {
    let diff = DiffRendererTests.sample()
    let whole = CanonicalJSON.encode(try DiffJSONRenderer.document(diff))
    #expect(DiffJSONRenderer.streamed(diff).bytes == whole)
    var chunks: [[UInt8]] = []
    try? DiffJSONRenderer.streamed(diff).write(chunk: 16) { chunks.append($0) }
    #expect(chunks.count > 1)
    #expect(Array(chunks.joined()) == whole)
  }

  @Test func columnCacheSharesPaths() {
    let cache = ColumnCache()
    let names = DiffFixtures.names
    let (_, first) = cache.column([DiffFixtures.blobProperty, "Area"], names)
    let (_, second) = cache.column([DiffFixtures.blobProperty, "Area"], names)
    #expect(first == "nucleus Blob Metrics / Area")
    #expect(second == first)
  }
}
