import AnnostoreGit
import AnnostoreModel
import AnnostoreStore
import ArgumentParser
import Foundation

/// Parses the command line, runs the command, and turns every outcome into a message and
/// one of the documented exit statuses.
public enum CommandRunner {
  /// Runs annostore with `arguments` (without the program name); returns the exit status.
  public static func run(arguments: [String]) -> Int32 {
    let command: ParsableCommand
    do {
      command = try Annostore.parseAsRoot(hoistingStoreOption(arguments))
    } catch {
      let status = Annostore.exitCode(for: error)
      if status == .success {
        print(Annostore.fullMessage(for: error))
        return 0
      }
      printError(Annostore.fullMessage(for: error))
      return ExitStatus.usage.rawValue
    }
    do {
      var command = command
      try command.run()
      return ExitStatus.success.rawValue
    } catch let exit as ExitWith {
      return exit.status.rawValue
    } catch let error as AnnostoreError {
      printError("annostore: " + error.description)
      return ExitStatus(error.category).rawValue
    } catch let error as GitError {
      printError("annostore: git: \(error.description)")
      return ExitStatus.failure.rawValue
    } catch let error as OutputFileError {
      printError("annostore: \(error.description)")
      return ExitStatus.failure.rawValue
    } catch let error as ValidationError {
      printError("annostore: \(error.message)")
      return ExitStatus.usage.rawValue
    } catch {
      // `help` and `--help` arrive as an error from run(): print the help, exit 0.
      if Annostore.exitCode(for: error) == .success {
        print(Annostore.fullMessage(for: error))
        return ExitStatus.success.rawValue
      }
      printError("annostore: \(error)")
      return ExitStatus.failure.rawValue
    }
  }

  /// `annostore -C PATH cmd ...` names the store before the command, as git does; the
  /// commands themselves take `-C` as their own option, so move it behind them.
  static func hoistingStoreOption(_ arguments: [String]) -> [String] {
    var rest = arguments[...]
    var leading: [String] = []
    while rest.count >= 2, rest.first == "-C" {
      leading += ["-C", rest[rest.index(after: rest.startIndex)]]
      rest = rest.dropFirst(2)
    }
    guard !leading.isEmpty else { return arguments }
    var result = Array(rest)
    let end = result.firstIndex(of: "--") ?? result.endIndex
    result.insert(contentsOf: leading, at: end)
    return result
  }
}

/// Writes a line to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
