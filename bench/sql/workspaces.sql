-- pgbench floor for GET /paas/api/v1/workspaces?per_page=20, the SQL Woow runs for one such request,
-- as captured from the server with log_statement = all. The route reads without a transaction
-- (DatabaseAccess.connection); the ORM generates statements 3 to 5 (Sources/ORM), so bench/run does
-- not look for them in the Swift sources.
-- Variables set by bench/run with pgbench -D are sid_hash, touch_interval, max_inactivity (as in
-- session_info.sql), uid, all_ids = every workspace id the admin may read, page_ids = the 20 newest.
-- No colons in these comments: pgbench would take them for variables.

-- 1. Session lookup (Sources/Identity/SessionStore.swift, SessionStore.load).
SELECT s.uid, s.db, u.login, u.lang, u.tz,
       s.last_seen < now() - make_interval(secs => :touch_interval) AS stale,
       array(SELECT g.xmlid FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid
             WHERE r.uid = s.uid AND g.xmlid IS NOT NULL) AS groups
FROM http_session s JOIN res_users u ON u.id = s.uid
WHERE s.sid_hash = :sid_hash
  AND s.last_seen > now() - make_interval(secs => :max_inactivity)
  AND u.active AND s.credential_hash = sha256(convert_to(u.login || chr(31) || coalesce(u.password, ''), 'UTF8'));

-- 2. The record-rule variable woow_readable_workspace_ids (Sources/PaaS/Security/PaaSAccess.swift).
SELECT coalesce(array_agg(w.id), '{}')
FROM woow_current_member(:uid) AS m JOIN woow_workspace AS w ON w.team_id = m.team_id
WHERE m.role IN ('owner', 'admin')
   OR (m.role IN ('user', 'guest') AND EXISTS (
        SELECT 1 FROM woow_team_member_workspace_rel AS r
        WHERE r.member_id = m.member_id AND r.workspace_id = w.id));

-- 3. search_count, then 4. search_read in one statement (newest first, the first page), then
-- 5. the app counts of the page (the computed field app_count).
SELECT count(*) FROM "woow_workspace" AS "woow_workspace" WHERE "woow_workspace"."id" = ANY(:all_ids::int8[]);
SELECT "woow_workspace"."id", "woow_workspace"."name", "woow_workspace"."description",
       to_char("woow_workspace"."create_date", E'YYYY-MM-DD HH24\072MI\072SS'),
       to_char("woow_workspace"."write_date", E'YYYY-MM-DD HH24\072MI\072SS'), "woow_workspace"."status"
FROM "woow_workspace" AS "woow_workspace"
WHERE "woow_workspace"."id" = ANY(:all_ids::int8[])
ORDER BY "woow_workspace"."id" DESC LIMIT 20;
SELECT workspace_id, count(*) FROM woow_cloud_app WHERE workspace_id = ANY(:page_ids::int8[]) GROUP BY workspace_id;
