-- pgbench floor for POST /web/session/get_session_info, the SQL Woow runs for one such request.
-- Variables (set by bench/run with pgbench -D) are sid_hash = '\x<sha256 hex of the session id>',
-- uid = the admin's id, touch_interval = 60, max_inactivity = 604800 (IdentityConfiguration defaults).
-- No colons in these comments: pgbench would take them for variables. bench/run checks that
-- each statement still matches its Swift source and warns when it does not.
-- With -M prepared each colon-variable becomes a bind parameter, as Woow's $n parameters are.

-- 1. Session lookup, copied from Sources/Identity/SessionStore.swift, SessionStore.load
--    (credentialExpression inlined; the UPDATE of last_seen only runs when the session is stale,
--    that is at most once a minute, so it is left out).
SELECT s.uid, s.db, u.login, u.lang, u.tz,
       s.last_seen < now() - make_interval(secs => :touch_interval) AS stale,
       array(SELECT g.xmlid FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid
             WHERE r.uid = s.uid AND g.xmlid IS NOT NULL) AS groups
FROM http_session s JOIN res_users u ON u.id = s.uid
WHERE s.sid_hash = :sid_hash
  AND s.last_seen > now() - make_interval(secs => :max_inactivity)
  AND u.active AND s.credential_hash = sha256(convert_to(u.login || chr(31) || coalesce(u.password, ''), 'UTF8'));

-- 2. Profile, copied from Sources/Identity/UserAccounts.swift, UserAccounts.profile
--    (called by SessionRoutes.sessionInfo in Sources/WebAPI/Sessions/SessionRoutes.swift).
--    The one change is the format literal, written E'...\072...' (072 is the colon) because pgbench
--    replaces a colon-word even inside quotes. The value, plan and cost are the same.
SELECT u.id, u.login, p.name, p.email, p.id,
       CASE WHEN parent.name IS NOT NULL THEN parent.name || ', ' || p.name ELSE p.name END,
       to_char(p.write_date, E'YYYY-MM-DD HH24\072MI\072SS'), u.lang, u.tz,
       coalesce(array(SELECT g.xmlid FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid
                      WHERE r.uid = u.id AND g.xmlid IS NOT NULL), '{}')
FROM res_users u
JOIN res_partner p ON p.id = u.partner_id
LEFT JOIN res_partner parent ON parent.id = p.parent_id
WHERE u.id = :uid;
