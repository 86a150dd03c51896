import Foundation

/// A one-line progress display on standard error, shown only when it is a terminal, so
/// scripts and logs stay quiet.
final class ProgressLine {
  private let label: String
  private let total: Int?
  private let enabled: Bool
  private var lastUpdate = Date.distantPast
  private var shown = false

  init(_ label: String, total: Int?) {
    self.label = label
    self.total = total
    enabled = isatty(2) == 1
  }

  /// Reports `done` bytes of work.
  func update(bytes done: Int) {
    guard enabled else { return }
    let now = Date()
    guard now.timeIntervalSince(lastUpdate) >= 0.2 else { return }
    lastUpdate = now
    var text = "\r\(label): \(Self.megabytes(done))"
    if let total, total > 0 {
      text += " of \(Self.megabytes(total)) (\(min(100, done * 100 / total))%)"
    }
    FileHandle.standardError.write(Data((text + "\u{1B}[K").utf8))
    shown = true
  }

  /// Clears the line.
  func finish() {
    guard shown else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }

  static func megabytes(_ bytes: Int) -> String {
    String(format: "%.1f MB", Double(bytes) / 1_000_000)
  }

  /// The size of a file, nil if unknown.
  static func fileSize(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
  }
}
