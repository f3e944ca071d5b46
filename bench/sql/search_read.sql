-- pgbench floor for call_kw res.partner search_read (limit = 20 or 80), the SQL Woow runs for one
-- such request, as captured from the server with log_statement = all. The ORM generates these
-- statements (Sources/ORM), so bench/run does not look for them in the Swift sources.
-- Variables set by bench/run with pgbench -D are sid_hash, touch_interval, max_inactivity (as in
-- session_info.sql), lim = the page size, ids = the page's ids and parent_ids = their companies' ids.
-- No colons in these comments: pgbench would take them for variables.

-- The request is one transaction (DatabaseAccess.transaction).
BEGIN;

-- 1. Session lookup (Sources/Identity/SessionStore.swift, SessionStore.load).
SELECT s.uid, s.db, u.login, u.lang, u.tz,
       s.last_seen < now() - make_interval(secs => :touch_interval) AS stale,
       array(SELECT g.xmlid FROM res_groups_users_rel r JOIN res_groups g ON g.id = r.gid
             WHERE r.uid = s.uid AND g.xmlid IS NOT NULL) AS groups
FROM http_session s JOIN res_users u ON u.id = s.uid
WHERE s.sid_hash = :sid_hash
  AND s.last_seen > now() - make_interval(secs => :max_inactivity)
  AND u.active AND s.credential_hash = sha256(convert_to(u.login || chr(31) || coalesce(u.password, ''), 'UTF8'));

-- 2. search (active records, default order name, id).
SELECT "res_partner"."id" FROM "res_partner" AS "res_partner" WHERE "res_partner"."active" = 't'
ORDER BY "res_partner"."name", "res_partner"."id" LIMIT :lim;

-- 3. read of the six fields.
SELECT "res_partner"."id", "res_partner"."name", "res_partner"."email", "res_partner"."phone", "res_partner"."city",
       "res_partner"."is_company", "res_partner"."parent_id"
FROM "res_partner" AS "res_partner" WHERE "res_partner"."id" = ANY(:ids::int8[]) AND TRUE;

-- 4. display names of the parent companies (many2one values).
SELECT "res_partner"."id", CASE WHEN "res_partner"."parent_id" IS NOT NULL AND NOT "res_partner"."is_company"
       THEN coalesce((SELECT p."name" FROM "res_partner" AS p WHERE p."id" = "res_partner"."parent_id"), '') || ', '
            || coalesce("res_partner"."name", '') ELSE coalesce("res_partner"."name", '') END
FROM "res_partner" AS "res_partner" WHERE "res_partner"."id" = ANY(:parent_ids::int8[]);

COMMIT;
