/// How many XY positions, Z slices, time points and channels a dataset has, as kept in
/// `dataset.json` under `"dimensions"` when known. Annotation locations and channels are
/// 0-based indexes into these.
public struct DatasetDimensions: Sendable, Equatable {
  /// XY positions.
  public var xy: Int
  /// Z slices.
  public var z: Int
  /// Time points.
  public var time: Int
  /// Channels.
  public var channels: Int

  /// Dimensions as given.
  public init(xy: Int, z: Int, time: Int, channels: Int) {
    self.xy = xy
    self.z = z
    self.time = time
    self.channels = channels
  }

  /// The dimensions a `dataset.json` document records, nil when it records none.
  public init?(datasetDocument: JSONValue?) {
    guard let dimensions = datasetDocument?["dimensions"],
      let xy = dimensions["xy"]?.numberValue, let z = dimensions["z"]?.numberValue,
      let time = dimensions["time"]?.numberValue,
      let channels = dimensions["channels"]?.numberValue
    else { return nil }
    self.init(xy: Int(xy), z: Int(z), time: Int(time), channels: Int(channels))
  }

  /// The `"dimensions"` value of `dataset.json`.
  public var document: JSONValue {
    .object([
      JSONMember("channels", .number(Double(channels))),
      JSONMember("time", .number(Double(time))),
      JSONMember("xy", .number(Double(xy))),
      JSONMember("z", .number(Double(z))),
    ])
  }

  /// Why an annotation lies outside these dimensions (e.g. `Time 7 of 5`), nil when it
  /// lies inside. A location index it does not carry counts as 0.
  public func problem(with annotation: JSONValue) -> String? {
    var problems: [String] = []
    func check(_ value: JSONValue?, _ name: String, _ count: Int) {
      guard let index = value?.numberValue else { return }
      if index < 0 || index >= Double(count) {
        problems.append("\(name) \(ECMAScriptNumber.string(index)) not in 0..<\(count)")
      }
    }
    let location = annotation["location"]
    check(location?["XY"], "XY", xy)
    check(location?["Z"], "Z", z)
    check(location?["Time"], "Time", time)
    check(annotation["channel"], "channel", channels)
    return problems.isEmpty ? nil : problems.joined(separator: ", ")
  }
}
