// Deciding whether to trust a server: ssh host keys against known_hosts, TLS as verified.

import CGit2
import Foundation

extension RemoteSession {
  /// libgit2's certificate-check callback: 0 trusts the server, an error code refuses it
  /// (the reason is kept in `failure`).
  func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, valid: Bool, host: String) -> Int32
  {
    switch cert.pointee.cert_type {
    case GIT_CERT_HOSTKEY_LIBSSH2:
      let hostKey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
      return checkHostKey(hostKey, listedInHome: valid, host: host)
    default:
      if valid { return 0 }
      return refuseServer("the TLS certificate of \(host) is not trusted")
    }
  }

  /// Trusts an ssh host key listed in a known_hosts file (libssh2 checked
  /// `$HOME/.ssh/known_hosts` already: `listedInHome`); trusts and records a key no file
  /// lists when the user accepted new keys; refuses a key that contradicts a listed one.
  private func checkHostKey(_ hostKey: git_cert_hostkey, listedInHome: Bool, host: String)
    -> Int32
  {
    let port = url.effectivePort ?? 22
    let hostName = port == 22 ? host : "[\(host)]:\(port)"
    let fingerprint = Self.fingerprint(hostKey)
    guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey,
      hostKey.hostkey_len > 0
    else {
      if listedInHome { return 0 }
      return refuseServer("cannot read the ssh host key of \(hostName) (\(fingerprint))")
    }
    let key = [UInt8](UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len))
    let keyType = KnownHosts.keyType(ofBlob: key) ?? "unknown"
    let verdict = KnownHosts(files: access.knownHostsFiles + [Self.homeKnownHosts])
      .verdict(hostName: hostName, keyType: keyType, key: key)
    switch verdict {
    case .known:
      return 0
    case .changed(let file, let line):
      if listedInHome { return 0 }
      return refuseServer(
        "the ssh host key of \(hostName) has CHANGED: it offers \(keyType) \(fingerprint), "
          + "but \(file) line \(line) lists another key. Someone may be intercepting the "
          + "connection, or the server was reinstalled")
    case .unknown:
      if listedInHome { return 0 }
      guard access.acceptNewHostKey else {
        return refuseServer(
          "the ssh host key of \(hostName) is not known: \(keyType) \(fingerprint)")
      }
      do {
        try KnownHosts.record(
          hostName: hostName, keyType: keyType, key: key,
          in: access.newHostKeyFile ?? Self.homeKnownHosts)
      } catch {
        return refuseServer(
          "cannot record the ssh host key of \(hostName) in "
            + "\(access.newHostKeyFile ?? Self.homeKnownHosts): \(error.localizedDescription)")
      }
      return 0
    }
  }

  private func refuseServer(_ message: String) -> Int32 {
    if failure == nil {
      failure = GitError(call: "certificate check", message: message, kind: .certificate)
    }
    return GIT_ECERTIFICATE.rawValue
  }

  /// `$HOME/.ssh/known_hosts`, the file libssh2 reads too.
  static var homeKnownHosts: String {
    (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + "/.ssh/known_hosts"
  }

  /// The key's fingerprint as OpenSSH prints it (`SHA256:` and unpadded base64).
  static func fingerprint(_ hostKey: git_cert_hostkey) -> String {
    if hostKey.type.rawValue & GIT_CERT_SSH_SHA256.rawValue != 0 {
      var digest = hostKey.hash_sha256
      let bytes = withUnsafeBytes(of: &digest) { Data($0) }
      let text = bytes.base64EncodedString()
      return "SHA256:" + text.trimmingCharacters(in: CharacterSet(charactersIn: "="))
    }
    var digest = hostKey.hash_sha1
    let bytes = withUnsafeBytes(of: &digest) { [UInt8]($0) }
    return "SHA1:" + bytes.map { String(format: "%02x", $0) }.joined(separator: ":")
  }
}
