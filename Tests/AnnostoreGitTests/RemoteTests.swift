// Remote URLs taken apart, known_hosts matching (plain, wildcard, negated, hashed,
// bracketed ports), HMAC-SHA1, and remotes in a repository's config.

import Foundation
import XCTest

@testable import AnnostoreGit

final class RemoteTests: XCTestCase {
  func testRemoteURLs() {
    let ssh = RemoteURL("ssh://ada@lab.example.org:2222/data/lab.git")
    XCTAssertEqual(ssh.transport, .ssh)
    XCTAssertEqual(ssh.host, "lab.example.org")
    XCTAssertEqual(ssh.port, 2222)
    XCTAssertEqual(ssh.user, "ada")
    XCTAssertEqual(ssh.knownHostsName, "[lab.example.org]:2222")
    XCTAssertFalse(ssh.hasSecret)

    let scp = RemoteURL("git@github.com:lab/data.git")
    XCTAssertEqual(scp.transport, .ssh)
    XCTAssertEqual(scp.host, "github.com")
    XCTAssertEqual(scp.user, "git")
    XCTAssertEqual(scp.effectivePort, 22)
    XCTAssertEqual(scp.knownHostsName, "github.com")

    let http = RemoteURL("https://ada:s3cret@example.org/lab.git")
    XCTAssertEqual(http.transport, .https)
    XCTAssertTrue(http.hasSecret)
    XCTAssertEqual(http.redacted, "https://ada:***@example.org/lab.git")
    XCTAssertFalse(http.redacted.contains("s3cret"))
    XCTAssertEqual(RemoteURL("http://[::1]:8080/x.git").host, "::1")
    XCTAssertEqual(RemoteURL("http://[::1]:8080/x.git").port, 8080)
    XCTAssertEqual(RemoteURL("git://127.0.0.1/x.git").effectivePort, 9418)

    for local in ["/srv/lab.git", "relative/lab.git", "file:///srv/lab.git", "lab.git"] {
      XCTAssertEqual(RemoteURL(local).transport, .local, local)
      XCTAssertNil(RemoteURL(local).host, local)
    }
  }

  func testHMACSHA1() {
    // RFC 2202, test case 2.
    let digest = hmacSHA1(
      key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
    XCTAssertEqual(
      digest.map { String(format: "%02x", $0) }.joined(),
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
  }

  func testKnownHosts() throws {
    let scratch = try Scratch()
    let key: [UInt8] = Self.keyBlob(type: "ssh-ed25519", body: Array(repeating: 7, count: 32))
    let other: [UInt8] = Self.keyBlob(type: "ssh-ed25519", body: Array(repeating: 9, count: 32))
    let encoded = Data(key).base64EncodedString()
    let otherEncoded = Data(other).base64EncodedString()
    let salt: [UInt8] = Array(repeating: 3, count: 20)
    let hashed =
      "|1|\(Data(salt).base64EncodedString())|"
      + Data(hmacSHA1(key: salt, message: Array("hashed.example.org".utf8))).base64EncodedString()
    let file = try scratch.write(
      "known_hosts",
      Array(
        """
        # a comment
        @cert-authority *.example.org ssh-ed25519 \(encoded)
        [127.0.0.1]:2222 ssh-ed25519 \(encoded)
        *.lab.example.org,!evil.lab.example.org ssh-ed25519 \(encoded)
        \(hashed) ssh-ed25519 \(encoded)
        changed.example.org ssh-ed25519 \(otherEncoded)
        """.utf8))
    let hosts = KnownHosts(files: [file, "\(scratch.path)/missing"])
    func verdict(_ name: String, _ blob: [UInt8] = key) -> KnownHostVerdict {
      hosts.verdict(hostName: name, keyType: "ssh-ed25519", key: blob)
    }
    XCTAssertEqual(verdict("[127.0.0.1]:2222"), .known)
    // Brackets are literal, not a character class.
    XCTAssertEqual(verdict("1"), .unknown)
    XCTAssertEqual(verdict("[127.0.0.1]:2223"), .unknown)
    XCTAssertEqual(verdict("node1.lab.example.org"), .known)
    XCTAssertEqual(verdict("evil.lab.example.org"), .unknown)
    XCTAssertEqual(verdict("hashed.example.org"), .known)
    XCTAssertEqual(verdict("other.example.org"), .unknown)
    XCTAssertEqual(verdict("changed.example.org"), .changed(file: file, line: 6))
    XCTAssertEqual(verdict("[127.0.0.1]:2222", other), .changed(file: file, line: 3))
    XCTAssertEqual(KnownHosts.keyType(ofBlob: key), "ssh-ed25519")

    let recorded = "\(scratch.path)/new/.ssh/known_hosts"
    try KnownHosts.record(
      hostName: "[10.0.0.1]:22022", keyType: "ssh-ed25519", key: key, in: recorded)
    try KnownHosts.record(
      hostName: "b.example.org", keyType: "ssh-ed25519", key: other, in: recorded)
    let text = try String(contentsOfFile: recorded, encoding: .utf8)
    XCTAssertEqual(
      text, "[10.0.0.1]:22022 ssh-ed25519 \(encoded)\nb.example.org ssh-ed25519 \(otherEncoded)\n")
    XCTAssertEqual(
      KnownHosts(files: [recorded]).verdict(
        hostName: "[10.0.0.1]:22022", keyType: "ssh-ed25519", key: key), .known)
  }

  func testRemotesInConfig() throws {
    let scratch = try Scratch()
    let repository = try Repository.create(at: "\(scratch.path)/store.git")
    XCTAssertEqual(try repository.remotes(), [])
    try repository.addRemote(name: "origin", url: "/srv/lab.git")
    try repository.addRemote(name: "backup", url: "ssh://me@host/lab.git")
    XCTAssertEqual(
      try repository.remotes(),
      [
        RemoteInfo(name: "backup", url: "ssh://me@host/lab.git"),
        RemoteInfo(name: "origin", url: "/srv/lab.git"),
      ])
    assertGitError(.exists) { try repository.addRemote(name: "origin", url: "/elsewhere") }
    assertGitError(.invalid) { try repository.addRemote(name: "no spaces", url: "/x") }
    XCTAssertEqual(
      try gitOK(
        ["--git-dir", "\(scratch.path)/store.git", "config", "remote.origin.fetch"], in: scratch),
      "+refs/heads/*:refs/remotes/origin/*")
    try repository.removeRemote(named: "backup")
    XCTAssertNil(try repository.remote(named: "backup"))
    assertGitError(.notFound) { try repository.removeRemote(named: "backup") }
  }

  /// An ssh public key blob: the type name and a body, each length-prefixed.
  static func keyBlob(type: String, body: [UInt8]) -> [UInt8] {
    func field(_ bytes: [UInt8]) -> [UInt8] {
      let count = UInt32(bytes.count)
      return [
        UInt8(count >> 24), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff),
        UInt8(count & 0xff),
      ]
        + bytes
    }
    return field(Array(type.utf8)) + field(body)
  }
}
