// Which proxy a remote URL goes through: scheme selection, config before environment,
// empty values, and no_proxy matching as curl (and so the git CLI) does it.

import XCTest

@testable import AnnostoreGit

final class ProxyRuleTests: XCTestCase {
  private func rule(_ configured: String? = nil, _ environment: [String: String] = [:])
    -> ProxyRule
  {
    ProxyRule(configured: configured, environment: environment)
  }

  func testTheSchemeChoosesTheVariable() {
    let env = ["http_proxy": "http://plain:1", "https_proxy": "http://tls:2"]
    XCTAssertEqual(rule(nil, env).proxy(for: "http://lab.org/x.git"), "http://plain:1")
    XCTAssertEqual(rule(nil, env).proxy(for: "HTTPS://lab.org/x.git"), "http://tls:2")
    XCTAssertNil(rule(nil, ["http_proxy": "http://plain:1"]).proxy(for: "https://lab.org/x"))
  }

  func testOnlyHTTPRemotesUseAProxy() {
    let env = ["http_proxy": "http://p:1", "https_proxy": "http://p:1"]
    for url in [
      "ssh://me@lab.org/x.git", "me@lab.org:x.git", "git://lab.org/x.git", "/srv/x.git",
      "file:///srv/x.git",
    ] {
      XCTAssertNil(rule("http://p:1", env).proxy(for: url), url)
    }
  }

  func testLowerCaseVariablesComeFirst() {
    let both = ["https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2"]
    XCTAssertEqual(rule(nil, both).proxy(for: "https://h/x"), "http://lower:1")
    XCTAssertEqual(
      rule(nil, ["HTTPS_PROXY": "http://upper:2"]).proxy(for: "https://h/x"), "http://upper:2")
    XCTAssertEqual(
      rule(nil, ["HTTP_PROXY": "http://upper:2"]).proxy(for: "http://h/x"), "http://upper:2")
  }

  func testEmptyValuesMeanNoProxy() {
    XCTAssertNil(
      rule(nil, ["https_proxy": "", "HTTPS_PROXY": "http://upper:2"]).proxy(for: "https://h/x"))
    XCTAssertNil(rule("", ["https_proxy": "http://p:1"]).proxy(for: "https://h/x"))
    XCTAssertNil(rule(nil, [:]).proxy(for: "https://h/x"))
  }

  func testTheConfiguredProxyWinsOverTheEnvironment() {
    let env = ["https_proxy": "http://env:1"]
    XCTAssertEqual(rule("http://conf:3", env).proxy(for: "https://h/x"), "http://conf:3")
  }

  func testAProxyWithoutSchemeIsHTTP() {
    XCTAssertEqual(rule("proxy.lab:3128").proxy(for: "https://h/x"), "http://proxy.lab:3128")
    XCTAssertEqual(
      rule("https://u:p@proxy:443").proxy(for: "https://h/x"), "https://u:p@proxy:443")
  }

  func testNoProxyAppliesToConfiguredAndEnvironmentProxies() {
    let env = ["https_proxy": "http://p:1", "no_proxy": "lab.org"]
    XCTAssertNil(rule(nil, env).proxy(for: "https://lab.org/x"))
    XCTAssertNil(rule("http://conf:3", env).proxy(for: "https://git.lab.org/x"))
    XCTAssertEqual(rule(nil, env).proxy(for: "https://other.org/x"), "http://p:1")
    let upper = ["https_proxy": "http://p:1", "NO_PROXY": "lab.org"]
    XCTAssertNil(rule(nil, upper).proxy(for: "https://lab.org/x"))
    let lowerFirst = ["https_proxy": "http://p:1", "no_proxy": "", "NO_PROXY": "lab.org"]
    XCTAssertEqual(rule(nil, lowerFirst).proxy(for: "https://lab.org/x"), "http://p:1")
  }

  func testNoProxyMatching() {
    let bypasses = ProxyRule.bypasses
    XCTAssertTrue(bypasses("anything.example", "*"))
    XCTAssertTrue(bypasses("127.0.0.1", "localhost, *"))
    XCTAssertFalse(bypasses("lab.org", "*.lab.org"))  // only a lone `*` is a wildcard
    // suffixes: the host itself and hosts under it, not names that merely end alike
    XCTAssertTrue(bypasses("lab.org", "lab.org"))
    XCTAssertTrue(bypasses("git.lab.org", "lab.org"))
    XCTAssertFalse(bypasses("otherlab.org", "lab.org"))
    // a leading dot is optional
    XCTAssertTrue(bypasses("git.lab.org", ".lab.org"))
    XCTAssertTrue(bypasses("lab.org", ".lab.org"))
    // ports in entries are ignored
    XCTAssertTrue(bypasses("127.0.0.1", "127.0.0.1:8080"))
    XCTAssertTrue(bypasses("::1", "[::1]:443"))
    XCTAssertTrue(bypasses("::1", "::1"))
    // case, separators, blanks and trailing dots
    XCTAssertTrue(bypasses("Git.LAB.org", "other.org,lab.ORG"))
    XCTAssertTrue(bypasses("git.lab.org.", "a.org b.org lab.org"))
    XCTAssertFalse(bypasses("lab.org", " , ,"))
    XCTAssertFalse(bypasses("127.0.0.2", "127.0.0.1"))
  }

  func testNoProxyUsesTheURLsHost() {
    let env = ["https_proxy": "http://p:1", "no_proxy": "127.0.0.1"]
    XCTAssertNil(rule(nil, env).proxy(for: "https://user:secret@127.0.0.1:8443/x.git"))
    let v6 = ["https_proxy": "http://p:1", "no_proxy": "::1"]
    XCTAssertNil(rule(nil, v6).proxy(for: "https://[::1]:8443/x.git"))
  }
}
