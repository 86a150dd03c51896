/// Small type checks shared by the NimbusImage record validators.
enum RecordChecks {
  /// The JSON pointer of member `key` inside the value at `pointer` (RFC 6901 escaping).
  static func child(_ pointer: String, _ key: String) -> String {
    var escaped = ""
    for character in key {
      switch character {
      case "~": escaped += "~0"
      case "/": escaped += "~1"
      default: escaped.append(character)
      }
    }
    return pointer + "/" + escaped
  }

  static func members(
    _ value: JSONValue, _ what: @autoclosure () -> String,
    at pointer: @autoclosure () -> String
  )
    throws(RecordError)
    -> [JSONMember]
  {
    guard case .object(let members) = value else {
      throw RecordError("\(what()) must be an object, not \(value.typeDescription)", at: pointer())
    }
    return members
  }

  static func string(
    _ value: JSONValue, _ what: @autoclosure () -> String,
    at pointer: @autoclosure () -> String
  )
    throws(RecordError)
    -> String
  {
    guard case .string(let text) = value else {
      throw RecordError("\(what()) must be a string, not \(value.typeDescription)", at: pointer())
    }
    return text
  }

  static func integer(
    _ value: JSONValue, _ what: @autoclosure () -> String,
    at pointer: @autoclosure () -> String
  )
    throws(RecordError)
  {
    guard case .number(let number) = value, number.rounded() == number else {
      throw RecordError("\(what()) must be an integer, not \(value.typeDescription)", at: pointer())
    }
  }

  static func number(
    _ value: JSONValue, _ what: @autoclosure () -> String,
    at pointer: @autoclosure () -> String
  )
    throws(RecordError)
  {
    guard case .number = value else {
      throw RecordError("\(what()) must be a number, not \(value.typeDescription)", at: pointer())
    }
  }

  static func stringArray(
    _ value: JSONValue, _ what: @autoclosure () -> String,
    at pointer: @autoclosure () -> String
  )
    throws(RecordError)
  {
    guard case .array(let elements) = value else {
      throw RecordError(
        "\(what()) must be an array of strings, not \(value.typeDescription)", at: pointer())
    }
    for (index, element) in elements.enumerated() {
      guard case .string = element else {
        throw RecordError(
          "\(what()) must hold strings only, found \(element.typeDescription)",
          at: pointer() + "/\(index)")
      }
    }
  }

  static func stringOrNull(
    _ value: JSONValue, _ what: @autoclosure () -> String, at pointer: @autoclosure () -> String
  )
    throws(RecordError)
  {
    switch value {
    case .string, .null: return
    default:
      throw RecordError(
        "\(what()) must be a string or null, not \(value.typeDescription)", at: pointer())
    }
  }

  static func token(
    _ value: JSONValue, _ what: @autoclosure () -> String,
    at pointer: @autoclosure () -> String
  )
    throws(RecordError)
    -> String
  {
    let text = try string(value, what(), at: pointer())
    if let problem = RecordID.problem(with: text) {
      throw RecordError("\(what()): \(problem)", at: pointer())
    }
    return text
  }

  /// Finds the record's id under `_id` (server exports) or `id` (older browser exports),
  /// and returns the members with the id under `_id`.
  static func identify(
    _ members: [JSONMember], _ what: String, at pointer: @autoclosure () -> String
  )
    throws(RecordError) -> (id: String, members: [JSONMember])
  {
    var idIndex: Int?
    var legacyIndex: Int?
    for (index, member) in members.enumerated() {
      if member.key == "_id" { idIndex = index }
      if member.key == "id" { legacyIndex = index }
    }
    switch (idIndex, legacyIndex) {
    case (let index?, nil):
      let id = try token(members[index].value, "the \(what)'s _id", at: child(pointer(), "_id"))
      return (id, members)
    case (nil, let index?):
      let id = try token(members[index].value, "the \(what)'s id", at: child(pointer(), "id"))
      var renamed = members
      renamed[index] = JSONMember("_id", .string(id))
      return (id, renamed)
    case (.some, .some):
      throw RecordError(
        "the \(what) has both \"_id\" and \"id\"; keep one of them", at: pointer())
    case (nil, nil):
      throw RecordError("the \(what) has no \"_id\" (or \"id\")", at: pointer())
    }
  }
}
