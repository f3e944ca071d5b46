import Hummingbird

/// `GET /`, `/web` and `/odoo`: a small HTML page that says what this server is and where to go
/// from here (the API entry points, health, metrics, the documentation). Odoo's web client lives
/// at `/web` and `/odoo`; Woow serves no web client there, so those paths answer the same page
/// rather than an empty 404. Logging out lands here too.
public enum HomePageRoutes {
    /// The paths that answer the page.
    public static let paths = ["/", "/web", "/odoo"]

    /// Registers the page on every path of ``paths``.
    public static func register(on router: Router<WoowRequestContext>) {
        for path in paths {
            router.get(RouterPath(path)) { _, _ -> Response in
                .text(page, status: .ok, contentType: "text/html; charset=utf-8")
            }
        }
    }

    /// The page: static, no script, no external resource.
    static let page = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Woow — WoowTech PaaS application server</title>
        <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}code{background:#f3f3f3;padding:0 .2em}</style>
        </head>
        <body>
        <h1>Woow</h1>
        <p>This is <strong>Woow</strong>, the application server of the WoowTech PaaS platform. It speaks
        Odoo&nbsp;18's JSON-RPC protocol, so Odoo client libraries and scripts work against it, and it serves
        the PaaS application API. It has no web client of its own yet: use the API.</p>
        <h2>Where to go</h2>
        <ul>
        <li><a href="/health"><code>/health</code></a>: the server and its database (JSON)</li>
        <li><a href="/metrics"><code>/metrics</code></a>: Prometheus metrics</li>
        <li><code>POST /web/session/authenticate</code>: log in (JSON-RPC), then call
        <code>/web/dataset/call_kw</code>, <code>/jsonrpc</code> or <code>/xmlrpc/2/…</code></li>
        <li><code>/paas/api/v1/…</code>: the PaaS application API, over REST or JSON-RPC</li>
        </ul>
        <h2>Documentation</h2>
        <p>The documentation ships with the server's source, in its <code>README.md</code> and <code>docs/</code>
        directory: <code>docs/sessions.md</code> (logging in), <code>docs/rpc.md</code> (model RPC),
        <code>docs/api.md</code> (the application API, with every route and a curl example of each),
        <code>docs/operations.md</code> and <code>docs/configuration.md</code> (running it).</p>
        </body>
        </html>

        """
}
