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
