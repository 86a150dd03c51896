import Testing

@testable import AnnostoreStore

@Suite struct LayoutTests {
  @Test func shardIsTheSHA1PrefixOfTheID() {
    // hashlib.sha1(b"66a1f8e08c1d4e2f7a04b1e0").hexdigest()[:4]
    let (first, second) = StoreLayout.shard(of: "66a1f8e08c1d4e2f7a04b1e0")
    #expect(first == "c3")
    #expect(second == "f1")
    #expect(StoreLayout.id(fromFileName: "abc.json") == "abc")
    #expect(StoreLayout.id(fromFileName: "../x.json") == nil)
  }
}
