import Foundation
import PackagePlugin

/// Embeds the package's top-level `schema.sql` into the target as a Swift string constant
/// (`embeddedSchemaSQL`), so the `woow` binary carries its DDL and needs no resource files.
@main
struct EmbedSchemaPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let input = context.package.directoryURL.appending(path: "schema.sql")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSchema.swift")
        return [
            .buildCommand(
                displayName: "Embedding schema.sql",
                executable: try context.tool(named: "EmbedTextTool").url,
                arguments: [input.path, output.path, "embeddedSchemaSQL"],
                inputFiles: [input],
                outputFiles: [output])
        ]
    }
}
