/// A JSON text that cannot be read: what is wrong and where.
///
/// The message is written for the person who has to fix the file ("duplicate key \"_id\"",
/// "unexpected end of input (the file may be truncated)"); the location says where.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, in plain words.
  public var message: String
  /// Where it is wrong.
  public var location: JSONLocation

  public init(_ message: String, at location: JSONLocation) {
    self.message = message
    self.location = location
  }

  public var description: String { "\(location): \(message)" }
}
