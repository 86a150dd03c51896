import Foundation

/// Prints how long each phase of a command took, to standard error, when the environment
/// sets `ANNOSTORE_TIMING` (for measuring; silent otherwise).
enum PhaseClock {
  private static let enabled = ProcessInfo.processInfo.environment["ANNOSTORE_TIMING"] != nil
  private static let start = Date()
  nonisolated(unsafe) private static var last = Date()

  /// Notes the end of phase `name`.
  static func mark(_ name: @autoclosure () -> String) {
    guard enabled else { return }
    let now = Date()
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let cpu =
      Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
      + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    let line = String(
      format: "[timing] %-28@ %7.3f s (total %7.3f s wall, %7.3f s cpu)\n", name() as NSString,
      now.timeIntervalSince(last), now.timeIntervalSince(start), cpu)
    FileHandle.standardError.write(line.data(using: .utf8)!)
    last = now
  }
}
