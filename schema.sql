-- Woow database schema.
--
-- This file is the source of the DDL. `woow db init` applies it in one transaction; every
-- statement is idempotent (IF NOT EXISTS), so applying it again changes nothing. Table names
-- follow Odoo: the model `res.users` lives in `res_users`, `woow.team` in `woow_team`.
-- The schema version below is checked at start-up; a database with tables but no `woow_schema`
-- row is refused rather than modified.

CREATE TABLE IF NOT EXISTS woow_schema (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version     integer NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- Contacts (res.partner). Users point at their partner for name and e-mail, as in Odoo.
CREATE TABLE IF NOT EXISTS res_partner (
    id          bigserial PRIMARY KEY,
    name        varchar NOT NULL,
    email       varchar,
    phone       varchar,
    street      varchar,
    city        varchar,
    zip         varchar,
    country     varchar,
    is_company  boolean NOT NULL DEFAULT false,
    parent_id   bigint REFERENCES res_partner (id) ON DELETE SET NULL,
    active      boolean NOT NULL DEFAULT true,
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS res_partner_parent_id_idx ON res_partner (parent_id);
-- The model's default order (name, id): a page of contacts is an index scan of its rows, not a
-- sort of the whole table (5x fewer PostgreSQL CPU per call_kw search_read of 20 here).
CREATE INDEX IF NOT EXISTS res_partner_name_id_idx ON res_partner (name, id);

-- Tenants (woow.team). Credits are exact NUMERIC, never floating point.
CREATE TABLE IF NOT EXISTS woow_team (
    id              bigserial PRIMARY KEY,
    name            varchar NOT NULL,
    plan            varchar NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'enterprise')),
    credits_balance numeric(14, 2) NOT NULL DEFAULT 0,
    create_uid      bigint,
    create_date     timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid       bigint,
    write_date      timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

-- Users (res.users). `password` holds a passlib pbkdf2-sha512 hash, never a clear password.
CREATE TABLE IF NOT EXISTS res_users (
    id              bigserial PRIMARY KEY,
    login           varchar NOT NULL UNIQUE,
    password        varchar,
    partner_id      bigint NOT NULL REFERENCES res_partner (id) ON DELETE RESTRICT,
    active          boolean NOT NULL DEFAULT true,
    lang            varchar NOT NULL DEFAULT 'en_US',
    tz              varchar,
    plan            varchar NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'enterprise')),
    current_team_id bigint REFERENCES woow_team (id) ON DELETE SET NULL,
    create_uid      bigint,
    create_date     timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid       bigint,
    write_date      timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS res_users_partner_id_idx ON res_users (partner_id);

-- Groups (res.groups) and membership. `xmlid` is the stable external id (`base.group_system`).
CREATE TABLE IF NOT EXISTS res_groups (
    id          bigserial PRIMARY KEY,
    name        varchar NOT NULL,
    xmlid       varchar UNIQUE,
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE IF NOT EXISTS res_groups_users_rel (
    gid bigint NOT NULL REFERENCES res_groups (id) ON DELETE CASCADE,
    uid bigint NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
    PRIMARY KEY (gid, uid)
);
CREATE INDEX IF NOT EXISTS res_groups_users_rel_uid_idx ON res_groups_users_rel (uid);

-- Team membership (woow.team.member) with the member's role.
CREATE TABLE IF NOT EXISTS woow_team_member (
    id          bigserial PRIMARY KEY,
    team_id     bigint NOT NULL REFERENCES woow_team (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
    role        varchar NOT NULL CHECK (role IN ('owner', 'admin', 'user', 'guest')),
    status      varchar NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'offline')),
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    UNIQUE (team_id, user_id)
);
CREATE INDEX IF NOT EXISTS woow_team_member_user_id_idx ON woow_team_member (user_id, team_id);

-- Server-side sessions, shared by every server instance. Only a SHA-256 of the cookie value is
-- stored. `credential_hash` binds the session to the user's login and password hash at login
-- time: changing either (or deactivating the user) ends every session of that user.
CREATE TABLE IF NOT EXISTS http_session (
    sid_hash        bytea PRIMARY KEY,
    uid             bigint NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
    db              varchar NOT NULL,
    credential_hash bytea NOT NULL,
    context         jsonb NOT NULL DEFAULT '{}',
    remote_addr     varchar,
    user_agent      varchar,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS http_session_uid_idx ON http_session (uid);
CREATE INDEX IF NOT EXISTS http_session_last_seen_idx ON http_session (last_seen);

-- Failed-login counters for the brute-force cooldown, keyed `login:<login>` and `ip:<address>`,
-- shared by every server instance.
CREATE TABLE IF NOT EXISTS auth_login_failure (
    key          varchar PRIMARY KEY,
    failures     integer NOT NULL,
    last_failure timestamptz NOT NULL
);

INSERT INTO woow_schema (singleton, version) VALUES (true, 1)
ON CONFLICT (singleton) DO NOTHING;
-- (The version is raised to this build's by the schema manager once the whole file has run.)

-- The base groups every installation has.
INSERT INTO res_groups (name, xmlid) VALUES
    ('Internal User', 'base.group_user'),
    ('Settings', 'base.group_system'),
    ('Access Rights', 'base.group_erp_manager')
ON CONFLICT (xmlid) DO NOTHING;

-- Introspection of the model registry (ir.model, ir.model.fields), rewritten from the registry
-- at every start-up: clients use them to check that a model or a field exists.
CREATE TABLE IF NOT EXISTS ir_model (
    id          bigserial PRIMARY KEY,
    model       varchar NOT NULL UNIQUE,
    name        varchar NOT NULL,
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE IF NOT EXISTS ir_model_fields (
    id                bigserial PRIMARY KEY,
    model_id          bigint NOT NULL REFERENCES ir_model (id) ON DELETE CASCADE,
    model             varchar NOT NULL,
    name              varchar NOT NULL,
    field_description varchar NOT NULL,
    ttype             varchar NOT NULL,
    relation          varchar,
    required          boolean NOT NULL DEFAULT false,
    readonly          boolean NOT NULL DEFAULT false,
    store             boolean NOT NULL DEFAULT true,
    create_uid        bigint,
    create_date       timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid         bigint,
    write_date        timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    UNIQUE (model, name)
);

-- ---------------------------------------------------------------------------------------------
-- Schema version 2: the PaaS application (teams and roles, workspaces, marketplace, cloud apps,
-- activities, invitations, the job queue of the background worker).
-- ---------------------------------------------------------------------------------------------

-- Profile, avatar and notification preferences of users.
ALTER TABLE res_users ADD COLUMN IF NOT EXISTS two_factor_enabled boolean NOT NULL DEFAULT false;
ALTER TABLE res_users ADD COLUMN IF NOT EXISTS avatar bytea;
ALTER TABLE res_users ADD COLUMN IF NOT EXISTS avatar_mimetype varchar;
ALTER TABLE res_users ADD COLUMN IF NOT EXISTS avatar_version integer NOT NULL DEFAULT 0;
ALTER TABLE res_users ADD COLUMN IF NOT EXISTS email_alerts boolean NOT NULL DEFAULT true;
ALTER TABLE res_users ADD COLUMN IF NOT EXISTS push_notifications boolean NOT NULL DEFAULT true;
ALTER TABLE res_users ADD COLUMN IF NOT EXISTS billing_alerts boolean NOT NULL DEFAULT true;
ALTER TABLE res_users ADD COLUMN IF NOT EXISTS security_alerts boolean NOT NULL DEFAULT true;
ALTER TABLE res_users ADD COLUMN IF NOT EXISTS weekly_report boolean NOT NULL DEFAULT false;

-- Auto-reload settings of a team (billing).
ALTER TABLE woow_team ADD COLUMN IF NOT EXISTS auto_reload_enabled boolean NOT NULL DEFAULT false;
ALTER TABLE woow_team ADD COLUMN IF NOT EXISTS auto_reload_threshold numeric(14, 2) NOT NULL DEFAULT 0;
ALTER TABLE woow_team ADD COLUMN IF NOT EXISTS auto_reload_amount numeric(14, 2) NOT NULL DEFAULT 0;
ALTER TABLE woow_team DROP CONSTRAINT IF EXISTS woow_team_credits_balance_check;
ALTER TABLE woow_team ADD CONSTRAINT woow_team_credits_balance_check CHECK (credits_balance >= 0);

-- A member is a user of the team, or (status `pending`, no user yet) an invitee known by e-mail.
ALTER TABLE woow_team_member ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE woow_team_member ADD COLUMN IF NOT EXISTS email varchar;
ALTER TABLE woow_team_member DROP CONSTRAINT IF EXISTS woow_team_member_user_or_pending;
ALTER TABLE woow_team_member ADD CONSTRAINT woow_team_member_user_or_pending
    CHECK (user_id IS NOT NULL OR (status = 'pending' AND email IS NOT NULL));
CREATE UNIQUE INDEX IF NOT EXISTS woow_team_member_pending_email_idx
    ON woow_team_member (team_id, lower(email)) WHERE user_id IS NULL;
CREATE INDEX IF NOT EXISTS woow_team_member_team_id_idx ON woow_team_member (team_id, id);

-- The membership a user works in: `current_team_id` when the user is an active (or offline)
-- member of it, else the first team they belong to. Record rules build on it.
CREATE OR REPLACE FUNCTION woow_current_member(p_uid bigint)
RETURNS TABLE (member_id bigint, team_id bigint, role varchar)
LANGUAGE sql STABLE AS $$
    SELECT m.id, m.team_id, m.role
    FROM woow_team_member m JOIN res_users u ON u.id = m.user_id
    WHERE m.user_id = p_uid AND m.status IN ('active', 'offline')
    ORDER BY (m.team_id = u.current_team_id) DESC NULLS LAST, m.team_id
    LIMIT 1
$$;

-- Workspaces (woow.workspace) of a team.
CREATE TABLE IF NOT EXISTS woow_workspace (
    id          bigserial PRIMARY KEY,
    team_id     bigint NOT NULL REFERENCES woow_team (id) ON DELETE CASCADE,
    name        varchar NOT NULL,
    description text,
    status      varchar NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_workspace_team_id_idx ON woow_workspace (team_id, id);

-- Which workspaces a user or guest member may use (owners and admins use all of their team's).
CREATE TABLE IF NOT EXISTS woow_team_member_workspace_rel (
    member_id    bigint NOT NULL REFERENCES woow_team_member (id) ON DELETE CASCADE,
    workspace_id bigint NOT NULL REFERENCES woow_workspace (id) ON DELETE CASCADE,
    PRIMARY KEY (member_id, workspace_id)
);
CREATE INDEX IF NOT EXISTS woow_team_member_workspace_rel_workspace_idx ON woow_team_member_workspace_rel (workspace_id);

-- Invitations (woow.team.invitation): `reference` is the public id (`inv_…`); only a SHA-256 of
-- the token e-mailed to the invitee is stored.
CREATE TABLE IF NOT EXISTS woow_team_invitation (
    id           bigserial PRIMARY KEY,
    reference    varchar NOT NULL UNIQUE,
    team_id      bigint NOT NULL REFERENCES woow_team (id) ON DELETE CASCADE,
    member_id    bigint REFERENCES woow_team_member (id) ON DELETE SET NULL,
    email        varchar NOT NULL,
    role         varchar NOT NULL CHECK (role IN ('admin', 'user', 'guest')),
    status       varchar NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'cancelled', 'expired')),
    token_hash   varchar NOT NULL UNIQUE,
    expires_at   timestamp NOT NULL,
    send_count   integer NOT NULL DEFAULT 1,
    last_sent_at timestamp,
    accepted_at  timestamp,
    invited_by   bigint REFERENCES res_users (id) ON DELETE SET NULL,
    create_uid   bigint,
    create_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid    bigint,
    write_date   timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_team_invitation_team_id_idx ON woow_team_invitation (team_id, status);

-- Outgoing e-mail (woow.mail.outbox): every message is kept here; a configured SMTP relay sends it.
CREATE TABLE IF NOT EXISTS woow_mail_outbox (
    id          bigserial PRIMARY KEY,
    team_id     bigint REFERENCES woow_team (id) ON DELETE SET NULL,
    email_to    varchar NOT NULL,
    subject     varchar NOT NULL,
    body        text NOT NULL,
    state       varchar NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed', 'kept')),
    attempts    integer NOT NULL DEFAULT 0,
    last_error  varchar,
    sent_at     timestamp,
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_mail_outbox_queued_idx ON woow_mail_outbox (id) WHERE state = 'queued';

-- The marketplace catalogue (woow.app.template); `code` is the public id (`odoo`, `n8n`, …).
CREATE TABLE IF NOT EXISTS woow_app_template (
    id            bigserial PRIMARY KEY,
    code          varchar NOT NULL UNIQUE,
    name          varchar NOT NULL,
    description   text,
    icon_url      varchar,
    categories    jsonb NOT NULL DEFAULT '[]',
    monthly_price numeric(12, 2) NOT NULL DEFAULT 0 CHECK (monthly_price >= 0),
    cpu           varchar,
    ram           varchar,
    storage       varchar,
    sequence      integer NOT NULL DEFAULT 10,
    active        boolean NOT NULL DEFAULT true,
    create_uid    bigint,
    create_date   timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid     bigint,
    write_date    timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_app_template_categories_idx ON woow_app_template USING gin (categories);

-- Deployed cloud apps (woow.cloud.app). A workspace with apps cannot be deleted (RESTRICT).
CREATE TABLE IF NOT EXISTS woow_cloud_app (
    id                  bigserial PRIMARY KEY,
    workspace_id        bigint NOT NULL REFERENCES woow_workspace (id) ON DELETE RESTRICT,
    template_id         bigint NOT NULL REFERENCES woow_app_template (id) ON DELETE RESTRICT,
    name                varchar NOT NULL,
    status              varchar NOT NULL DEFAULT 'deploying'
                        CHECK (status IN ('deploying', 'running', 'stopped', 'error')),
    status_message      varchar,
    public_url          varchar,
    deployment_id       varchar UNIQUE,
    config              jsonb NOT NULL DEFAULT '{}',
    started_at          timestamp,
    custom_domain       varchar UNIQUE,
    domain_token        varchar,
    domain_status       varchar CHECK (domain_status IN ('pending', 'verified', 'active')),
    domain_ssl_enabled  boolean NOT NULL DEFAULT false,
    domain_ssl_status   varchar CHECK (domain_ssl_status IN ('pending', 'active')),
    create_uid          bigint,
    create_date         timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid           bigint,
    write_date          timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_cloud_app_workspace_id_idx ON woow_cloud_app (workspace_id, id);

-- Volumes (woow.volume) of apps (and, later, hubs and tunnels).
CREATE TABLE IF NOT EXISTS woow_volume (
    id          bigserial PRIMARY KEY,
    app_id      bigint REFERENCES woow_cloud_app (id) ON DELETE CASCADE,
    name        varchar NOT NULL,
    mount_path  varchar NOT NULL,
    size_gb     integer NOT NULL CHECK (size_gb > 0),
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_volume_app_id_idx ON woow_volume (app_id);

-- The activity log (woow.activity): who did what to which target, per team.
CREATE TABLE IF NOT EXISTS woow_activity (
    id          bigserial PRIMARY KEY,
    team_id     bigint NOT NULL REFERENCES woow_team (id) ON DELETE CASCADE,
    user_id     bigint REFERENCES res_users (id) ON DELETE SET NULL,
    action      varchar NOT NULL,
    target      varchar NOT NULL,
    res_model   varchar,
    res_id      bigint,
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_activity_team_id_idx ON woow_activity (team_id, id DESC);

-- The background worker's queue (woow.job): due jobs are claimed with FOR UPDATE SKIP LOCKED,
-- so several server instances share the work and none is processed twice.
CREATE TABLE IF NOT EXISTS woow_job (
    id          bigserial PRIMARY KEY,
    kind        varchar NOT NULL,
    res_id      bigint NOT NULL,
    team_id     bigint REFERENCES woow_team (id) ON DELETE CASCADE,
    state       varchar NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done', 'failed', 'cancelled')),
    run_after   timestamptz NOT NULL DEFAULT now(),
    attempts    integer NOT NULL DEFAULT 0,
    last_error  varchar,
    done_by     varchar,
    done_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS woow_job_due_idx ON woow_job (run_after) WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS woow_job_res_idx ON woow_job (kind, res_id);

-- Smart-home hubs (woow.hub) and secure tunnels (woow.tunnel) of a workspace. Tokens are stored
-- only as SHA-256 hashes; `token_hint` keeps the last characters for the masked display.
CREATE TABLE IF NOT EXISTS woow_hub (
    id           bigserial PRIMARY KEY,
    workspace_id bigint NOT NULL REFERENCES woow_workspace (id) ON DELETE RESTRICT,
    name         varchar NOT NULL,
    type         varchar NOT NULL CHECK (type IN ('haos', 'woow-hub-os')),
    status       varchar NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'offline')),
    public_url   varchar,
    volume_size  varchar,
    last_backup  timestamp,
    token_hash   varchar NOT NULL UNIQUE,
    token_hint   varchar NOT NULL,
    create_uid   bigint,
    create_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid    bigint,
    write_date   timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_hub_workspace_id_idx ON woow_hub (workspace_id, id);

CREATE TABLE IF NOT EXISTS woow_tunnel (
    id           bigserial PRIMARY KEY,
    workspace_id bigint NOT NULL REFERENCES woow_workspace (id) ON DELETE RESTRICT,
    name         varchar NOT NULL,
    type         varchar NOT NULL CHECK (type IN ('podman', 'docker', 'vm')),
    status       varchar NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'offline')),
    public_url   varchar,
    token_hash   varchar NOT NULL UNIQUE,
    token_hint   varchar NOT NULL,
    create_uid   bigint,
    create_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid    bigint,
    write_date   timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_tunnel_workspace_id_idx ON woow_tunnel (workspace_id, id);

-- Metered usage (woow.usage.line): what running apps cost, per team and day; the dashboard's
-- month usage and the billing usage report read it.
CREATE TABLE IF NOT EXISTS woow_usage_line (
    id           bigserial PRIMARY KEY,
    team_id      bigint NOT NULL REFERENCES woow_team (id) ON DELETE CASCADE,
    workspace_id bigint REFERENCES woow_workspace (id) ON DELETE SET NULL,
    app_id       bigint REFERENCES woow_cloud_app (id) ON DELETE SET NULL,
    date         date NOT NULL,
    service      varchar NOT NULL,
    description  varchar NOT NULL,
    amount       numeric(14, 2) NOT NULL CHECK (amount >= 0),
    create_uid   bigint,
    create_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid    bigint,
    write_date   timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_usage_line_team_date_idx ON woow_usage_line (team_id, date);

-- Schema version 3 (issue 5). Upgrading a version-2 database: new tables are created with
-- CREATE TABLE IF NOT EXISTS; columns added to a table that version 2 already had are added with
-- ALTER TABLE … ADD COLUMN IF NOT EXISTS right after its CREATE TABLE, so this file stays idempotent.

-- >>> billing (payment methods, transactions, invoices, idempotency keys, metering)
-- Billing (docs/api/billing.md). Amounts are exact NUMERIC(14, 2); public ids are strings
-- (`pm_…`, `txn_…`, `ivc_…`). Every balance change goes through the credit ledger, which locks
-- the team's row (`SELECT … FROM woow_team … FOR UPDATE`) first.

-- Metering bookkeeping on apps: running time is charged up to `metered_until`; the fraction of a
-- cent not yet charged is carried in `metering_remainder` (in 1/720 of a cent).
ALTER TABLE woow_cloud_app ADD COLUMN IF NOT EXISTS metered_until timestamp;
ALTER TABLE woow_cloud_app ADD COLUMN IF NOT EXISTS metering_remainder integer NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS woow_cloud_app_running_idx ON woow_cloud_app (workspace_id) WHERE status = 'running';

-- Cards (woow.payment.method): only the brand, the last four digits and the expiry are kept, plus
-- the gateway's opaque token. Never the number, never the CVC. At most one default per team.
CREATE TABLE IF NOT EXISTS woow_payment_method (
    id            bigserial PRIMARY KEY,
    reference     varchar NOT NULL UNIQUE,
    team_id       bigint NOT NULL REFERENCES woow_team (id) ON DELETE CASCADE,
    brand         varchar NOT NULL CHECK (brand IN ('visa', 'mastercard', 'amex')),
    last_four     varchar NOT NULL CHECK (last_four ~ '^[0-9]{4}$'),
    exp_month     integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year      integer NOT NULL CHECK (exp_year BETWEEN 2000 AND 2200),
    is_default    boolean NOT NULL DEFAULT false,
    gateway       varchar NOT NULL,
    gateway_token varchar NOT NULL,
    create_uid    bigint,
    create_date   timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid     bigint,
    write_date    timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_payment_method_team_idx ON woow_payment_method (team_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS woow_payment_method_default_idx ON woow_payment_method (team_id) WHERE is_default;

-- Invoices (woow.invoice) and their lines (woow.invoice.line). `invoice_number` is sequential per
-- year (`WT-2026-000001`), without gaps: it is taken from woow_invoice_sequence in the transaction
-- that issues the invoice.
CREATE TABLE IF NOT EXISTS woow_invoice (
    id             bigserial PRIMARY KEY,
    reference      varchar NOT NULL UNIQUE,
    invoice_number varchar NOT NULL UNIQUE,
    team_id        bigint NOT NULL REFERENCES woow_team (id) ON DELETE CASCADE,
    date           date NOT NULL,
    amount         numeric(14, 2) NOT NULL CHECK (amount >= 0),
    currency       varchar NOT NULL DEFAULT 'USD',
    status         varchar NOT NULL DEFAULT 'paid' CHECK (status IN ('paid', 'processing', 'failed')),
    create_uid     bigint,
    create_date    timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid      bigint,
    write_date     timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_invoice_team_idx ON woow_invoice (team_id, date DESC, id DESC);

CREATE TABLE IF NOT EXISTS woow_invoice_line (
    id          bigserial PRIMARY KEY,
    invoice_id  bigint NOT NULL REFERENCES woow_invoice (id) ON DELETE CASCADE,
    sequence    integer NOT NULL DEFAULT 10,
    description varchar NOT NULL,
    amount      numeric(14, 2) NOT NULL,
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_invoice_line_invoice_idx ON woow_invoice_line (invoice_id, sequence, id);

CREATE TABLE IF NOT EXISTS woow_invoice_sequence (
    year        integer PRIMARY KEY,
    last_number integer NOT NULL
);

-- The credit ledger (woow.transaction): every change of a team's balance, with the balance after it.
-- `topup` and `auto_reload` add credits (charged to a card, with a paid invoice); `usage` removes them.
CREATE TABLE IF NOT EXISTS woow_transaction (
    id                bigserial PRIMARY KEY,
    reference         varchar NOT NULL UNIQUE,
    team_id           bigint NOT NULL REFERENCES woow_team (id) ON DELETE CASCADE,
    type              varchar NOT NULL CHECK (type IN ('topup', 'auto_reload', 'usage')),
    amount            numeric(14, 2) NOT NULL CHECK (amount > 0),
    balance_after     numeric(14, 2) NOT NULL CHECK (balance_after >= 0),
    status            varchar NOT NULL DEFAULT 'succeeded' CHECK (status IN ('succeeded', 'failed')),
    description       varchar NOT NULL,
    payment_method_id bigint REFERENCES woow_payment_method (id) ON DELETE SET NULL,
    invoice_id        bigint REFERENCES woow_invoice (id) ON DELETE SET NULL,
    gateway_reference varchar,
    user_id           bigint REFERENCES res_users (id) ON DELETE SET NULL,
    create_uid        bigint,
    create_date       timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid         bigint,
    write_date        timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_transaction_team_idx ON woow_transaction (team_id, id DESC);
CREATE INDEX IF NOT EXISTS woow_transaction_invoice_idx ON woow_transaction (invoice_id);
CREATE INDEX IF NOT EXISTS woow_transaction_payment_method_idx ON woow_transaction (payment_method_id);

-- Idempotency keys of `POST /billing/add-funds`: one row per (team, key), inserted in the request's
-- transaction (a concurrent retry waits on the unique index until the first one commits), holding
-- a fingerprint of the request and the answer to replay. Kept 24 hours.
CREATE TABLE IF NOT EXISTS woow_idempotency_key (
    id              bigserial PRIMARY KEY,
    team_id         bigint NOT NULL REFERENCES woow_team (id) ON DELETE CASCADE,
    user_id         bigint REFERENCES res_users (id) ON DELETE SET NULL,
    key             varchar NOT NULL,
    fingerprint     varchar NOT NULL,
    state           varchar NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),
    response_status integer,
    response_body   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, key)
);
CREATE INDEX IF NOT EXISTS woow_idempotency_key_created_idx ON woow_idempotency_key (created_at);
CREATE INDEX IF NOT EXISTS woow_usage_line_app_date_idx ON woow_usage_line (app_id, date);
-- <<< billing

-- >>> hubs and tunnels (proxy targets, API tokens, backups)
-- Where a hub's or a tunnel's agent forwards traffic (woow.proxy.target); exactly one owner.
-- PUT on a hub or tunnel replaces its whole list in one transaction.
CREATE TABLE IF NOT EXISTS woow_proxy_target (
    id          bigserial PRIMARY KEY,
    hub_id      bigint REFERENCES woow_hub (id) ON DELETE CASCADE,
    tunnel_id   bigint REFERENCES woow_tunnel (id) ON DELETE CASCADE,
    sequence    integer NOT NULL DEFAULT 0,
    host        varchar NOT NULL,
    port        integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
    path        varchar NOT NULL DEFAULT '/' CHECK (left(path, 1) = '/'),
    protocol    varchar NOT NULL CHECK (protocol IN ('http', 'https', 'tcp')),
    create_uid  bigint,
    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid   bigint,
    write_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CHECK ((hub_id IS NULL) <> (tunnel_id IS NULL))
);
CREATE INDEX IF NOT EXISTS woow_proxy_target_hub_idx ON woow_proxy_target (hub_id, sequence) WHERE hub_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS woow_proxy_target_tunnel_idx ON woow_proxy_target (tunnel_id, sequence) WHERE tunnel_id IS NOT NULL;

-- API tokens of a hub or a tunnel (woow.api.token): only a SHA-256 of the token and its last
-- characters (`token_hint`, for the masked display) are kept.
CREATE TABLE IF NOT EXISTS woow_api_token (
    id           bigserial PRIMARY KEY,
    hub_id       bigint REFERENCES woow_hub (id) ON DELETE CASCADE,
    tunnel_id    bigint REFERENCES woow_tunnel (id) ON DELETE CASCADE,
    name         varchar NOT NULL,
    scope        varchar NOT NULL DEFAULT 'read' CHECK (scope IN ('read', 'read_write')),
    token_hash   varchar NOT NULL UNIQUE,
    token_hint   varchar NOT NULL,
    last_used_at timestamp,
    expires_at   timestamp,
    create_uid   bigint,
    create_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid    bigint,
    write_date   timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CHECK ((hub_id IS NULL) <> (tunnel_id IS NULL))
);
CREATE INDEX IF NOT EXISTS woow_api_token_hub_idx ON woow_api_token (hub_id, id) WHERE hub_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS woow_api_token_tunnel_idx ON woow_api_token (tunnel_id, id) WHERE tunnel_id IS NOT NULL;

-- Hub backups (woow.backup): `reference` is the public id (`bk_…`); the worker moves them
-- pending → in_progress → completed. At most one backup per hub is running at a time.
CREATE TABLE IF NOT EXISTS woow_backup (
    id           bigserial PRIMARY KEY,
    reference    varchar NOT NULL UNIQUE,
    hub_id       bigint NOT NULL REFERENCES woow_hub (id) ON DELETE CASCADE,
    status       varchar NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
    size_mb      integer,
    started_at   timestamp,
    completed_at timestamp,
    create_uid   bigint,
    create_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid    bigint,
    write_date   timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_backup_hub_idx ON woow_backup (hub_id, id DESC);
CREATE UNIQUE INDEX IF NOT EXISTS woow_backup_running_idx ON woow_backup (hub_id) WHERE status IN ('pending', 'in_progress');

-- Restores of a hub from one of its completed backups (woow.hub.restore), moved by the worker
-- like backups. At most one restore per hub is running at a time.
CREATE TABLE IF NOT EXISTS woow_hub_restore (
    id           bigserial PRIMARY KEY,
    hub_id       bigint NOT NULL REFERENCES woow_hub (id) ON DELETE CASCADE,
    backup_id    bigint NOT NULL REFERENCES woow_backup (id) ON DELETE CASCADE,
    status       varchar NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
    started_at   timestamp,
    completed_at timestamp,
    create_uid   bigint,
    create_date  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    write_uid    bigint,
    write_date   timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_hub_restore_hub_idx ON woow_hub_restore (hub_id, id DESC);
CREATE INDEX IF NOT EXISTS woow_hub_restore_backup_idx ON woow_hub_restore (backup_id);
CREATE UNIQUE INDEX IF NOT EXISTS woow_hub_restore_running_idx ON woow_hub_restore (hub_id) WHERE status IN ('pending', 'in_progress');

-- Volumes of hubs and tunnels: woow_volume gets two more nullable owners (an app's volumes keep app_id).
ALTER TABLE woow_volume ADD COLUMN IF NOT EXISTS hub_id bigint REFERENCES woow_hub (id) ON DELETE CASCADE;
ALTER TABLE woow_volume ADD COLUMN IF NOT EXISTS tunnel_id bigint REFERENCES woow_tunnel (id) ON DELETE CASCADE;
CREATE INDEX IF NOT EXISTS woow_volume_hub_id_idx ON woow_volume (hub_id) WHERE hub_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS woow_volume_tunnel_id_idx ON woow_volume (tunnel_id) WHERE tunnel_id IS NOT NULL;
-- <<< hubs and tunnels

-- >>> app metrics
-- Status history of cloud apps (app metrics): one row per status an app enters, written by a
-- trigger so every path that starts or stops an app (routes, the worker, billing) is captured.
-- The metrics routes read it to show zeros while an app was not running.
CREATE TABLE IF NOT EXISTS woow_app_status_change (
    id          bigserial PRIMARY KEY,
    app_id      bigint NOT NULL REFERENCES woow_cloud_app (id) ON DELETE CASCADE,
    status      varchar NOT NULL,
    changed_at  timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX IF NOT EXISTS woow_app_status_change_app_idx ON woow_app_status_change (app_id, changed_at, id);

CREATE OR REPLACE FUNCTION woow_app_status_change_record() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO woow_app_status_change (app_id, status, changed_at)
        VALUES (NEW.id, NEW.status, now() AT TIME ZONE 'UTC');
    END IF;
    RETURN NULL;
END
$$;

-- Backfill for apps created before the history existed: deploying since creation, then the
-- current status since it was started (running) or last written (anything else).
INSERT INTO woow_app_status_change (app_id, status, changed_at)
SELECT a.id, s.status, s.changed_at
FROM woow_cloud_app a
CROSS JOIN LATERAL (VALUES (1, 'deploying', a.create_date),
                           (2, a.status, greatest(a.create_date, coalesce(a.started_at, a.write_date)))) AS s(n, status, changed_at)
WHERE NOT EXISTS (SELECT 1 FROM woow_app_status_change c WHERE c.app_id = a.id)
ORDER BY a.id, s.n;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger
                   WHERE tgname = 'woow_cloud_app_status_history' AND tgrelid = 'woow_cloud_app'::regclass) THEN
        CREATE TRIGGER woow_cloud_app_status_history AFTER INSERT OR UPDATE OF status ON woow_cloud_app
            FOR EACH ROW EXECUTE FUNCTION woow_app_status_change_record();
    END IF;
END
$$;
-- <<< app metrics

-- >>> rate limits
-- Fixed-window request counters shared by the server instances (docs/api/rate-limits.md). Each
-- instance counts in memory and adds its deltas here every ~250 ms in one upsert, learning the
-- global counts. UNLOGGED: the counters are worth less than the WAL they would cost; after a
-- crash they start from zero, which only forgives the current window.
CREATE UNLOGGED TABLE IF NOT EXISTS rate_limit_counter (
    key varchar NOT NULL,          -- '<category>:user:<uid>' or '<category>:ip:<address>'
    window_start bigint NOT NULL,  -- epoch seconds, a multiple of the window length
    window_end bigint NOT NULL,    -- epoch seconds; rows past it are purged
    count integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX IF NOT EXISTS rate_limit_counter_window_end ON rate_limit_counter (window_end);
-- <<< rate limits

-- >>> tenancy of people (schema version 4)
-- Contacts belong to a team: a customer reads the contacts and users of its own teams, never
-- another customer's (record rules in Sources/PaaS/Security/PeopleAccess.swift).
ALTER TABLE res_partner ADD COLUMN IF NOT EXISTS team_id bigint REFERENCES woow_team (id) ON DELETE SET NULL;
CREATE INDEX IF NOT EXISTS res_partner_team_id_idx ON res_partner (team_id);
-- <<< tenancy of people
