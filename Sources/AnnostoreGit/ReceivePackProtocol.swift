// The bytes of git's receive-pack exchange that a push writes and reads itself: the
// update commands before the pack, and the status report after it.

/// What a push says to `git receive-pack` and how it reads the answer (git's
/// pack-protocol: pkt-lines, with the `report-status` capability and no side band).
enum ReceivePackProtocol {
  /// Capabilities asked for on the first command.
  static let capabilities = "report-status agent=annostore/1"

  /// The update commands, `<old> <new> <name>` each in a pkt-line (a missing old id as
  /// zeros), capabilities after a NUL on the first, then a flush packet.
  static func commands(_ updates: [ReferenceUpdate]) -> [UInt8] {
    let zero = String(repeating: "0", count: 40)
    var bytes: [UInt8] = []
    for (index, update) in updates.enumerated() {
      var line = Array(
        "\(update.old?.hex ?? zero) \(update.new?.hex ?? zero) \(update.name)".utf8)
      if index == 0 { line += [0] + Array(capabilities.utf8) }
      line.append(0x0A)
      bytes += packetLine(line)
    }
    return bytes + Array("0000".utf8)
  }

  /// `payload` framed as one pkt-line (four hex digits of length, then the payload).
  static func packetLine(_ payload: [UInt8]) -> [UInt8] {
    let length = String(payload.count + 4, radix: 16)
    return Array((String(repeating: "0", count: 4 - length.count) + length).utf8) + payload
  }

  /// The status report of a push: how unpacking went and each reference's fate.
  struct Report: Equatable {
    /// `ok`, or the receiver's reason for not accepting the pack.
    var unpack: String
    /// References the receiver updated.
    var accepted: [String] = []
    /// References it refused, with its reason.
    var refused: [(reference: String, reason: String)] = []

    static func == (a: Report, b: Report) -> Bool {
      a.unpack == b.unpack && a.accepted == b.accepted
        && a.refused.map { "\($0.reference) \($0.reason)" }
          == b.refused.map { "\($0.reference) \($0.reason)" }
    }
  }

  /// Reads a status report from bytes arriving in pieces.
  struct ReportReader {
    private var buffered: [UInt8] = []
    private var lines: [String] = []
    /// The report, once its closing flush packet has arrived.
    private(set) var report: Report?

    /// Takes the next bytes received; throws on bytes that are not a report.
    mutating func take(_ bytes: UnsafeRawBufferPointer) throws {
      buffered += bytes
      while report == nil, buffered.count >= 4 {
        guard let length = Int(String(decoding: buffered[0..<4], as: UTF8.self), radix: 16)
        else { throw Self.malformed("a packet length") }
        if length == 0 {
          buffered.removeFirst(4)
          report = try Self.parse(lines)
          break
        }
        guard length >= 4 else { throw Self.malformed("a packet length of \(length)") }
        guard buffered.count >= length else { break }
        var line = String(decoding: buffered[4..<length], as: UTF8.self)
        if line.hasSuffix("\n") { line.removeLast() }
        lines.append(line)
        buffered.removeFirst(length)
      }
    }

    private static func parse(_ lines: [String]) throws -> Report {
      guard let first = lines.first, first.hasPrefix("unpack ") else {
        throw malformed("an unpack status")
      }
      var report = Report(unpack: String(first.dropFirst("unpack ".count)))
      for line in lines.dropFirst() {
        if line.hasPrefix("ok ") {
          report.accepted.append(String(line.dropFirst(3)))
        } else if line.hasPrefix("ng ") {
          let rest = line.dropFirst(3)
          let name = rest.prefix { $0 != " " }
          let reason = rest.dropFirst(name.count).drop { $0 == " " }
          report.refused.append((String(name), reason.isEmpty ? "refused" : String(reason)))
        } else {
          throw malformed("a reference status (got \(line.prefix(80)))")
        }
      }
      return report
    }

    private static func malformed(_ what: String) -> GitError {
      GitError(
        call: "receive-pack report", message: "the remote's answer is not \(what)",
        kind: .network)
    }
  }
}
