-- pgbench floor for GET /paas/api/v1/dashboard/stats, the SQL Woow runs for one such request
-- (no transaction, DatabaseAccess.connection). Variables as in user_me.sql.
-- No colons in these comments: pgbench would take them for variables. bench/run checks that
-- each statement still matches its Swift source and warns when it does not.

-- 1. Session lookup, copied from Sources/Identity/SessionStore.swift, SessionStore.load.
SELECT s.uid, s.db, u.login, u.lang, u.tz,
       s.last_seen < now() - make_interval(secs => :touch_interval) AS stale,
       array(SELECT g.xmlid FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid
             WHERE r.uid = s.uid AND g.xmlid IS NOT NULL) AS groups
FROM http_session s JOIN res_users u ON u.id = s.uid
WHERE s.sid_hash = :sid_hash
  AND s.last_seen > now() - make_interval(secs => :max_inactivity)
  AND u.active AND s.credential_hash = sha256(convert_to(u.login || chr(31) || coalesce(u.password, ''), 'UTF8'));

-- 2. The stats, copied from Sources/PaaS/Routes/DashboardRoutes.swift, DashboardRoutes.stats.
WITH month AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS first_day)
SELECT t.plan, t.credits_balance,
       members.total, members.active, members.pending,
       (SELECT coalesce(sum(l.amount), 0) FROM woow_usage_line l
        WHERE l.team_id = t.id AND l.date >= month.first_day
          AND l.date < (month.first_day + interval '1 month')::date),
       to_char(month.first_day + interval '1 month', 'YYYY-MM-DD'),
       (SELECT count(*) FROM woow_workspace WHERE team_id = t.id),
       (SELECT count(*) FROM woow_cloud_app a JOIN woow_workspace w ON w.id = a.workspace_id
        WHERE w.team_id = t.id),
       (SELECT count(*) FROM woow_tunnel x JOIN woow_workspace w ON w.id = x.workspace_id
        WHERE w.team_id = t.id)
FROM woow_current_member(:uid) AS m
JOIN woow_team t ON t.id = m.team_id
CROSS JOIN month
CROSS JOIN LATERAL (
    SELECT count(*) AS total, count(*) FILTER (WHERE status = 'active') AS active,
           count(*) FILTER (WHERE status = 'pending') AS pending
    FROM woow_team_member WHERE team_id = t.id) AS members;
