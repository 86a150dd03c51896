import AnnostoreGit
import Foundation
import Testing

@testable import AnnostoreStore

/// The pieces of the ingest index: file order of record names, shards, and a round trip of
/// the index files (with damage refused).
@Suite struct IngestIndexTests {
  @Test func fileNameOrderIsTheOrderOfTheFileNames() {
    let names = [
      "a", "a-b", "a_b", "ab", "A", "Z", "-", "_", "a-", "a--", "0", "00", "0-", "json", "a.j",
      "a.jsonx", "a.json",
      "abc", "abcd", "abc-d", "abc_d",
    ]
    for left in names {
      for right in names {
        let expected = Array((left + ".json").utf8).lexicographicallyPrecedes(
          Array((right + ".json").utf8))
        let order = Array(left.utf8).withUnsafeBufferPointer { a in
          Array(right.utf8).withUnsafeBufferPointer { b in FileNameOrder.compare(a, b) }
        }
        #expect((order < 0) == expected, "\(left) vs \(right)")
        #expect((order == 0) == (left == right), "\(left) vs \(right)")
      }
    }
  }

  @Test func digestsOfPairsAreTheDigestsOfEach() {
    var bytes = [UInt8]()
    var records: [BatchRecord] = []
    var generator = SystemRandomNumberGenerator()
    for index in 0..<400 {
      let count = [0, 1, 55, 56, 63, 64, 65, 119, 128, 300, 1000][index % 11] + index % 3
      let kind = RecordKind.allCases[index % 4]
      let key = kind == .values ? String(repeating: "k", count: (index * 7) % 200) : nil
      records.append(
        BatchRecord(
          kind: kind, section: kind.section, index: index, key: key, offset: 0,
          start: bytes.count, count: count))
      for _ in 0..<count { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
    }
    bytes.withUnsafeBytes { base in
      for index in stride(from: 0, to: records.count - 1, by: 2) {
        let (a, b) = RecordDigest.pair(
          records[index], records[index + 1], in: base.baseAddress!)
        for (record, digest) in [(records[index], a), (records[index + 1], b)] {
          let single = RecordDigest.of(
            kind: record.kind, key: record.key,
            bytes: UnsafeRawBufferPointer(
              rebasing: base[record.start..<(record.start + record.count)]))
          #expect(digest == single)
        }
      }
    }
  }

  @Test func shardIsTheFirstTwoBytesOfTheSHA1() {
    for id in ["65a1b2c3d4e5f60718293a4b", "x", "cell_1"] {
      let (first, second) = StoreLayout.shard(of: id)
      #expect(Shard.directories(Int(Shard.of(id))) == (first, second))
    }
  }

  @Test func indexFilesRoundTripAndRefuseDamage() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ingest-index-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let tree = ObjectID(bytes: (1, 2, 3))
    var sources: [IngestIndex.Source] = []
    for kind in RecordKind.allCases {
      var records = RecordColumns()
      for index in 0..<(kind == .properties ? 3 : 500) {
        // Annotations and connections: 24 hex digits (stored packed); values: 24 hex digits
        // in upper case (stored as they are); properties: other tokens.
        let hex = String(format: "%024llx", UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let id =
          kind == .values
          ? hex.uppercased() : kind.isSharded ? hex : "\(kind.rawValue)-\(index)"
        records.names.append(id)
        records.blobs.append(ObjectID(bytes: (UInt64(index), 7, 9)))
        records.digests.append(RecordDigest(high: UInt64(index) &* 31 &+ 1, low: UInt64(index)))
        records.shards.append(kind.isSharded ? Shard.of(id) : 0)
        if kind == .connections {
          records.ends.append(String(hex.reversed()))
          records.ends.append(hex)
          records.endShards.append(contentsOf: [Shard.of(String(hex.reversed())), 5])
        }
      }
      var leaves = [ObjectID](repeating: .zero, count: kind.shardCount)
      leaves[0] = ObjectID(bytes: (9, 9, 9))
      sources.append(
        IngestIndex.Source(
          kind: kind, tree: kind == .values ? nil : ObjectID(bytes: (4, 5, 6)), leaves: leaves,
          middles: [ObjectID](repeating: .zero, count: kind.isSharded ? 256 : 0), old: records,
          new: RecordColumns(), order: (0..<Int32(records.count)).map { $0 }))
    }
    var written: [RecordKind: String] = [:]
    for source in sources {
      written[source.kind] = IngestIndex.writeKind(
        storePath: folder.path, dataset: "d", generation: 42, source)
    }
    IngestIndex.install(
      storePath: folder.path, dataset: "d", generation: 42, tree: tree, kinds: written)
    let loaded = try #require(IngestIndex.load(storePath: folder.path, dataset: "d", tree: tree))
    for (state, source) in zip(loaded, sources) {
      #expect(state.kind == source.kind)
      #expect(state.tree == source.tree)
      #expect(state.records.blobs == source.old.blobs)
      #expect(state.records.digests == source.old.digests)
      #expect(state.records.shards == source.old.shards)
      #expect(state.records.names.bytes == source.old.names.bytes)
      #expect(state.records.ends.bytes == source.old.ends.bytes)
      #expect(state.records.endShards == source.old.endShards)
      #expect(state.leaves == source.leaves)
      for entry in 0..<state.count {
        #expect(state.entry(withDigest: source.old.digests[entry]) == entry)
      }
      #expect(state.entry(withDigest: RecordDigest(high: 77, low: 77)) == nil)
    }
    #expect(
      IngestIndex.load(storePath: folder.path, dataset: "d", tree: ObjectID(bytes: (1, 2, 4)))
        == nil)
    let path = IngestIndex.path(storePath: folder.path, dataset: "d", kind: .values)
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    bytes[bytes.count / 2] ^= 1
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(IngestIndex.load(storePath: folder.path, dataset: "d", tree: tree) == nil)
  }
}
