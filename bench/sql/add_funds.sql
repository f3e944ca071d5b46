-- pgbench floor for POST /paas/api/v1/billing/add-funds {amount 10, payment_method_id}, the SQL Woow
-- runs for one such request, as captured from the server with log_statement = all (the statements
-- are spread over CreditLedger, InvoiceIssuer, StoredCard and ActivityLog in Sources/PaaS, so
-- bench/run does not look for them in the Swift sources). Variables as in user_me.sql, plus team and
-- pm = the demo team's id and its default card's reference. Woow generates the txn_ / ivc_ references
-- and the gateway's charge id in Swift; here md5 of random() stands in for them. Every top-up locks
-- the team's row, so the requests of one team run one after the other, in Woow as here.
-- No colons in these comments: pgbench would take them for variables.

BEGIN;

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
-- 2. The caller's membership (PaaSRequest.membership).
SELECT m.member_id, m.team_id, t.name, t.plan, m.role
FROM woow_current_member(:uid) AS m JOIN woow_team AS t ON t.id = m.team_id;

-- 3. The card (StoredCard.find).
SELECT id, reference, brand, last_four, gateway_token FROM woow_payment_method
WHERE reference = :pm AND team_id = :team
\gset card_

-- 4. The team's row lock, then the new balance (CreditLedger.topUp).
SELECT credits_balance, auto_reload_enabled, auto_reload_threshold, auto_reload_amount
FROM woow_team WHERE id = :team FOR UPDATE;
UPDATE woow_team SET credits_balance = credits_balance + 10.00,
       write_date = now() AT TIME ZONE 'UTC'
WHERE id = :team RETURNING credits_balance
\gset team_

-- 5. The paid invoice with its gapless number and its line (InvoiceIssuer).
INSERT INTO woow_invoice_sequence (year, last_number)
VALUES (extract(year FROM now() AT TIME ZONE 'UTC')::int, 1)
ON CONFLICT (year) DO UPDATE SET last_number = woow_invoice_sequence.last_number + 1
RETURNING year, last_number
\gset seq_
INSERT INTO woow_invoice (reference, invoice_number, team_id, date, amount, status, create_uid, write_uid)
VALUES ('ivc_' || substr(md5(random()::text), 1, 24), 'INV-' || :seq_year || '-' || lpad(:seq_last_number::text, 6, '0'),
        :team, (now() AT TIME ZONE 'UTC')::date, 10.00, 'paid', :uid, :uid)
RETURNING id
\gset invoice_
INSERT INTO woow_invoice_line (invoice_id, sequence, description, amount, create_uid, write_uid)
SELECT :invoice_id, n * 10, d, a, :uid, :uid
FROM unnest(ARRAY['Credits top-up — Visa •••• 4242']::varchar[], ARRAY[10.00]::numeric[])
     WITH ORDINALITY AS l(d, a, n);

-- 6. The transaction and the activity.
INSERT INTO woow_transaction (reference, team_id, type, amount, balance_after, description, payment_method_id,
                              invoice_id, gateway_reference, user_id, create_uid, write_uid)
VALUES ('txn_' || substr(md5(random()::text), 1, 24), :team, 'topup', 10.00, :team_credits_balance,
        'Credits top-up — Visa •••• 4242', :card_id, :invoice_id, 'ch_test_' || substr(md5(random()::text), 1, 24),
        :uid, :uid, :uid)
RETURNING id
\gset txn_
INSERT INTO woow_activity (team_id, user_id, action, target, res_model, res_id, create_uid, write_uid)
VALUES (:team, :uid, 'added funds', '10.00 USD (Visa •••• 4242)', 'woow.transaction', :txn_id, :uid, :uid);

COMMIT;
