/// The script text of each platform (see ``TunnelScripts``). Raw strings: `\#(…)` interpolates,
/// everything else is the script verbatim.
extension TunnelScripts {
    var linux: String {
        #"""
        #!/usr/bin/env bash
        \#(header("Linux (systemd)"))
        # Run as root: export \#(Self.tokenVariable)='<tunnel token>'; sudo -E bash woow-tunnel-\#(id)-linux.sh
        set -euo pipefail

        TUNNEL_ID=\#(id)
        SERVER="\#(server)"
        DOWNLOAD_URL="\#(downloadURL)"
        SERVICE="woow-tunnel-\#(id)"
        CONFIG_DIR="/etc/woow-tunnel"

        \#(shellTokenCheck)
        if [ "$(id -u)" -ne 0 ]; then
          echo "error: run this script as root (sudo -E keeps \#(Self.tokenVariable))." >&2
          exit 1
        fi
        if ! command -v systemctl >/dev/null 2>&1; then
          echo "error: systemd is required; on a host without it, use the docker script." >&2
          exit 1
        fi
        case "$(uname -m)" in
          x86_64 | amd64) ARCH=amd64 ;;
          aarch64 | arm64) ARCH=arm64 ;;
          armv7l | armv7) ARCH=armv7 ;;
          *) echo "error: unsupported architecture $(uname -m)" >&2; exit 1 ;;
        esac

        tmp="$(mktemp)"
        trap 'rm -f "$tmp"' EXIT
        curl -fsSL "$DOWNLOAD_URL/woow-tunnel-linux-$ARCH" -o "$tmp"
        install -m 0755 "$tmp" /usr/local/bin/woow-tunnel

        # The token goes to a file only root can read; systemd hands it to the agent.
        install -d -m 0700 "$CONFIG_DIR"
        umask 077
        printf '\#(Self.tokenVariable)=%s\n' "$\#(Self.tokenVariable)" > "$CONFIG_DIR/$SERVICE.env"

        cat > "/etc/systemd/system/$SERVICE.service" <<UNIT
        [Unit]
        Description=Woow secure tunnel $TUNNEL_ID
        After=network-online.target
        Wants=network-online.target

        [Service]
        EnvironmentFile=$CONFIG_DIR/$SERVICE.env
        ExecStart=/usr/local/bin/woow-tunnel run --server $SERVER --tunnel $TUNNEL_ID
        Restart=always
        RestartSec=5
        DynamicUser=yes
        NoNewPrivileges=yes

        [Install]
        WantedBy=multi-user.target
        UNIT
        chmod 0644 "/etc/systemd/system/$SERVICE.service"
        systemctl daemon-reload
        systemctl enable --now "$SERVICE"
        systemctl restart "$SERVICE"
        echo "Tunnel $TUNNEL_ID is running: systemctl status $SERVICE"

        """#
    }

    var macos: String {
        #"""
        #!/usr/bin/env bash
        \#(header("macOS (launchd)"))
        # Run in Terminal: export \#(Self.tokenVariable)='<tunnel token>'; sudo -E bash woow-tunnel-\#(id)-macos.sh
        set -euo pipefail

        TUNNEL_ID=\#(id)
        SERVER="\#(server)"
        DOWNLOAD_URL="\#(downloadURL)"
        LABEL="app.woow.tunnel.\#(id)"
        CONFIG_DIR="/usr/local/etc/woow-tunnel"
        PLIST="/Library/LaunchDaemons/$LABEL.plist"

        \#(shellTokenCheck)
        if [ "$(id -u)" -ne 0 ]; then
          echo "error: run this script with sudo -E (it keeps \#(Self.tokenVariable))." >&2
          exit 1
        fi
        case "$(uname -m)" in
          x86_64) ARCH=amd64 ;;
          arm64) ARCH=arm64 ;;
          *) echo "error: unsupported architecture $(uname -m)" >&2; exit 1 ;;
        esac

        tmp="$(mktemp -t woow-tunnel)"
        trap 'rm -f "$tmp"' EXIT
        curl -fsSL "$DOWNLOAD_URL/woow-tunnel-darwin-$ARCH" -o "$tmp"
        mkdir -p /usr/local/bin
        install -m 0755 "$tmp" /usr/local/bin/woow-tunnel
        xattr -d com.apple.quarantine /usr/local/bin/woow-tunnel 2>/dev/null || true

        # The token goes to a file only root can read; the daemon reads it at start.
        mkdir -p "$CONFIG_DIR"
        chmod 0700 "$CONFIG_DIR"
        umask 077
        printf '%s' "$\#(Self.tokenVariable)" > "$CONFIG_DIR/$LABEL.token"

        cat > "$PLIST" <<PLIST
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0">
        <dict>
          <key>Label</key><string>$LABEL</string>
          <key>ProgramArguments</key>
          <array>
            <string>/usr/local/bin/woow-tunnel</string><string>run</string>
            <string>--server</string><string>$SERVER</string>
            <string>--tunnel</string><string>$TUNNEL_ID</string>
            <string>--token-file</string><string>$CONFIG_DIR/$LABEL.token</string>
          </array>
          <key>RunAtLoad</key><true/>
          <key>KeepAlive</key><true/>
          <key>StandardErrorPath</key><string>/var/log/woow-tunnel-$TUNNEL_ID.log</string>
        </dict>
        </plist>
        PLIST
        chown root:wheel "$PLIST"
        chmod 0644 "$PLIST"
        launchctl bootout system "$PLIST" 2>/dev/null || true
        launchctl bootstrap system "$PLIST"
        launchctl enable "system/$LABEL"
        echo "Tunnel $TUNNEL_ID is running: sudo launchctl print system/$LABEL"

        """#
    }

    var windows: String {
        #"""
        \#(header("Windows (service)"))
        # In PowerShell as Administrator:
        #   $env:\#(Self.tokenVariable) = '<tunnel token>'
        #   powershell -ExecutionPolicy Bypass -File .\woow-tunnel-\#(id)-windows.ps1
        #Requires -RunAsAdministrator
        $ErrorActionPreference = 'Stop'

        $TunnelId = \#(id)
        $Server = '\#(server)'
        $DownloadUrl = '\#(downloadURL)'
        $ServiceName = "WoowTunnel$TunnelId"

        if ([string]::IsNullOrEmpty($env:\#(Self.tokenVariable))) {
            [Console]::Error.WriteLine('error: \#(Self.tokenVariable) is not set. Set it first: the tunnel token is shown once, when the tunnel is created or its token regenerated.')
            exit 1
        }

        switch ($env:PROCESSOR_ARCHITECTURE) {
            'AMD64' { $Arch = 'amd64' }
            'ARM64' { $Arch = 'arm64' }
            default { throw "Unsupported architecture $($env:PROCESSOR_ARCHITECTURE)" }
        }

        $Dir = Join-Path $env:ProgramData 'Woow\Tunnel'
        New-Item -ItemType Directory -Force -Path $Dir | Out-Null
        $Exe = Join-Path $Dir 'woow-tunnel.exe'
        $TokenFile = Join-Path $Dir "tunnel-$TunnelId.token"

        $Existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
        if ($Existing) {
            Stop-Service -Name $ServiceName -Force -ErrorAction SilentlyContinue
            sc.exe delete $ServiceName | Out-Null
            Start-Sleep -Seconds 2
        }

        [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
        Invoke-WebRequest -UseBasicParsing -Uri "$DownloadUrl/woow-tunnel-windows-$Arch.exe" -OutFile $Exe

        # The token goes to a file only SYSTEM and Administrators can read; the service reads it at start.
        Set-Content -Path $TokenFile -Value $env:\#(Self.tokenVariable) -NoNewline -Encoding ASCII
        icacls $TokenFile /inheritance:r /grant:r '*S-1-5-18:F' '*S-1-5-32-544:F' | Out-Null

        $BinaryPath = "`"$Exe`" service --server $Server --tunnel $TunnelId --token-file `"$TokenFile`""
        New-Service -Name $ServiceName -BinaryPathName $BinaryPath -DisplayName "Woow secure tunnel $TunnelId" -StartupType Automatic | Out-Null
        sc.exe failure $ServiceName reset= 86400 actions= restart/5000 | Out-Null
        Start-Service -Name $ServiceName
        Write-Host "Tunnel $TunnelId is running: Get-Service $ServiceName"

        """#
    }

    var docker: String {
        #"""
        #!/bin/sh
        \#(header(engine == "podman" ? "Podman (container)" : "Docker (container)"))
        # Run: export \#(Self.tokenVariable)='<tunnel token>'; sh woow-tunnel-\#(id)-docker.sh
        set -eu

        \#(shellTokenCheck)
        if ! command -v \#(engine) >/dev/null 2>&1; then
          echo "error: \#(engine) is not installed." >&2
          exit 1
        fi

        # -e \#(Self.tokenVariable) without a value passes the variable from this shell: the token is
        # neither in this script nor on the command line.
        \#(engine) rm -f woow-tunnel-\#(id) >/dev/null 2>&1 || true
        \#(engine) run -d --name woow-tunnel-\#(id) --restart unless-stopped --network host \
          -e \#(Self.tokenVariable) \
          \#(Self.image) run --server \#(server) --tunnel \#(id)
        echo "Tunnel \#(id) is running: \#(engine) logs woow-tunnel-\#(id)"

        """#
    }
}
