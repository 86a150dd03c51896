extension ObjectID { public var description: String { fatalError("stub") } }
