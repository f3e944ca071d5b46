-- wrk: POST an Odoo-style JSON-RPC call with no parameters (the session cookie, when needed, is
-- added by bench/run with -H "Cookie: session_id=...").
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","method":"call","params":{},"id":1}'
wrk.headers["Content-Type"] = "application/json"
