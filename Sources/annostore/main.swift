import AnnostoreCLI
import Foundation

exit(CommandRunner.run(arguments: Array(CommandLine.arguments.dropFirst())))
