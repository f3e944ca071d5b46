import ArgumentParser
import Foundation
import Identity
import PostgresDriver
import ServerApp

extension WoowCommand {
    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage users.", subcommands: [Create.self, SetPassword.self])
    }
}

/// Reads a password from `--password`, `$WOOW_PASSWORD` or the first line of standard input.
struct PasswordOption: ParsableArguments {
    @Option(help: "The password (prefer $WOOW_PASSWORD or standard input: options show up in process lists).")
    var password: String?

    func resolve() throws -> String {
        if let password { return password }
        if let password = ProcessInfo.processInfo.environment["WOOW_PASSWORD"], !password.isEmpty { return password }
        if let line = readLine(strippingNewline: true), !line.isEmpty { return line }
        throw ValidationError("no password given: use --password, $WOOW_PASSWORD or standard input")
    }
}

extension WoowCommand.User {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")

        @Option(help: "Login (usually the e-mail address).") var login: String
        @Option(help: "Display name.") var name: String
        @Option(help: "E-mail address (default: the login).") var email: String?
        @Flag(help: "Make the user a system administrator.") var admin = false
        @OptionGroup var password: PasswordOption
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let secret = try password.resolve()
            try await withDatabase(database) { client, configuration, logger in
                try await SchemaManager(logger: logger).apply(using: client)
                let accounts = UserAccounts(configuration: configuration.identity)
                var groups = [UserAccounts.GroupID.user]
                if admin { groups += [UserAccounts.GroupID.system, UserAccounts.GroupID.accessRights] }
                do {
                    let uid = try await client.withTransaction { db in
                        try await accounts.createUser(
                            login: login, name: name, email: email ?? login, password: secret, groups: groups, on: db)
                    }
                    print("created user \(login) with id \(uid)")
                } catch let error as UserAccountError {
                    throw ValidationError(error.description)
                }
            }
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password", abstract: "Set a user's password (ends the user's sessions).")

        @Option(help: "The user's login.") var login: String
        @OptionGroup var password: PasswordOption
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let secret = try password.resolve()
            try await withDatabase(database) { client, configuration, logger in
                try await SchemaManager(logger: logger).apply(using: client)
                let accounts = UserAccounts(configuration: configuration.identity)
                do {
                    try await client.withTransaction { db in
                        try await accounts.setPassword(login: login, password: secret, on: db)
                    }
                    print("password of \(login) updated")
                } catch let error as UserAccountError {
                    throw ValidationError(error.description)
                }
            }
        }
    }
}
