import Foundation
import JSONRPC
@testable import PaaS
import Testing
import TestSupport

/// `GET …/tunnels/{tunnel_id}/script?platform=…`: a ready-to-run script per platform that reads
/// the token from `WOOW_TUNNEL_TOKEN`, never contains it, parses, and refuses to run without it.
@Suite("PaaS: tunnel deployment scripts")
struct TunnelScriptTests {
    /// Writes `text` to a temporary file and returns its path.
    static func file(_ text: String, _ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The path of `program` if it is installed.
    static func installed(_ program: String) -> String? {
        for directory in ["/usr/bin", "/bin", "/usr/local/bin", "/opt/microsoft/powershell/7"] {
            let path = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    @Test(arguments: Transport.allCases) func everyPlatformGetsAScriptWithoutTheToken(_ via: Transport) async throws {
        let fixture = try await PaaSFixture.make("tunnel-scripts")
        let staging = try await fixture.workspace("Staging")
        try await fixture.test { api in
            let member = try await api.login("member")
            let created = try await api.call(
                .post, "/workspaces/\(staging)/tunnels", ["name": "Edge \"box\"\nrm -rf /", "type": "podman"], session: member, via: via
            ).expectSuccess(.created)
            let id = try #require(created["id"]?.int64Value)
            let token = try #require(created["tunnel_token"]?.stringValue)
            let path = "/workspaces/\(staging)/tunnels/\(id)/script"
            for platform in ["linux", "macos", "windows", "docker"] {
                let answer = try await api.call(.get, path, ["platform": .string(platform)], session: member, via: via).expectSuccess()
                #expect(answer.objectValue?.keys.sorted() == ["filename", "instructions", "platform", "script", "tunnel_token"])
                #expect(answer["platform"] == .string(platform))
                #expect(answer["tunnel_token"] == TokenChecks.masked(token))
                let script = try #require(answer["script"]?.stringValue)
                #expect(!script.contains(token), "\(platform) script holds the token")
                #expect(!String(decoding: answer.serialized(), as: UTF8.self).contains(token))
                #expect(script.contains("WOOW_TUNNEL_TOKEN"))
                #expect(script.contains("tunnel.woow.app:443"))
                #expect(script.contains("ends in \"\(token.suffix(4))\""))
                // The name is only in a one-line comment: no line of the script starts with it.
                #expect(!script.split(separator: "\n").contains { $0.hasPrefix("rm -rf") })
                #expect(answer["instructions"]?.stringValue?.isEmpty == false)
            }
            let docker = try await api.call(.get, path, ["platform": "docker"], session: member, via: via).expectSuccess()
            #expect(docker["script"]?.stringValue?.contains("podman run -d --name woow-tunnel-\(id)") == true)
            #expect(docker["filename"] == .string("woow-tunnel-\(id)-docker.sh"))
            let linux = try await api.call(.get, path, ["platform": "linux"], session: member, via: via).expectSuccess()
            #expect(linux["script"]?.stringValue?.contains("systemctl enable --now") == true)
            let macos = try await api.call(.get, path, ["platform": "macos"], session: member, via: via).expectSuccess()
            #expect(macos["script"]?.stringValue?.contains("launchctl bootstrap system") == true)
            #expect(macos["script"]?.stringValue?.contains("systemctl") == false)
            let windows = try await api.call(.get, path, ["platform": "windows"], session: member, via: via).expectSuccess()
            #expect(windows["script"]?.stringValue?.contains("New-Service") == true)

            for bad in [["platform": "solaris"], [:], ["platform": "linux", "token": "x"]] as [JSONValue] {
                let refused = try await api.call(.get, path, bad, session: member, via: via)
                refused.expect(code: "VALIDATION_ERROR", status: .badRequest)
            }
            let unknown = try await api.call(.get, path, ["platform": "solaris"], session: member, via: via)
            #expect(unknown.envelope?["details"]?[0]?["field"] == "platform")
            // Guests may read scripts (they hold no secret); other teams may not.
            let guest = try await api.login("guest")
            let smartHome = try await fixture.workspace("Smart Home")
            let nas = try await fixture.tunnelID("NAS Tunnel")
            try await api.call(.get, "/workspaces/\(smartHome)/tunnels/\(nas)/script", ["platform": "docker"], session: guest, via: via)
                .expectSuccess()
            let rival = try await api.login("rival")
            try await api.call(.get, path, ["platform": "linux"], session: rival, via: via).expect(code: "WORKSPACE_NOT_FOUND", status: .notFound)
            try await api.call(.get, path, ["platform": "linux"], session: nil, via: via).expectSessionExpired()
        }
    }

    @Test func theShellScriptsParseAndStopWithoutTheToken() async throws {
        let generator = TunnelScripts(
            id: 42, name: "Edge\nbox $(id)", type: "docker", tokenHint: "Ab-_", publicURL: "https://edge-box-tunnel-42.woow.app",
            publicDomain: "woow.app")
        let scripts = Dictionary(uniqueKeysWithValues: TunnelScripts.platforms.map { ($0, generator.script(for: $0).script) })
        for (platform, shell) in [("linux", "bash"), ("macos", "bash"), ("docker", "sh")] {
            let path = try Self.file(scripts[platform]!, "\(platform).sh")
            let syntax = try await ProcessRunner.run(["/usr/bin/env", shell, "-n", path])
            #expect(syntax.status == 0, "\(platform): \(syntax.output)")
            // Run for real without the variable: it stops at once with a clear message.
            let run = try await ProcessRunner.run(["/usr/bin/env", "-u", "WOOW_TUNNEL_TOKEN", shell, path])
            #expect(run.status == 1, "\(platform): \(run.output)")
            #expect(run.output.contains("WOOW_TUNNEL_TOKEN is not set"), "\(platform): \(run.output)")
            let empty = try await ProcessRunner.run(["/usr/bin/env", "WOOW_TUNNEL_TOKEN=", shell, path])
            #expect(empty.status == 1, "\(platform): \(empty.output)")
        }
        if let pwsh = Self.installed("pwsh") {
            let path = try Self.file(scripts["windows"]!, "windows.ps1")
            let check = """
                $errors = $null; $null = [System.Management.Automation.Language.Parser]::ParseFile('\(path)', [ref]$null, [ref]$errors); \
                if ($errors.Count -gt 0) { $errors | ForEach-Object { Write-Output $_.Message }; exit 1 }; Write-Output parsed
                """
            let parsed = try await ProcessRunner.run([pwsh, "-NoProfile", "-NonInteractive", "-Command", check])
            #expect(parsed.status == 0, "\(parsed.output)")
        }
    }
}
