-- wrk: call_kw res.partner search_read of 20 records, six fields (the session cookie is added by
-- bench/run with -H "Cookie: session_id=...").
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","method":"call","id":1,"params":{"model":"res.partner","method":"search_read","args":[[]],"kwargs":{"fields":["name","email","phone","city","is_company","parent_id"],"limit":20,"context":{"lang":"en_US"}}}}'
wrk.headers["Content-Type"] = "application/json"
