/// Ready-to-run deployment scripts of a tunnel's agent, one per platform.
///
/// No script ever contains the token: each reads it from the `WOOW_TUNNEL_TOKEN` environment
/// variable, stops with a clear message when it is unset, and hands it to the agent without
/// putting it on a command line (a root-only file read by the service manager, or the
/// container's environment):
///
/// | platform | language | installs |
/// |---|---|---|
/// | `linux` | bash | the agent binary, a root-only env file and a **systemd** unit `woow-tunnel-<id>` |
/// | `macos` | bash (macOS `install`, `launchctl`) | the agent binary, a root-only token file and a **launchd** daemon `app.woow.tunnel.<id>` |
/// | `windows` | PowerShell (5.1 or 7) | the agent in `%ProgramData%\Woow\Tunnel`, a token file readable by SYSTEM and Administrators, a **Windows service** `WoowTunnel<id>` |
/// | `docker` | POSIX sh | a `docker run` (or `podman run` for a `podman` tunnel) container `woow-tunnel-<id>` restarting unless stopped |
///
/// The agent connects to `tunnel.<publicDomain>:443`; binaries come from
/// `https://downloads.<publicDomain>/woow-tunnel/latest/`, the image is ``image``.
struct TunnelScripts: Sendable {
    static let platforms = ["linux", "macos", "windows", "docker"]
    static let image = "ghcr.io/woowtech/woow-tunnel:latest"
    static let tokenVariable = "WOOW_TUNNEL_TOKEN"

    let id: Int64
    let name: String
    let type: String
    let tokenHint: String
    let publicURL: String
    let publicDomain: String

    var server: String { "tunnel.\(publicDomain):443" }
    var downloadURL: String { "https://downloads.\(publicDomain)/woow-tunnel/latest" }

    /// The name as it may appear in a comment: one line, no control or format characters.
    var commentName: String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return " "
            default: return scalar
            }
        }))
    }

    /// `(script, file name, instructions)` for a platform of ``platforms``.
    func script(for platform: String) -> (script: String, filename: String, instructions: String) {
        switch platform {
        case "linux":
            return (linux, "woow-tunnel-\(id)-linux.sh", """
                Save the script as woow-tunnel-\(id)-linux.sh on the Linux host (systemd required), then run \
                `export \(Self.tokenVariable)='<tunnel token>'` and `sudo -E bash woow-tunnel-\(id)-linux.sh`. \
                It installs the agent and the systemd service woow-tunnel-\(id); check it with `systemctl status woow-tunnel-\(id)`.
                """)
        case "macos":
            return (macos, "woow-tunnel-\(id)-macos.sh", """
                Save the script as woow-tunnel-\(id)-macos.sh on the Mac, then run in Terminal \
                `export \(Self.tokenVariable)='<tunnel token>'` and `sudo -E bash woow-tunnel-\(id)-macos.sh`. \
                It installs the agent and the launchd daemon app.woow.tunnel.\(id); check it with `sudo launchctl print system/app.woow.tunnel.\(id)`.
                """)
        case "windows":
            return (windows, "woow-tunnel-\(id)-windows.ps1", """
                Save the script as woow-tunnel-\(id)-windows.ps1, open PowerShell as Administrator and run \
                `$env:\(Self.tokenVariable) = '<tunnel token>'` then \
                `powershell -ExecutionPolicy Bypass -File .\\woow-tunnel-\(id)-windows.ps1`. \
                It installs the agent as the Windows service WoowTunnel\(id); check it with `Get-Service WoowTunnel\(id)`.
                """)
        default:
            let engine = engine
            return (docker, "woow-tunnel-\(id)-docker.sh", """
                On a host with \(engine), run `export \(Self.tokenVariable)='<tunnel token>'` and \
                `sh woow-tunnel-\(id)-docker.sh`. It starts the container woow-tunnel-\(id), restarted unless stopped; \
                check it with `\(engine) logs woow-tunnel-\(id)`.
                """)
        }
    }

    /// The container engine of the docker script: podman for a `podman` tunnel, else docker.
    var engine: String { type == "podman" ? "podman" : "docker" }

    /// The guard every POSIX script starts with.
    var shellTokenCheck: String {
        """
        if [ -z "${\(Self.tokenVariable):-}" ]; then
          echo "error: \(Self.tokenVariable) is not set. Export the tunnel token first: it is shown once, when the tunnel is created or its token regenerated." >&2
          exit 1
        fi
        """
    }

    func header(_ platform: String, comment: String = "#") -> String {
        """
        \(comment) Woow secure tunnel agent for \(platform): tunnel "\(commentName)" (id \(id), type \(type)), \(publicURL)
        \(comment) The token is never written in this script: it is read from \(Self.tokenVariable)
        \(comment) (this tunnel's token ends in "\(tokenHint)").
        """
    }
}
