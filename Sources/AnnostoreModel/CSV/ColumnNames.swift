/// NimbusImage's `sanitizeColumnNames` (FORMAT.md §4.5): names safe for R and pandas.
public enum ColumnNames {
  /// Replaces every run of characters outside `[A-Za-z0-9_]` by one `_`, strips leading
  /// and trailing `_`, and gives `_` for an empty result:
  /// `cell, fibroblast/Blob Metrics (%) / Mean Area (um^2)` →
  /// `cell_fibroblast_Blob_Metrics_Mean_Area_um_2`.
  public static func sanitize(_ name: String) -> String {
    // Working on UTF-8 bytes gives the same runs as on characters: every byte of a
    // non-ASCII character is itself outside the allowed set.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(name.utf8.count)
    var inRun = false
    for byte in name.utf8 {
      if isAllowed(byte) {
        bytes.append(byte)
        inRun = false
      } else if !inRun {
        bytes.append(UInt8(ascii: "_"))
        inRun = true
      }
    }
    let underscore = UInt8(ascii: "_")
    let start = bytes.firstIndex { $0 != underscore } ?? bytes.endIndex
    let end = (bytes.lastIndex { $0 != underscore }).map { $0 + 1 } ?? start
    let stripped = start < end ? bytes[start..<end] : []
    return stripped.isEmpty ? "_" : String(decoding: stripped, as: UTF8.self)
  }

  /// Makes names unique in order of appearance: the first keeps its name, a later
  /// duplicate takes the first of `name_2`, `name_3`, … not used by an earlier column
  /// (`[Area, Area_2, Area]` → `[Area, Area_2, Area_3]`; `[X_2, X, X]` → `[X_2, X, X_3]`).
  public static func deduplicate(_ names: [String]) -> [String] {
    var used: Set<String> = []
    var result: [String] = []
    result.reserveCapacity(names.count)
    for name in names {
      var candidate = name
      var suffix = 2
      while used.contains(candidate) {
        candidate = name + "_\(suffix)"
        suffix += 1
      }
      used.insert(candidate)
      result.append(candidate)
    }
    return result
  }

  private static func isAllowed(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
      return true
    default:
      return false
    }
  }
}
