-- Tables of sqs-pii-connect that no dataset owns: the audit, the reveal limits, the governance of reveals.
-- Each dataset's tables, indexes, grants and PII catalog rows come from its definition (`dataset apply`, see
-- dataset/README.md). Owned by the deployment, not by the sink (no auto-create in production).
-- Idempotent: safe to apply on every start.

-- Every reveal of PII writes one row here, committed before anything is decrypted. Only the
-- SECURITY DEFINER functions in roles.sql (owner pii_audit_owner) write it: analyst and at are set
-- by them (session_user, clock_timestamp()), never by the caller, so the columns have no defaults.
CREATE TABLE IF NOT EXISTS pii_access_log (
  id          bigserial PRIMARY KEY,
  analyst     text NOT NULL,
  at          timestamptz NOT NULL,
  table_name  text,
  row_key     text,
  column_name text,
  reason      text NOT NULL,
  key_id      bigint,                              -- Tink key id of the stored ciphertext, NULL if unparsable
  outcome     text NOT NULL DEFAULT 'pending',     -- pending | revealed | failed
  failure     text,                                -- why a reveal failed; never plaintext
  rows_sharing bigint,                             -- rows holding the same ciphertext in that column (deterministic
                                                   -- columns: one reveal discloses all of them); NULL if not counted
  ciphertext_sha256 bytea,                         -- SHA-256 of the revealed ciphertext (UTF-8): finds those rows
  path        text                                 -- JSON Pointer of the value inside a jsonb array cell
                                                   -- (/2/holder_name: element 2's holder_name); NULL = the whole cell
);

-- Migration of a table created by an earlier version (columns with defaults a caller could override).
ALTER TABLE pii_access_log ALTER COLUMN analyst DROP DEFAULT, ALTER COLUMN at DROP DEFAULT;
ALTER TABLE pii_access_log ADD COLUMN IF NOT EXISTS key_id bigint;
-- rows written before the reveal service were decrypted on the analyst's desktop: count them as revealed
ALTER TABLE pii_access_log ADD COLUMN IF NOT EXISTS outcome text NOT NULL DEFAULT 'revealed';
ALTER TABLE pii_access_log ALTER COLUMN outcome SET DEFAULT 'pending';
ALTER TABLE pii_access_log ADD COLUMN IF NOT EXISTS failure text;
ALTER TABLE pii_access_log ADD COLUMN IF NOT EXISTS rows_sharing bigint;
ALTER TABLE pii_access_log ADD COLUMN IF NOT EXISTS ciphertext_sha256 bytea;
ALTER TABLE pii_access_log ADD COLUMN IF NOT EXISTS path text;
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'pii_access_log_outcome_check'
                   AND conrelid = 'pii_access_log'::regclass) THEN
    ALTER TABLE pii_access_log ADD CONSTRAINT pii_access_log_outcome_check
      CHECK (outcome IN ('pending', 'revealed', 'failed'));
  END IF;
END
$$;

-- pii_reveal() counts each login's audit rows of the last minute against its budget.
CREATE INDEX IF NOT EXISTS pii_access_log_analyst_at_idx ON pii_access_log (analyst, at);

-- Limits pii_reveal() enforces for every login, in the database, so that they hold across service replicas,
-- restarts and direct calls in psql. One row; only its owner (pii_audit_owner, i.e. a superuser) changes it:
--   UPDATE pii_reveal_limits SET cells_per_minute = 120;
CREATE TABLE IF NOT EXISTS pii_reveal_limits (
  id               boolean PRIMARY KEY DEFAULT true CHECK (id),
  cells_per_minute integer NOT NULL DEFAULT 60 CHECK (cells_per_minute BETWEEN 1 AND 1000000)
);
INSERT INTO pii_reveal_limits (id) VALUES (true) ON CONFLICT (id) DO NOTHING;

-- ── Reveal governance (roles.sql holds the functions that alone write these tables) ──────────────────────────
-- Why PII may be revealed. Every reveal names a purpose code; a purpose allows some PII columns
-- (pii_purpose_columns) and bounds each grant opened under it (cells, duration). Managed by pii_admin through
-- pii_define_purpose(); every analyst reads them (the inspector lists them).
CREATE TABLE IF NOT EXISTS pii_purposes (
  code           text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]{0,39}$'),
  description    text NOT NULL,
  max_cells      integer NOT NULL CHECK (max_cells BETWEEN 1 AND 1000000),    -- cell budget of each grant
  max_duration   interval NOT NULL CHECK (max_duration > interval '0'),        -- longest grant (also capped
                                                                               -- by pii_reveal_limits)
  needs_approval boolean NOT NULL DEFAULT true,   -- false: a grant opens without an approver, audited as such
  retired        boolean NOT NULL DEFAULT false   -- no new grant; open ones run out
);
-- The PII columns a purpose allows: a dataset's column (of its table or rejected table), '*' for every PII
-- column of the dataset, dataset '*' for every dataset.
CREATE TABLE IF NOT EXISTS pii_purpose_columns (
  purpose     text NOT NULL REFERENCES pii_purposes ON DELETE CASCADE,
  dataset     text NOT NULL,
  column_name text NOT NULL,
  PRIMARY KEY (purpose, dataset, column_name)
);
-- Break-glass: the one purpose a reader opens alone (pii_break_glass()), for any column, flagged in the audit.
INSERT INTO pii_purposes (code, description, max_cells, max_duration, needs_approval)
VALUES ('break-glass', 'Emergency access without an approver: flagged in the audit and shown first to auditors',
        20, interval '1 hour', false)
ON CONFLICT (code) DO NOTHING;
INSERT INTO pii_purpose_columns VALUES ('break-glass', '*', '*') ON CONFLICT DO NOTHING;

-- A reader's time-boxed, budgeted permission to reveal some columns of one dataset for one purpose. Requested
-- by the reader, decided by a pii_approver who is not the requester; active while approved and before
-- expires_at (set at approval: expiry needs no job); revocable. cells_used counts what reveals charged.
CREATE TABLE IF NOT EXISTS pii_grants (
  id            bigserial PRIMARY KEY,
  requester     text NOT NULL,
  purpose       text NOT NULL REFERENCES pii_purposes,
  dataset       text NOT NULL,
  columns       text[] NOT NULL,
  ticket        text,
  reason        text NOT NULL,
  requested_at  timestamptz NOT NULL,
  duration      interval NOT NULL,
  cell_budget   integer NOT NULL,
  break_glass   boolean NOT NULL DEFAULT false,
  status        text NOT NULL DEFAULT 'requested'
                CHECK (status IN ('requested', 'approved', 'rejected', 'revoked')),
  decided_by    text,          -- NULL when approved without an approver (purpose that needs none, break-glass)
  decided_at    timestamptz,
  decision_note text,
  expires_at    timestamptz,
  cells_used    bigint NOT NULL DEFAULT 0,
  revoked_by    text,
  revoked_at    timestamptz
);
CREATE INDEX IF NOT EXISTS pii_grants_requester_idx ON pii_grants (requester, status, expires_at);

ALTER TABLE pii_access_log ADD COLUMN IF NOT EXISTS purpose text;         -- the purpose code the reader named
ALTER TABLE pii_access_log ADD COLUMN IF NOT EXISTS grant_id bigint;      -- the grant that covered the cell
ALTER TABLE pii_access_log ADD COLUMN IF NOT EXISTS cells_charged bigint; -- what it cost the grant's budget

-- Deployment limits of grants (pii_reveal_limits' owner changes them): no grant outlives max_grant_duration.
ALTER TABLE pii_reveal_limits ADD COLUMN IF NOT EXISTS max_grant_duration interval NOT NULL DEFAULT interval '7 days';

-- The audit chain: every audit event — a reveal, its outcome, a grant's request, decision, revocation,
-- break-glass, budget thresholds, purposes, erasures — appended in order, each row's hash over the previous
-- row's hash and its own fields: sha256(prev_hash || seq|at in epoch microseconds|actor|event|ref|detail).
-- A row deleted, altered or moved breaks the chain after it; rows cut off its end are found against a head
-- published outside the database (the reveal service logs it). `pii-keys audit verify` recomputes it.
CREATE TABLE IF NOT EXISTS pii_audit_chain (
  seq       bigint PRIMARY KEY,      -- 1, 2, 3, … without gaps (assigned under a lock, not by a sequence)
  at        timestamptz NOT NULL,
  actor     text NOT NULL,           -- session_user
  event     text NOT NULL,
  ref       bigint,                  -- pii_access_log.id or pii_grants.id
  detail    jsonb NOT NULL,
  prev_hash bytea NOT NULL,
  hash      bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS pii_audit_chain_ref_idx ON pii_audit_chain (event, ref);
