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
-- <<< billing

-- >>> hubs and tunnels (proxy targets, API tokens, backups)
-- <<< hubs and tunnels

-- >>> app metrics
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
