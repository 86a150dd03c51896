// Git credential helpers: which apply to a URL, what they are asked and how their answers
// are read, with real helper programs run through the shell.

import Foundation
import XCTest

@testable import AnnostoreGit

final class CredentialHelperTests: XCTestCase {
  private func entry(_ name: String, _ value: String) -> ConfigEntry {
    ConfigEntry(name: name, value: value)
  }

  func testHelpersForAURLFollowGitsRules() {
    let entries = [
      entry("credential.helper", "cache"),
      entry("credential.https://lab.example.org.helper", "store --file /tmp/lab"),
      entry("credential.https://other.example.org.helper", "other"),
      entry("credential.lab.example.org.helper", "/usr/local/bin/lab-login"),
      entry("credential.username", "ada"),
    ]
    XCTAssertEqual(
      CredentialHelper.helpers(for: "https://lab.example.org/data.git", in: entries).map(
        \.configured),
      ["cache", "store --file /tmp/lab", "/usr/local/bin/lab-login"])
    XCTAssertEqual(
      CredentialHelper.helpers(for: "http://elsewhere.org/x.git", in: entries).map(\.configured),
      ["cache"])
    // An empty value forgets the helpers listed before it.
    let reset = entries + [entry("credential.helper", ""), entry("credential.helper", "last")]
    XCTAssertEqual(
      CredentialHelper.helpers(for: "https://lab.example.org/data.git", in: reset).map(
        \.configured), ["last"])
  }

  func testHelperCommandsAreThoseGitRuns() {
    XCTAssertEqual(CredentialHelper("store --file x").command, "git credential-store --file x get")
    XCTAssertEqual(CredentialHelper("/opt/login --lab").command, "/opt/login --lab get")
    XCTAssertEqual(CredentialHelper("!f() { echo x; }; f").command, "f() { echo x; }; f get")
  }

  func testAHelperIsAskedWithGitsProtocol() throws {
    let folder = NSTemporaryDirectory() + "annostore-credential-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let request = folder + "/request"
    let helper = CredentialHelper(
      "!f() { test \"$1\" = get || exit 3; cat > '\(request)'; "
        + "printf 'username=ada\\npassword=s3cret\\n'; }; f")
    let answer = helper.ask(scheme: "https", host: "lab.example.org:8443", user: "ada")
    XCTAssertEqual(answer, CredentialHelper.Answer(user: "ada", password: "s3cret"))
    XCTAssertEqual(
      try String(contentsOfFile: request, encoding: .utf8),
      "protocol=https\nhost=lab.example.org:8443\nusername=ada\n\n")
  }

  func testFailingSilentOrQuittingHelpersGiveNoPassword() {
    XCTAssertEqual(
      CredentialHelper("!exit 1").ask(scheme: "https", host: "h", user: nil),
      CredentialHelper.Answer())
    XCTAssertEqual(
      CredentialHelper("!true").ask(scheme: "https", host: "h", user: nil),
      CredentialHelper.Answer())
    XCTAssertEqual(
      CredentialHelper("/nonexistent/helper").ask(scheme: "https", host: "h", user: nil),
      CredentialHelper.Answer())
    XCTAssertEqual(
      CredentialHelper("!f() { echo quit=1; }; f").ask(scheme: "https", host: "h", user: nil),
      CredentialHelper.Answer(quit: true))
    XCTAssertEqual(
      CredentialHelper.parse("password=a=b\nnonsense\nusername=\n"),
      CredentialHelper.Answer(user: "", password: "a=b"))
  }

  func testConfigEntriesAreReadFromTheRepositorysConfig() throws {
    let folder = NSTemporaryDirectory() + "annostore-credential-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let repository = try Repository.create(at: folder)
    try repository.setConfigString("credential.helper", "store")
    try repository.setConfigString("credential.https://lab.example.org.helper", "lab")
    let entries = try repository.configEntries(matching: "^credential\\..*helper$")
    XCTAssertEqual(
      Array(entries.suffix(2)),
      [
        ConfigEntry(name: "credential.helper", value: "store"),
        ConfigEntry(name: "credential.https://lab.example.org.helper", value: "lab"),
      ])
  }
}
