-- pgbench floor for GET /paas/api/v1/billing/overview, the SQL Woow runs for one such request
-- (no transaction, DatabaseAccess.connection). Variables as in user_me.sql, plus team = the
-- demo team's id. No colons in these comments: pgbench would take them for variables.
-- bench/run checks that each statement still matches its Swift source and warns when it does not.

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
-- 2. The caller's membership, copied from Sources/PaaS/Support/PaaSRequest.swift (PaaSRequest.membership).
SELECT m.member_id, m.team_id, t.name, t.plan, m.role
FROM woow_current_member(:uid) AS m JOIN woow_team AS t ON t.id = m.team_id;

-- 3. The overview, copied from Sources/PaaS/Routes/BillingRoutes.swift (BillingRoutes.overview).
WITH month AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AS first_day)
SELECT t.credits_balance, t.auto_reload_enabled, t.auto_reload_threshold, t.auto_reload_amount,
       (SELECT coalesce(sum(l.amount), 0) FROM woow_usage_line l
        WHERE l.team_id = t.id AND l.date >= month.first_day::date
          AND l.date < (month.first_day + interval '1 month')::date),
       (SELECT coalesce(sum(tp.monthly_price), 0) FROM woow_cloud_app a
        JOIN woow_workspace w ON w.id = a.workspace_id JOIN woow_app_template tp ON tp.id = a.template_id
        WHERE w.team_id = t.id AND a.status = 'running'),
       floor(extract(epoch FROM (month.first_day + interval '1 month') - (now() AT TIME ZONE 'UTC')) / 3600)::bigint
FROM woow_team t CROSS JOIN month WHERE t.id = :team;

-- 4. The cards (for the default one), copied from Sources/PaaS/Routes/PaymentMethodRoutes.swift (list).
SELECT reference, brand, last_four, exp_month, exp_year, is_default FROM woow_payment_method
WHERE team_id = :team ORDER BY id;
