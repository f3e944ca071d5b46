import Foundation

/// Splits a shell block into its commands as bash reads them: a newline ends a command unless it
/// is escaped (`\` at the end of the line) or inside quotes (a JSON body written over several
/// lines in `'…'`); `#` at the start of a word begins a comment (the answers the docs show).
enum ShellCommandSplitter {
    struct UnterminatedQuote: Error, CustomStringConvertible {
        let command: String
        var description: String { "unterminated quote in: \(command)" }
    }

    static func commands(of block: String) throws -> [String] {
        var commands: [String] = []
        var current = ""
        var quote: Character?
        var characters = Array(block)[...]
        func finish() {
            let command = current.trimmingCharacters(in: .whitespaces)
            if !command.isEmpty { commands.append(command) }
            current = ""
        }
        while let character = characters.popFirst() {
            switch quote {
            case "'":
                current.append(character)
                if character == "'" { quote = nil }
            case "\"":
                current.append(character)
                if character == "\\", let next = characters.popFirst() {
                    current.append(next)
                } else if character == "\"" {
                    quote = nil
                }
            default:
                switch character {
                case "\\":
                    guard let next = characters.popFirst() else { break }
                    if next != "\n" { current.append(contentsOf: [character, next]) }
                case "'", "\"":
                    quote = character
                    current.append(character)
                case "#" where current.isEmpty || current.last?.isWhitespace == true:
                    while let next = characters.first, next != "\n" { characters.removeFirst() }
                case "\n":
                    finish()
                default:
                    current.append(character)
                }
            }
        }
        guard quote == nil else { throw UnterminatedQuote(command: current) }
        finish()
        return commands
    }
}
