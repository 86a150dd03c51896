import Testing

@testable import AnnostoreModel

/// The fixed cells read straight from an annotation's canonical bytes are exactly those of
/// the parsed annotation, and anything the byte reader does not take on goes to the parser.
@Suite struct CSVFixedCellsTests {
  static let formats = [
    CSVFormat(), CSVFormat(delimiter: .tab, undefinedValue: "NA", sanitizeColumnNames: true),
  ]

  /// The cells from the bytes, or nil when they need the parser; checked against the
  /// parsed annotation's cells whenever there are some.
  static func bytesCells(_ document: JSONValue, sourceLocation: SourceLocation = #_sourceLocation)
    throws -> [UInt8]?
  {
    let file = CanonicalJSON.fileBytes(document)
    var result: [UInt8]?
    for format in formats {
      let encoder = CSVLineEncoder(
        columns: CSVColumns(paths: [], propertyNames: [:], sanitize: format.sanitizeColumnNames),
        format: format)
      var parsed: [UInt8] = []
      encoder.appendFixedCells(annotation: try JSONParser.parse(file), into: &parsed)
      for bytes in [file, Array(file.dropLast())] {
        var line: [UInt8] = []
        let read = bytes.withUnsafeBufferPointer {
          encoder.appendFixedCells(canonicalAnnotation: $0, into: &line)
        }
        if read {
          #expect(line == parsed, sourceLocation: sourceLocation)
          result = line
        } else {
          #expect(line.isEmpty, sourceLocation: sourceLocation)
        }
      }
    }
    return result
  }

  @Test func generatedAnnotations() throws {
    for varied in [false, true] {
      var generator = ExportGenerator(seed: 3, varied: varied)
      let export = try JSONParser.parse(generator.export(annotations: 200))
      var read = 0
      for document in export["annotations"]?.arrayElements ?? [] {
        if try Self.bytesCells(document) != nil { read += 1 }
      }
      // Varied names hold escapes (those rows go to the parser); plain ones never do.
      if varied { #expect(read > 100 && read < 200) } else { #expect(read == 200) }
    }
  }

  @Test func readFromTheBytes() throws {
    for text in [
      #"{"_id": "a", "tags": [], "shape": "point", "channel": 2, "location": {"XY": 1, "Z": 0, "Time": 3}, "name": "n"}"#,
      #"{"_id": "a", "coordinates": [{"x": 1, "y": [2, {"}": "]"}]}]}"#,
      #"{"tags": ["x", null, "y,z", "日本 😀"], "name": null, "channel": 2.5}"#,
      #"{"location": {"Time": 1e21, "XY": -0.0, "other": {"XY": "no"}}, "channel": 1e-7}"#,
      #"{"name": "a,b", "shape": "polygon", "_id": "x;y \u00e9"}"#,
      #"{}"#,
    ] {
      #expect(try Self.bytesCells(TestJSON.parse(text)) != nil, "\(text)")
    }
  }

  @Test func unusualAnnotationsGoToTheParser() throws {
    for text in [
      #"{"_id": "a\"b"}"#, #"{"name": "line\nbreak"}"#, #"{"tags": ["q\"t"]}"#,
      #"{"tags": "nucleus"}"#, #"{"tags": [1]}"#, #"{"_id": 5}"#, #"{"channel": "1"}"#,
      #"{"location": [1]}"#, #"{"location": {"XY": null}}"#, #"{"n\"ame": "x"}"#,
      #"{"shape": {"a": 1}}"#,
    ] {
      #expect(try Self.bytesCells(TestJSON.parse(text)) == nil, "\(text)")
    }
    for text in [#"[1]"#, #"{"_id": "x"} x"#, #"{ "_id": "x"}"#, #"{"_id":"x""#, ""] {
      var line: [UInt8] = []
      let read = Array(text.utf8).withUnsafeBufferPointer {
        CSVLineEncoder(
          columns: CSVColumns(paths: [], propertyNames: [:], sanitize: false), format: CSVFormat()
        ).appendFixedCells(canonicalAnnotation: $0, into: &line)
      }
      #expect(!read && line.isEmpty, "\(text)")
    }
  }
}
