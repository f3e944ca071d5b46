-- pgbench floor for call_kw res.partner search_read (limit = 20 or 80), the SQL Woow runs for one
-- such request, as captured from the server with log_statement = all. The ORM generates these
-- statements (Sources/ORM), so bench/run does not look for them in the Swift sources.
-- Variables set by bench/run with pgbench -D are sid_hash, touch_interval, max_inactivity (as in
-- session_info.sql). The page size (lim) is not a parameter - bench/run writes 20 or 80 into a copy
-- of this file, because Woow writes LIMIT as a literal (a parameter makes PostgreSQL re-plan the
-- statement at every execution, see docs/orm.md).
-- No colons in these comments: pgbench would take them for variables.

-- The request runs in a READ COMMITTED transaction (DatabaseAccess.transaction), but both of its
-- statements only read, and reads go ahead of the pending BEGIN, so Woow sends neither BEGIN
-- nor COMMIT for it (see docs/architecture.md). Once the session has been seen, Woow sends the
-- two statements in one libpq pipeline (the session lookup travels with the first read, see
-- docs/sessions.md); pgbench sends them one by one.

-- 1. Session lookup (Sources/Identity/SessionStore.swift, SessionStore.load).
SELECT s.uid, s.db, u.login, u.lang, u.tz,
       s.last_seen < now() - make_interval(secs => :touch_interval) AS stale,
       array(SELECT g.xmlid FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid
             WHERE r.uid = s.uid AND g.xmlid IS NOT NULL) AS groups
FROM http_session s JOIN res_users u ON u.id = s.uid
WHERE s.sid_hash = :sid_hash
  AND s.last_seen > now() - make_interval(secs => :max_inactivity)
  AND u.active AND s.credential_hash = sha256(convert_to(u.login || chr(31) || coalesce(u.password, ''), 'UTF8'));

-- 2. search_read in one statement (the ORM's RecordSet.searchRead) - the filter (active records),
--    order (name, id) and page with the six columns, and the companies' display names joined in.
SELECT "res_partner"."id", "res_partner"."name", "res_partner"."email", "res_partner"."phone", "res_partner"."city",
       "res_partner"."is_company", "res_partner"."parent_id",
       CASE WHEN "res_partner__1"."id" IS NULL THEN NULL
            ELSE CASE WHEN "res_partner__1"."parent_id" IS NOT NULL AND NOT "res_partner__1"."is_company"
                      THEN coalesce((SELECT p."name" FROM "res_partner" AS p WHERE p."id" = "res_partner__1"."parent_id"), '')
                           || ', ' || coalesce("res_partner__1"."name", '')
                      ELSE coalesce("res_partner__1"."name", '') END END
FROM "res_partner" AS "res_partner"
LEFT JOIN "res_partner" AS "res_partner__1" ON "res_partner__1"."id" = "res_partner"."parent_id"
WHERE "res_partner"."active" = 't' ORDER BY "res_partner"."name", "res_partner"."id" LIMIT :lim;
