import AnnostoreGit

/// The fields of an annotated tag object (`object`, `type`, `tag`, `tagger`, then a blank
/// line and the message), read from its raw content.
struct TagObject {
  var target: String?
  var targetType: String?
  var name: String?
  var tagger: String?
  var message: String

  /// Parses a tag object's content; unknown headers are ignored.
  init(content: [UInt8]) {
    let text = String(decoding: content, as: UTF8.self)
    var headers = Substring(text)
    var body = Substring("")
    if let range = text.range(of: "\n\n") {
      headers = text[..<range.lowerBound]
      body = text[range.upperBound...]
    }
    for line in headers.split(separator: "\n") {
      guard let space = line.firstIndex(of: " ") else { continue }
      let value = String(line[line.index(after: space)...])
      switch line[..<space] {
      case "object": target = value
      case "type": targetType = value
      case "tag": name = value
      case "tagger": tagger = value
      default: continue
      }
    }
    // A signature, when present, follows the message; it is not part of it.
    if let signature = body.range(of: "-----BEGIN PGP SIGNATURE-----") {
      body = body[..<signature.lowerBound]
    }
    message = String(body)
  }

  /// `Name <email>` of the tagger, without the time stamp.
  var taggerIdentity: String? {
    guard let tagger, let end = tagger.lastIndex(of: ">") else { return tagger }
    return String(tagger[...end])
  }
}
