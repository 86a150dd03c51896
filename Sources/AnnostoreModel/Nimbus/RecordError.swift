/// A NimbusImage record that is well-formed JSON but not a valid document: what is wrong
/// and the JSON pointer of the offending value.
public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var pointer: String
  public init(_ message: String, at pointer: String) {
    self.message = message
    self.pointer = pointer
  }
  public var description: String { "\(pointer): \(message)" }
}

/// A record checked and normalised for the store: its id and the document to keep.
public struct NormalizedRecord: Sendable, Equatable {
  public var id: String
  public var document: JSONValue
  public init(id: String, document: JSONValue) {
    self.id = id
    self.document = document
  }
}
