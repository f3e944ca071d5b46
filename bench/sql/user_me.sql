-- pgbench floor for GET /paas/api/v1/user/me, the SQL Woow runs for one such request.
-- Variables (set by bench/run with pgbench -D) are sid_hash = '\x<sha256 hex of the session id>',
-- uid = the admin's id, touch_interval = 60, max_inactivity = 604800 (IdentityConfiguration defaults).
-- No colons in these comments: pgbench would take them for variables. bench/run checks that
-- each statement still matches its Swift source and warns when it does not.
-- With -M prepared each colon-variable becomes a bind parameter, as Woow's $n parameters are.

-- 1. Session lookup, copied from Sources/Identity/SessionStore.swift, SessionStore.load
--    (run by AppRouteRunner for auth: .user; credentialExpression inlined; the UPDATE of last_seen
--    only runs when the session is stale, that is at most once a minute, so it is left out).
SELECT s.uid, s.db, u.login, u.lang, u.tz,
       s.last_seen < now() - make_interval(secs => :touch_interval) AS stale,
       array(SELECT g.xmlid FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid
             WHERE r.uid = s.uid AND g.xmlid IS NOT NULL) AS groups
FROM http_session s JOIN res_users u ON u.id = s.uid
WHERE s.sid_hash = :sid_hash
  AND s.last_seen > now() - make_interval(secs => :max_inactivity)
  AND u.active AND s.credential_hash = sha256(convert_to(u.login || chr(31) || coalesce(u.password, ''), 'UTF8'));

-- 2. User/me, copied from Sources/PaaS/Routes/UserRoutes.swift, UserRoutes.me.
SELECT u.id, p.name, coalesce(p.email, u.login), coalesce(t.plan, u.plan), t.credits_balance, m.role,
       u.avatar_version
FROM res_users u
JOIN res_partner p ON p.id = u.partner_id
LEFT JOIN woow_current_member(u.id) m ON true
LEFT JOIN woow_team t ON t.id = m.team_id
WHERE u.id = :uid;
