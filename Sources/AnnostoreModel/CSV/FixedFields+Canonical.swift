/// Reading the fixed fields straight from an annotation's store file: skimming past the
/// coordinates and copying a few strings costs a fraction of gathering the wanted members
/// and parsing them into a `JSONValue`.
extension FixedFields {
  private static let idKey = Array("_id".utf8)
  private static let channelKey = Array("channel".utf8)
  private static let locationKey = Array("location".utf8)
  private static let nameKey = Array("name".utf8)
  private static let shapeKey = Array("shape".utf8)
  private static let tagsKey = Array("tags".utf8)
  private static let xyKey = Array("XY".utf8)
  private static let zKey = Array("Z".utf8)
  private static let timeKey = Array("Time".utf8)

  /// The fields of the annotation whose canonical JSON (RFC 8785, as in a store file,
  /// with or without its final newline) is `bytes`, equal to those of the parsed object.
  /// Nil when the bytes need the full parser: an escape in a key or in a text field, a
  /// text field or tag that is neither a string nor null, a `channel` or location
  /// coordinate that is not a number, a `location` that is not an object, anything that
  /// is not canonical JSON.
  init?(canonical bytes: UnsafeBufferPointer<UInt8>) {
    self.init()
    var skim = JSONSkimmer(bytes: bytes)
    let read = skim.members { key, value in
      take(bytes[key], UnsafeBufferPointer(rebasing: bytes[value]))
    }
    guard read else { return nil }
    _ = skim.take(UInt8(ascii: "\n"))
    guard skim.index == bytes.count else { return nil }
  }

  /// Takes the member `name` with the value bytes `value` if it is a wanted field; false
  /// when its value needs the full parser.
  private mutating func take(
    _ name: Slice<UnsafeBufferPointer<UInt8>>, _ value: UnsafeBufferPointer<UInt8>
  )
    -> Bool
  {
    if name.elementsEqual(Self.idKey) {
      guard let range = appendText(value) else { return false }
      id = range
    } else if name.elementsEqual(Self.channelKey) {
      guard let number = Self.number(value) else { return false }
      channel = number
    } else if name.elementsEqual(Self.locationKey) {
      return readLocation(value)
    } else if name.elementsEqual(Self.nameKey) {
      guard let range = appendText(value) else { return false }
      self.name = range
    } else if name.elementsEqual(Self.shapeKey) {
      guard let range = appendText(value) else { return false }
      shape = range
    } else if name.elementsEqual(Self.tagsKey) {
      return readTags(value)
    }
    return true
  }

  /// Appends a string without escapes (as itself) or null (as nothing); nil for others.
  private mutating func appendText(_ value: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    let start = text.count
    if value.elementsEqual("null".utf8) { return start..<start }
    guard value.count >= 2, value[0] == UInt8(ascii: "\""),
      !value.contains(UInt8(ascii: "\\"))
    else { return nil }
    text.append(contentsOf: value[1..<value.count - 1])
    return start..<text.count
  }

  /// The number a literal stands for; nil when the value is not a number.
  private static func number(_ value: UnsafeBufferPointer<UInt8>) -> Double? {
    guard let first = value.first,
      first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
    else { return nil }
    return NumberLiteral.value(value)
  }

  /// The tags, joined as the Tags cell shows them: an array of strings and nulls.
  private mutating func readTags(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    var skim = JSONSkimmer(bytes: value)
    guard skim.take(UInt8(ascii: "[")) else { return false }
    let start = text.count
    if !skim.take(UInt8(ascii: "]")) {
      var first = true
      while true {
        let elementStart = skim.index
        guard skim.skipValue() else { return false }
        if !first { text.append(contentsOf: Self.tagSeparator) }
        first = false
        let element = UnsafeBufferPointer(rebasing: value[elementStart..<skim.index])
        guard appendText(element) != nil else { return false }
        if skim.take(UInt8(ascii: ",")) { continue }
        guard skim.take(UInt8(ascii: "]")) else { return false }
        break
      }
    }
    guard skim.index == value.count else { return false }
    tags = start..<text.count
    return true
  }

  /// The location's XY, Z and Time: an object whose members of those names are numbers.
  private mutating func readLocation(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    var skim = JSONSkimmer(bytes: value)
    var xy: Double?
    var z: Double?
    var time: Double?
    let read = skim.members { key, range in
      let name = value[key]
      let member = UnsafeBufferPointer(rebasing: value[range])
      if name.elementsEqual(Self.xyKey) {
        guard let number = Self.number(member) else { return false }
        xy = xy ?? number
      } else if name.elementsEqual(Self.zKey) {
        guard let number = Self.number(member) else { return false }
        z = z ?? number
      } else if name.elementsEqual(Self.timeKey) {
        guard let number = Self.number(member) else { return false }
        time = time ?? number
      }
      return true
    }
    guard read else { return false }
    guard skim.index == value.count else { return false }
    self.xy = xy ?? 0
    self.z = z ?? 0
    self.time = time ?? 0
    return true
  }
}
