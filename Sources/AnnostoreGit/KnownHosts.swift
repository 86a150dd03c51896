// Reading and extending OpenSSH known_hosts files: plain, wildcard and hashed host names.

import CDeflate
import Foundation

/// What known_hosts files say about one host's key.
enum KnownHostVerdict: Equatable {
  /// A line lists this host with exactly this key.
  case known
  /// Lines list this host, but only with other keys of the same type: the key changed.
  case changed(file: String, line: Int)
  /// No line lists this host with a key of this type.
  case unknown
}

/// The known_hosts files to consult and where to record a newly accepted key.
struct KnownHosts {
  var files: [String]

  /// Looks `hostName` (`host` or `[host]:port`) up with the raw key blob `key` of type
  /// `keyType` (e.g. `ssh-ed25519`).
  func verdict(hostName: String, keyType: String, key: [UInt8]) -> KnownHostVerdict {
    var changed: KnownHostVerdict?
    for file in files {
      guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
      for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
        .enumerated()
      {
        guard let entry = Entry(line), entry.matches(hostName) else { continue }
        if entry.keyType == keyType && entry.key == key { return .known }
        if entry.keyType == keyType && changed == nil {
          changed = .changed(file: file, line: index + 1)
        }
      }
    }
    return changed ?? .unknown
  }

  /// Appends `hostName keyType base64(key)` to `file`, creating it (and its directory,
  /// private) when missing.
  static func record(hostName: String, keyType: String, key: [UInt8], in file: String) throws {
    let directory = (file as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
    }
    let line = "\(hostName) \(keyType) \(Data(key).base64EncodedString())\n"
    let url = URL(fileURLWithPath: file)
    guard let existing = try? Data(contentsOf: url) else {
      try Data(line.utf8).write(to: url)
      return
    }
    // Keep the file line-based even if its last line lacks its newline.
    let separator = existing.isEmpty || existing.last == UInt8(ascii: "\n") ? "" : "\n"
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data((separator + line).utf8))
  }

  /// The key type an ssh public key blob names (its first length-prefixed string).
  static func keyType(ofBlob blob: [UInt8]) -> String? {
    guard blob.count >= 4 else { return nil }
    let length = blob[0..<4].reduce(0) { $0 << 8 | Int($1) }
    guard length > 0, 4 + length <= blob.count else { return nil }
    return String(decoding: blob[4..<(4 + length)], as: UTF8.self)
  }

  /// One `hosts keytype base64key [comment]` line; marker lines (`@cert-authority`,
  /// `@revoked`) and comments are not host entries.
  private struct Entry {
    var patterns: Substring
    var keyType: String
    var key: [UInt8]

    init?(_ line: Substring) {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count >= 3, !fields[0].hasPrefix("#"), !fields[0].hasPrefix("@"),
        let key = Data(base64Encoded: String(fields[2]))
      else { return nil }
      patterns = fields[0]
      keyType = String(fields[1])
      self.key = [UInt8](key)
    }

    /// Whether the host patterns name `hostName`: a hashed name, or a comma-separated
    /// list of names and `*`/`?` wildcards where a `!pattern` match excludes the line.
    func matches(_ hostName: String) -> Bool {
      if patterns.hasPrefix("|1|") { return Self.hashedMatch(patterns, hostName) }
      var matched = false
      let name = Array(hostName.lowercased().utf8)
      for pattern in patterns.split(separator: ",") {
        let negated = pattern.hasPrefix("!")
        let glob = Array((negated ? pattern.dropFirst() : pattern).lowercased().utf8)
        guard Self.glob(glob[...], matches: name[...]) else { continue }
        if negated { return false }
        matched = true
      }
      return matched
    }

    /// OpenSSH's host pattern matching: `*` any run, `?` any one character, everything
    /// else (brackets included, as in `[host]:port`) literal.
    static func glob(_ pattern: ArraySlice<UInt8>, matches name: ArraySlice<UInt8>) -> Bool {
      guard let first = pattern.first else { return name.isEmpty }
      if first == UInt8(ascii: "*") {
        let rest = pattern.dropFirst()
        var tail = name
        while true {
          if glob(rest, matches: tail) { return true }
          guard !tail.isEmpty else { return false }
          tail = tail.dropFirst()
        }
      }
      guard let head = name.first, first == UInt8(ascii: "?") || first == head else {
        return false
      }
      return glob(pattern.dropFirst(), matches: name.dropFirst())
    }

    /// `|1|base64(salt)|base64(HMAC-SHA1(salt, host))`.
    static func hashedMatch(_ field: Substring, _ hostName: String) -> Bool {
      let parts = field.split(separator: "|")
      guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
        let hash = Data(base64Encoded: String(parts[2]))
      else { return false }
      return hmacSHA1(key: [UInt8](salt), message: Array(hostName.utf8)) == [UInt8](hash)
    }
  }
}

/// HMAC-SHA1 (RFC 2104), as OpenSSH hashes known_hosts names.
func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
  let blockSize = 64
  var block = key.count > blockSize ? sha1Digest(key) : key
  block += [UInt8](repeating: 0, count: blockSize - block.count)
  let inner = sha1Digest(block.map { $0 ^ 0x36 } + message)
  return sha1Digest(block.map { $0 ^ 0x5c } + inner)
}

/// The 20-byte SHA-1 digest of `bytes`.
func sha1Digest(_ bytes: [UInt8]) -> [UInt8] {
  var digest = [UInt8](repeating: 0, count: 20)
  bytes.withUnsafeBufferPointer { input in
    digest.withUnsafeMutableBufferPointer { output in
      _ = SHA1(input.baseAddress, input.count, output.baseAddress)
    }
  }
  return digest
}
