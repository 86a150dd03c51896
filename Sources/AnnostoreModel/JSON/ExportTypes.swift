/// The four parts a NimbusImage JSON export may carry, in export order.
public enum ExportSection: String, Sendable, CaseIterable {
  case annotations
  case annotationConnections
  case annotationProperties
  case annotationPropertyValues

  /// The section whose key is exactly `key` (compared by bytes, not Unicode equivalence).
  public init?(key: String) {
    for section in Self.allCases where section.rawValue.utf8.elementsEqual(key.utf8) {
      self = section
      return
    }
    return nil
  }

  /// True for the three sections that are arrays of records.
  public var isRecordList: Bool { self != .annotationPropertyValues }
}

/// One thing the streaming export reader found.
public enum ExportEvent {
  /// A top-level key began; `annotationPropertyValues` and the lists report this even when empty.
  case sectionStart(ExportSection)
  /// One element of `annotations`, `annotationConnections` or `annotationProperties`.
  case record(ExportSection, JSONValue, index: Int, location: JSONLocation)
  /// One `annotationId: {propertyId: value}` member of `annotationPropertyValues`.
  case values(annotationId: String, JSONValue, location: JSONLocation)
  /// The section's array or object closed (also reported when it was empty).
  case sectionEnd(ExportSection)
}

/// What a validating pass over an export found (`ExportReader.validate`).
public struct ExportSummary: Sendable, Equatable {
  /// Which sections the file has.
  public var sections: [ExportSection] = []
  /// Elements of `annotations`.
  public var annotations = 0
  /// Elements of `annotationConnections`.
  public var annotationConnections = 0
  /// Elements of `annotationProperties`.
  public var annotationProperties = 0
  /// Members of `annotationPropertyValues`.
  public var annotationPropertyValues = 0
  /// Size of the file in bytes.
  public var bytes = 0

  public init() {}

  /// The count for `section`.
  public func count(of section: ExportSection) -> Int {
    switch section {
    case .annotations: return annotations
    case .annotationConnections: return annotationConnections
    case .annotationProperties: return annotationProperties
    case .annotationPropertyValues: return annotationPropertyValues
    }
  }
}

/// An export file that cannot be opened or read at all (missing, unreadable, a directory).
public struct ExportFileError: Error, Sendable, CustomStringConvertible {
  /// The file.
  public var path: String
  /// What went wrong ("no such file", "is a directory").
  public var message: String

  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(message)" }
}
