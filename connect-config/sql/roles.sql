-- Roles, privileges and the audited reveal functions of sqs-pii-connect. Grant the group roles to real
-- logins, e.g.  CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE pii_reader;
-- Keep a reader, an approver and an auditor separate logins: a reader is not its own approver or auditor.
-- pii_approver decides grant requests, pii_admin manages purposes, pii_eraser erases a data subject.
-- Each dataset's tables get their grants and triggers from `dataset apply`, after this file.
-- The reveal service has a login of its own, member of pii_reveal_service only: it alone settles outcomes.
-- pii-keys reencrypt logs in as a member of pii_reencryptor: it alone may rewrite stored ciphertexts.
-- Roles are cluster-wide, so creation is idempotent; grants and functions apply to the current database.
-- Apply after schema.sql, as a superuser, on every start (idempotent).
-- The refusals of pii_reveal() and pii_erase_subject() carry their code in the reveal API as HINT (ErrorCode in
-- module reveal-api: no_grant, budget_exhausted, ...): the reveal service answers that code, and clients tell
-- refusals apart by it, never by the message.

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['pipeline_writer', 'analyst', 'pii_reader', 'pii_auditor', 'pii_audit_owner',
                          'pii_reveal_service', 'pii_reencryptor', 'pii_approver', 'pii_admin', 'pii_eraser'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- created concurrently by another database's migration
      END;
    END IF;
  END LOOP;
END
$$;
-- The audit owner is never a login: nobody can connect as it and write the log by hand. Altered only when it can
-- log in: ALTER ROLE rewrites the cluster-wide row even when nothing changes, and two databases applying this file
-- at once would then fail with "tuple concurrently updated".
DO $$
BEGIN
  IF (SELECT rolcanlogin FROM pg_roles WHERE rolname = 'pii_audit_owner') THEN
    ALTER ROLE pii_audit_owner NOLOGIN;
  END IF;
END
$$;

-- Nobody but the owner creates objects in public (PostgreSQL <= 14, and clusters upgraded from it, let
-- PUBLIC do so): a planted overload of pii_reveal() would otherwise bind the service's calls.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO pipeline_writer, analyst, pii_reader, pii_auditor, pii_audit_owner,
  pii_reveal_service, pii_reencryptor, pii_approver, pii_admin, pii_eraser;

-- Start from nothing on every apply, so a privilege granted by an earlier version does not linger
-- (revoking a table privilege revokes its column privileges too).
REVOKE ALL ON pii_access_log, pii_reveal_limits FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor,
  pii_reveal_service, pii_reencryptor;
REVOKE ALL ON SEQUENCE pii_access_log_id_seq FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor,
  pii_reveal_service, pii_reencryptor;
REVOKE ALL ON pii_purposes, pii_purpose_columns, pii_grants, pii_audit_chain FROM PUBLIC, pipeline_writer, analyst,
  pii_reader, pii_auditor, pii_reveal_service, pii_reencryptor, pii_approver, pii_admin, pii_eraser;
REVOKE ALL ON SEQUENCE pii_grants_id_seq FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor,
  pii_reveal_service, pii_reencryptor, pii_approver, pii_admin, pii_eraser;



-- PII readers are analysts who may call the reveal functions below (and nothing else on the log).
GRANT analyst TO pii_reader;

-- Auditors read the audit log, its chain and every grant.
GRANT SELECT ON pii_access_log, pii_audit_chain TO pii_auditor;

-- Governance of reveals: the functions below alone write purposes, grants and the chain. Purposes are read by
-- whoever names or reviews one; grants by the reader who asked (row security below), approvers and auditors.
GRANT SELECT ON pii_purposes, pii_purpose_columns TO analyst, pii_approver, pii_auditor, pii_admin;
GRANT SELECT ON pii_grants TO pii_reader, pii_approver, pii_auditor, pii_admin;
ALTER TABLE pii_purposes OWNER TO pii_audit_owner;
ALTER TABLE pii_purpose_columns OWNER TO pii_audit_owner;
ALTER TABLE pii_grants OWNER TO pii_audit_owner;
ALTER TABLE pii_audit_chain OWNER TO pii_audit_owner;
ALTER TABLE pii_grants ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS pii_grants_visible ON pii_grants;
CREATE POLICY pii_grants_visible ON pii_grants FOR SELECT
  USING (requester = session_user::text
         OR pg_catalog.pg_has_role(session_user, 'pii_approver', 'MEMBER')
         OR pg_catalog.pg_has_role(session_user, 'pii_auditor', 'MEMBER')
         OR pg_catalog.pg_has_role(session_user, 'pii_admin', 'MEMBER'));

-- The audit owner owns the log (and its sequence) and the limits, and reads the values it hands out.
ALTER TABLE pii_access_log OWNER TO pii_audit_owner;
ALTER TABLE pii_reveal_limits OWNER TO pii_audit_owner;

-- A stored ciphertext is kept once written: the sink's login can neither swap two rows' values (the audit
-- would name row B while revealing A's value) nor erase one. A redelivery writes the same deterministic value,
-- or, for a rejected body, a new randomized one, and the first is kept either way. Only pii_reencryptor
-- (and superusers) rewrite ciphertexts. An empty cell may still be filled.
-- ONE function for every table (each dataset's tables get their trigger from `dataset apply`): the trigger's
-- arguments name the ciphertext columns to keep. Not SECURITY DEFINER: current_user must stay the updater.
-- It fires only on the sink's upsert conflicts (redeliveries) and on re-encryption, so turning the old row into
-- jsonb is cheap enough. A named column the table lacks fails the update: a misspelt argument never lets a
-- ciphertext be replaced unnoticed.
CREATE OR REPLACE FUNCTION public.pii_keep_ciphertexts() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  old_row jsonb;
  kept jsonb := '{}';
  col text;
BEGIN
  IF TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' OR TG_OP <> 'UPDATE' OR TG_NARGS = 0 THEN
    RAISE EXCEPTION 'pii_keep_ciphertexts() on %.% must be a BEFORE UPDATE row trigger naming the ciphertext columns',
      TG_TABLE_SCHEMA, TG_TABLE_NAME;
  END IF;
  IF pg_catalog.pg_has_role(current_user, 'pii_reencryptor', 'MEMBER') THEN
    RETURN NEW;
  END IF;
  old_row := pg_catalog.to_jsonb(OLD);
  FOREACH col IN ARRAY TG_ARGV LOOP
    IF NOT old_row ? col THEN
      RAISE EXCEPTION 'pii_keep_ciphertexts() on %.%: no column %', TG_TABLE_SCHEMA, TG_TABLE_NAME, col;
    END IF;
    IF old_row -> col <> 'null'::jsonb THEN
      kept := kept || pg_catalog.jsonb_build_object(col, old_row -> col);
    END IF;
  END LOOP;
  RETURN pg_catalog.jsonb_populate_record(NEW, kept);
END
$fn$;
ALTER FUNCTION public.pii_keep_ciphertexts() OWNER TO pii_audit_owner;
REVOKE ALL ON FUNCTION public.pii_keep_ciphertexts() FROM PUBLIC;


-- The table-specific functions of an unreleased version, once no trigger uses them any more (a dataset's
-- tables move to the function above on their next `dataset apply`; dropping with CASCADE would silently drop
-- their triggers until then).
DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY['pii_keep_user_logins_ciphertexts', 'pii_keep_rejected_ciphertexts'] LOOP
    IF pg_catalog.to_regprocedure('public.' || fn || '()') IS NOT NULL AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_trigger WHERE tgfoid = pg_catalog.to_regprocedure('public.' || fn || '()')) THEN
      EXECUTE pg_catalog.format('DROP FUNCTION public.%I()', fn);
    END IF;
  END LOOP;
END
$$;

-- Free text written into the audit (reasons, failure causes) is what an auditor reads and exports: at most
-- 500 characters, none of them a control character (C0, DEL, C1) or one that reorders or breaks the
-- displayed text (bidi marks, embeddings, overrides and isolates; line and paragraph separators).
-- reveal-service's AuditText.java holds the same rule for a clear 400 before the database is asked.
CREATE OR REPLACE FUNCTION public.pii_audit_text_ok(p_text text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT
  SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT pg_catalog.char_length(p_text) <= 500
     AND p_text OPERATOR(pg_catalog.!~)
         E'[\u0001-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]'
$fn$;

-- Tink key id of a stored ciphertext: base64url, a version byte (0x01 tink, 0x00 legacy) then the 4-byte
-- key id. The first 8 characters decode to 6 bytes, enough, so a 1 MiB body is not decoded whole.
CREATE OR REPLACE FUNCTION public.pii_key_id(p_ciphertext text) RETURNS bigint
  LANGUAGE plpgsql IMMUTABLE STRICT
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  head bytea;
BEGIN
  head := pg_catalog.decode(pg_catalog.translate(pg_catalog.substr(p_ciphertext, 1, 8), '-_', '+/'), 'base64');
  IF pg_catalog.length(head) < 5 OR pg_catalog.get_byte(head, 0) NOT IN (0, 1) THEN
    RETURN NULL;
  END IF;
  RETURN (pg_catalog.get_byte(head, 1)::bigint << 24) | (pg_catalog.get_byte(head, 2)::bigint << 16)
       | (pg_catalog.get_byte(head, 3)::bigint << 8) | pg_catalog.get_byte(head, 4)::bigint;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL; -- not base64url: the audit row records an unknown key id
END
$fn$;

-- The PII catalog (public.pii_datasets and public.pii_columns, written only by `dataset apply`, see
-- dataset/README.md) as the reveal path reads it: one row per protected value, with the column that names a row
-- of its table (the dataset's row key; message_id in its rejected table). Empty until a dataset is applied.
-- SECURITY DEFINER so that the reveal service's own login, which may read no table, learns which keysets to load
-- and what /health lists: names only, which analysts may SELECT anyway.
CREATE OR REPLACE FUNCTION public.pii_catalog()
  RETURNS TABLE (dataset text, dataset_table text, rejected_table text, table_name text, row_key_column text,
                 column_name text, json_pointer text, in_array boolean, array_item_pointer text, mode text,
                 canonical text, region text, key_domain text, associated_data text, keyset text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF pg_catalog.to_regclass('public.pii_datasets') IS NULL OR pg_catalog.to_regclass('public.pii_columns') IS NULL THEN
    RETURN; -- no dataset applied yet
  END IF;
  RETURN QUERY
    SELECT d.dataset, d.table_name, d.rejected_table, c.table_name,
           CASE c.table_name WHEN d.table_name THEN d.row_key_column WHEN d.rejected_table THEN 'message_id' END,
           c.column_name, c.json_pointer, c.in_array, c.array_item_pointer, c.mode, c.canonical, c.region,
           c.key_domain, c.associated_data, c.keyset
      FROM public.pii_columns c JOIN public.pii_datasets d ON d.dataset = c.dataset
     ORDER BY d.dataset, c.table_name, c.column_name, c.array_item_pointer;
END
$fn$;

-- ── The audit chain ─────────────────────────────────────────────────────────────────────────────────────────
-- The text a chain row's hash covers: unambiguous (names carry their length; detail, last, is jsonb's own
-- rendering) and independent of the session's time zone and date style. `pii-keys audit verify` builds the
-- same text from the row's fields.
CREATE OR REPLACE FUNCTION public.pii_audit_chain_text(p_seq bigint, p_at timestamptz, p_actor text, p_event text,
                                                       p_ref bigint, p_detail jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT p_seq::text || '|' || (EXTRACT(epoch FROM p_at) * 1000000)::bigint::text
         || '|' || pg_catalog.char_length(p_actor) || ':' || p_actor
         || '|' || pg_catalog.char_length(p_event) || ':' || p_event
         || '|' || COALESCE(p_ref::text, '') || '|' || p_detail::text
$fn$;

-- Appends one event to the chain as the calling session's user. Called by the functions below (all owned by
-- pii_audit_owner), never by a login. One appender at a time until its transaction ends, so that rows link in
-- commit order without gaps; a rolled-back transaction takes its rows with it.
CREATE OR REPLACE FUNCTION public.pii_audit_append(p_event text, p_ref bigint, p_detail jsonb) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_last record;
  v_seq bigint;
  v_at timestamptz;
  v_prev bytea;
BEGIN
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pii_audit_chain'));
  SELECT c.seq, c.hash INTO v_last FROM public.pii_audit_chain c ORDER BY c.seq DESC LIMIT 1;
  v_seq := COALESCE(v_last.seq, 0) + 1;
  v_prev := COALESCE(v_last.hash, pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex'));
  v_at := pg_catalog.clock_timestamp();
  INSERT INTO public.pii_audit_chain (seq, at, actor, event, ref, detail, prev_hash, hash)
  VALUES (v_seq, v_at, session_user::text, p_event, p_ref, p_detail, v_prev,
          pg_catalog.sha256(v_prev || pg_catalog.convert_to(
            public.pii_audit_chain_text(v_seq, v_at, session_user::text, p_event, p_ref, p_detail), 'UTF8')));
  RETURN v_seq;
END
$fn$;

-- The chain's last row, for whoever publishes it outside the database (the reveal service logs it).
CREATE OR REPLACE FUNCTION public.pii_audit_head() RETURNS TABLE (seq bigint, hash text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT c.seq, pg_catalog.encode(c.hash, 'hex') FROM public.pii_audit_chain c ORDER BY c.seq DESC LIMIT 1
$fn$;

-- A database whose audit log predates the chain: the chain starts with a row that says up to which audit
-- row the log was written unchained, so that the verifier holds only later rows to it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM public.pii_audit_chain) THEN
    PERFORM public.pii_audit_append('chain-start', NULL, pg_catalog.jsonb_build_object(
      'unchained_audit_rows_up_to', (SELECT COALESCE(pg_catalog.max(id), 0) FROM public.pii_access_log),
      'unchained_grants_up_to', (SELECT COALESCE(pg_catalog.max(id), 0) FROM public.pii_grants)));
  END IF;
END
$$;

-- ── Purposes and grants ─────────────────────────────────────────────────────────────────────────────────────
-- Whether purpose p allows (dataset, column): pii_purpose_columns, with '*' for every dataset or column.
CREATE OR REPLACE FUNCTION public.pii_purpose_allows(p_purpose text, p_dataset text, p_column text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT EXISTS (SELECT FROM public.pii_purpose_columns pc
                  WHERE pc.purpose = p_purpose AND pc.dataset IN (p_dataset, '*') AND pc.column_name IN (p_column, '*'))
$fn$;

-- Defines or redefines a purpose (pii_admin only): what it allows ('dataset.column', 'dataset.*' or '*'), the
-- budget and longest duration of each grant, whether grants need an approver. Open grants keep their terms.
CREATE OR REPLACE FUNCTION public.pii_define_purpose(p_code text, p_description text, p_allows text[],
                                                     p_max_cells integer, p_max_duration interval,
                                                     p_needs_approval boolean) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_item text;
  v_parts text[];
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'pii_admin', 'MEMBER') THEN
    RAISE EXCEPTION 'only a pii_admin login defines purposes' USING ERRCODE = '42501';
  END IF;
  IF p_code = 'break-glass' THEN
    RAISE EXCEPTION 'break-glass is built in: change its budget with UPDATE pii_purposes as its owner'
      USING ERRCODE = '22023';
  END IF;
  IF p_code IS NULL OR p_code !~ '^[a-z][a-z0-9-]{0,39}$' THEN
    RAISE EXCEPTION 'a purpose code is 1 to 40 lower-case letters, digits and dashes, starting with a letter'
      USING ERRCODE = '22023';
  END IF;
  IF p_description IS NULL OR pg_catalog.btrim(p_description) = '' OR NOT public.pii_audit_text_ok(p_description) THEN
    RAISE EXCEPTION 'a purpose needs a description of at most 500 characters, without control characters'
      USING ERRCODE = '22023';
  END IF;
  IF p_allows IS NULL OR pg_catalog.cardinality(p_allows) = 0 THEN
    RAISE EXCEPTION 'a purpose allows at least one column: ''dataset.column'', ''dataset.*'' or ''*'''
      USING ERRCODE = '22023';
  END IF;
  IF p_max_cells IS NULL OR p_max_cells NOT BETWEEN 1 AND 1000000 OR p_max_duration IS NULL
     OR p_max_duration <= interval '0' OR p_needs_approval IS NULL THEN
    RAISE EXCEPTION 'max cells (1 to 1000000), a positive max duration and needs_approval are required'
      USING ERRCODE = '22023';
  END IF;
  INSERT INTO public.pii_purposes AS p (code, description, max_cells, max_duration, needs_approval, retired)
  VALUES (p_code, p_description, p_max_cells, p_max_duration, p_needs_approval, false)
  ON CONFLICT (code) DO UPDATE SET description = EXCLUDED.description, max_cells = EXCLUDED.max_cells,
    max_duration = EXCLUDED.max_duration, needs_approval = EXCLUDED.needs_approval, retired = false;
  DELETE FROM public.pii_purpose_columns pc WHERE pc.purpose = p_code;
  FOREACH v_item IN ARRAY p_allows LOOP
    v_parts := CASE WHEN v_item = '*' THEN ARRAY['*', '*'] ELSE pg_catalog.string_to_array(v_item, '.') END;
    IF pg_catalog.cardinality(v_parts) <> 2 OR (v_parts[1] <> '*' AND NOT EXISTS (
         SELECT FROM public.pii_catalog() c WHERE c.dataset = v_parts[1]
            AND (v_parts[2] = '*' OR c.column_name = v_parts[2]))) THEN
      RAISE EXCEPTION 'purpose %: % names no PII column of the catalog (use dataset.column, dataset.* or *)',
        p_code, v_item USING ERRCODE = '22023';
    END IF;
    INSERT INTO public.pii_purpose_columns VALUES (p_code, v_parts[1], v_parts[2]) ON CONFLICT DO NOTHING;
  END LOOP;
  PERFORM public.pii_audit_append('purpose-defined', NULL, pg_catalog.jsonb_build_object('code', p_code,
    'description', p_description, 'allows', p_allows, 'max_cells', p_max_cells,
    'max_duration', p_max_duration::text, 'needs_approval', p_needs_approval));
END
$fn$;

-- Retires a purpose (pii_admin only): no new grant under it; open grants run out or are revoked.
CREATE OR REPLACE FUNCTION public.pii_retire_purpose(p_code text) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'pii_admin', 'MEMBER') THEN
    RAISE EXCEPTION 'only a pii_admin login retires purposes' USING ERRCODE = '42501';
  END IF;
  UPDATE public.pii_purposes SET retired = true WHERE code = p_code AND code <> 'break-glass';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no purpose % to retire', p_code USING ERRCODE = '22023';
  END IF;
  PERFORM public.pii_audit_append('purpose-retired', NULL, pg_catalog.jsonb_build_object('code', p_code));
END
$fn$;

-- An audit row as the chain records it: every field but its outcome (an 'outcome' event records that).
CREATE OR REPLACE FUNCTION public.pii_access_detail(p_row public.pii_access_log) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
  SET TimeZone = 'UTC'
AS $fn$
  SELECT pg_catalog.to_jsonb(p_row) - 'outcome' - 'failure'
$fn$;

-- A grant row as the chain records it: every field but the running count (reveals record what they charge).
-- Times in UTC whatever the session's TimeZone, so that the verifier renders the row the same way.
CREATE OR REPLACE FUNCTION public.pii_grant_detail(p_grant public.pii_grants) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
  SET TimeZone = 'UTC'
AS $fn$
  SELECT pg_catalog.to_jsonb(p_grant) - 'cells_used'
$fn$;

-- Opens a grant row (requested, or approved at once without an approver) and chains it. Internal: the
-- request, break-glass and no-approval paths below check the caller first.
CREATE OR REPLACE FUNCTION public.pii_open_grant(p_purpose public.pii_purposes, p_dataset text, p_columns text[],
                                                 p_duration interval, p_ticket text, p_reason text,
                                                 p_break_glass boolean, p_event text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_now timestamptz := pg_catalog.clock_timestamp();
  v_open boolean := NOT p_purpose.needs_approval;
  v_grant public.pii_grants;
BEGIN
  INSERT INTO public.pii_grants AS g (requester, purpose, dataset, columns, ticket, reason, requested_at, duration,
                                      cell_budget, break_glass, status, decided_at, decision_note, expires_at)
  VALUES (session_user::text, p_purpose.code, p_dataset, p_columns, p_ticket, p_reason, v_now, p_duration,
          p_purpose.max_cells, p_break_glass, CASE WHEN v_open THEN 'approved' ELSE 'requested' END,
          CASE WHEN v_open THEN v_now END,
          CASE WHEN p_break_glass THEN 'break-glass: no approver' WHEN v_open THEN 'the purpose needs no approval' END,
          CASE WHEN v_open THEN v_now + p_duration END)
  RETURNING g.* INTO v_grant;
  PERFORM public.pii_audit_append(p_event, v_grant.id, public.pii_grant_detail(v_grant));
  RETURN v_grant.id;
END
$fn$;

-- The PII columns of a dataset a purpose allows, of those named (NULL: all of them); refuses a name that is
-- not a PII column of the dataset or that the purpose does not allow.
CREATE OR REPLACE FUNCTION public.pii_grant_columns(p_purpose text, p_dataset text, p_columns text[]) RETURNS text[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_all text[];
  v_col text;
BEGIN
  SELECT pg_catalog.array_agg(DISTINCT c.column_name ORDER BY c.column_name) INTO v_all
    FROM public.pii_catalog() c WHERE c.dataset = p_dataset;
  IF v_all IS NULL THEN
    RAISE EXCEPTION 'no dataset % in the PII catalog', p_dataset USING ERRCODE = '22023', HINT = 'unknown_column';
  END IF;
  IF p_columns IS NULL OR pg_catalog.cardinality(p_columns) = 0 THEN
    SELECT pg_catalog.array_agg(x ORDER BY x) INTO p_columns FROM pg_catalog.unnest(v_all) x
     WHERE public.pii_purpose_allows(p_purpose, p_dataset, x);
    IF p_columns IS NULL THEN
      RAISE EXCEPTION 'purpose % allows no PII column of %', p_purpose, p_dataset
        USING ERRCODE = '42501', HINT = 'purpose_not_allowed';
    END IF;
    RETURN p_columns;
  END IF;
  FOREACH v_col IN ARRAY p_columns LOOP
    IF NOT v_col = ANY (v_all) THEN
      RAISE EXCEPTION '% is not a PII column of % (the catalog lists %)', v_col, p_dataset,
        pg_catalog.array_to_string(v_all, ', ') USING ERRCODE = '22023', HINT = 'unknown_column';
    END IF;
    IF NOT public.pii_purpose_allows(p_purpose, p_dataset, v_col) THEN
      RAISE EXCEPTION 'purpose % does not allow %.%', p_purpose, p_dataset, v_col
        USING ERRCODE = '42501', HINT = 'purpose_not_allowed';
    END IF;
  END LOOP;
  RETURN ARRAY(SELECT DISTINCT x FROM pg_catalog.unnest(p_columns) x ORDER BY x);
END
$fn$;

-- A reader asks for a grant: dataset, columns (NULL: all the purpose allows there), purpose, duration (at most
-- the purpose's and the deployment's maximum), a ticket reference and a reason. Under a purpose that needs no
-- approval it is active at once (audited as such); otherwise it waits for a pii_approver.
CREATE OR REPLACE FUNCTION public.pii_request_grant(p_dataset text, p_columns text[], p_purpose text,
                                                    p_duration interval, p_ticket text, p_reason text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_purpose public.pii_purposes;
  v_max interval;
BEGIN
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  IF NOT pg_catalog.pg_has_role(session_user, 'pii_reader', 'MEMBER') THEN
    RAISE EXCEPTION 'only a pii_reader login requests grants' USING ERRCODE = '42501';
  END IF;
  SELECT p.* INTO v_purpose FROM public.pii_purposes p WHERE p.code = p_purpose;
  IF NOT FOUND OR v_purpose.retired THEN
    RAISE EXCEPTION 'no purpose % (pii_purposes lists the purposes in use)', p_purpose USING ERRCODE = '22023';
  END IF;
  IF p_purpose = 'break-glass' THEN
    RAISE EXCEPTION 'break-glass is opened with pii_break_glass(), not requested' USING ERRCODE = '22023';
  END IF;
  IF p_reason IS NULL OR pg_catalog.btrim(p_reason) = '' OR NOT public.pii_audit_text_ok(p_reason)
     OR (p_ticket IS NOT NULL AND NOT public.pii_audit_text_ok(p_ticket)) THEN
    RAISE EXCEPTION 'a grant needs a reason (and may name a ticket), each at most 500 characters, without control '
        'characters or bidirectional text controls' USING ERRCODE = '22023';
  END IF;
  SELECT LEAST(v_purpose.max_duration, l.max_grant_duration) INTO v_max FROM public.pii_reveal_limits l;
  v_max := COALESCE(v_max, v_purpose.max_duration);
  IF p_duration IS NULL OR p_duration <= interval '0' OR p_duration > v_max THEN
    RAISE EXCEPTION 'a grant for % lasts more than nothing and at most %', p_purpose, v_max USING ERRCODE = '22023';
  END IF;
  RETURN public.pii_open_grant(v_purpose, p_dataset, public.pii_grant_columns(p_purpose, p_dataset, p_columns),
                               p_duration, NULLIF(pg_catalog.btrim(p_ticket), ''), p_reason, false,
                               CASE WHEN v_purpose.needs_approval THEN 'grant-requested' ELSE 'grant-opened' END);
END
$fn$;

-- An approver decides a requested grant: never the requester's own, never one already decided. Approval
-- starts the clock (expires_at = now + the requested duration).
CREATE OR REPLACE FUNCTION public.pii_decide_grant(p_grant bigint, p_approve boolean, p_note text) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_grant public.pii_grants;
  v_now timestamptz := pg_catalog.clock_timestamp();
BEGIN
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  IF NOT pg_catalog.pg_has_role(session_user, 'pii_approver', 'MEMBER') THEN
    RAISE EXCEPTION 'only a pii_approver login decides grants' USING ERRCODE = '42501';
  END IF;
  IF p_approve IS NULL OR (p_note IS NOT NULL AND NOT public.pii_audit_text_ok(p_note)) THEN
    RAISE EXCEPTION 'approve or reject (true or false); a note is at most 500 characters, without control '
        'characters' USING ERRCODE = '22023';
  END IF;
  SELECT g.* INTO v_grant FROM public.pii_grants g WHERE g.id = p_grant FOR UPDATE;
  IF NOT FOUND OR v_grant.status <> 'requested' THEN
    RAISE EXCEPTION 'no requested grant %', p_grant USING ERRCODE = '22023';
  END IF;
  IF v_grant.requester = session_user::text THEN
    RAISE EXCEPTION 'grant % is your own request: another approver decides it', p_grant USING ERRCODE = '42501';
  END IF;
  UPDATE public.pii_grants g
     SET status = CASE WHEN p_approve THEN 'approved' ELSE 'rejected' END, decided_by = session_user::text,
         decided_at = v_now, decision_note = p_note,
         expires_at = CASE WHEN p_approve THEN v_now + v_grant.duration END
   WHERE g.id = p_grant RETURNING g.* INTO v_grant;
  PERFORM public.pii_audit_append(CASE WHEN p_approve THEN 'grant-approved' ELSE 'grant-rejected' END, p_grant,
                                  public.pii_grant_detail(v_grant));
END
$fn$;

-- Ends a grant before its time: its requester (giving it up), an approver or an admin.
CREATE OR REPLACE FUNCTION public.pii_revoke_grant(p_grant bigint, p_note text) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_grant public.pii_grants;
BEGIN
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  SELECT g.* INTO v_grant FROM public.pii_grants g WHERE g.id = p_grant FOR UPDATE;
  IF NOT FOUND OR v_grant.status NOT IN ('requested', 'approved')
     OR (v_grant.status = 'approved' AND v_grant.expires_at <= pg_catalog.clock_timestamp()) THEN
    RAISE EXCEPTION 'no open grant %', p_grant USING ERRCODE = '22023';
  END IF;
  IF v_grant.requester <> session_user::text AND NOT pg_catalog.pg_has_role(session_user, 'pii_approver', 'MEMBER')
     AND NOT pg_catalog.pg_has_role(session_user, 'pii_admin', 'MEMBER') THEN
    RAISE EXCEPTION 'only its requester, an approver or an admin revokes grant %', p_grant USING ERRCODE = '42501';
  END IF;
  IF p_note IS NOT NULL AND NOT public.pii_audit_text_ok(p_note) THEN
    RAISE EXCEPTION 'a note is at most 500 characters, without control characters' USING ERRCODE = '22023';
  END IF;
  UPDATE public.pii_grants g SET status = 'revoked', revoked_by = session_user::text,
         revoked_at = pg_catalog.clock_timestamp(), decision_note = COALESCE(p_note, g.decision_note)
   WHERE g.id = p_grant RETURNING g.* INTO v_grant;
  PERFORM public.pii_audit_append('grant-revoked', p_grant, public.pii_grant_detail(v_grant));
END
$fn$;

-- Break-glass: a reader opens an emergency grant alone, with a mandatory reason of some substance, for one
-- dataset's columns (NULL: all), under the built-in purpose 'break-glass' (its budget and duration). Flagged
-- in the grant, the chain and every audit row it covers.
CREATE OR REPLACE FUNCTION public.pii_break_glass(p_dataset text, p_columns text[], p_reason text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_purpose public.pii_purposes;
BEGIN
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  IF NOT pg_catalog.pg_has_role(session_user, 'pii_reader', 'MEMBER') THEN
    RAISE EXCEPTION 'only a pii_reader login breaks the glass' USING ERRCODE = '42501';
  END IF;
  IF p_reason IS NULL OR pg_catalog.char_length(pg_catalog.btrim(p_reason)) < 10
     OR NOT public.pii_audit_text_ok(p_reason) THEN
    RAISE EXCEPTION 'break-glass needs a reason of 10 to 500 characters, without control characters'
      USING ERRCODE = '22023';
  END IF;
  SELECT p.* INTO v_purpose FROM public.pii_purposes p WHERE p.code = 'break-glass';
  RETURN public.pii_open_grant(v_purpose, p_dataset, public.pii_grant_columns('break-glass', p_dataset, p_columns),
                               v_purpose.max_duration, NULL, p_reason, true, 'break-glass');
END
$fn$;

-- A catalog item pointer (RFC 6901: /holder_name, "" for the element itself) as jsonb path tokens, and the jsonb
-- array that a cell contains (@>) when some element holds p_value at that pointer: how the reveal counts the rows
-- sharing a value inside arrays and how erasure finds them.
CREATE OR REPLACE FUNCTION public.pii_pointer_tokens(p_pointer text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT
  SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT ARRAY(SELECT pg_catalog.replace(pg_catalog.replace(e.k, '~1', '/'), '~0', '~')
                 FROM pg_catalog.unnest(pg_catalog.string_to_array(pg_catalog.substr(p_pointer, 2), '/'))
                      WITH ORDINALITY AS e(k, n) ORDER BY e.n)
$fn$;

CREATE OR REPLACE FUNCTION public.pii_array_holding(p_pointer text, p_value text) RETURNS jsonb
  LANGUAGE plpgsql IMMUTABLE STRICT
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_tokens text[] := public.pii_pointer_tokens(p_pointer);
  v_probe jsonb := pg_catalog.to_jsonb(p_value);
BEGIN
  FOR i IN REVERSE COALESCE(pg_catalog.array_length(v_tokens, 1), 0)..1 LOOP
    v_probe := pg_catalog.jsonb_build_object(v_tokens[i], v_probe);
  END LOOP;
  RETURN pg_catalog.jsonb_build_array(v_probe);
END
$fn$;

-- The one way to get a PII ciphertext for a reveal. The catalog decides what is revealable: a (table, column)
-- that pii_catalog() lists, and in a jsonb array column one value, named by p_path = /<element index><the
-- catalog's array_item_pointer> (/2/holder_name; NULL for a whole cell). It checks the reason, charges the
-- login's per-minute budget (pii_reveal_limits), checks that the named purpose allows the column and that an
-- active grant of the caller's covers it with cells left (a deterministic value charges every row sharing it;
-- under a purpose that needs no approval the grant opens itself), reads the stored value with SQL built only
-- from the catalog's identifiers
-- (the caller's strings are only compared with the catalog and passed as parameters), writes the audit row as
-- the caller's session_user at clock_timestamp() with how many rows share the value, and returns the ciphertext
-- with what decrypts it (mode, keyset and associated data of the same catalog row). The reveal service calls it
-- as the analyst's own login, commits, and only then decrypts.
DROP FUNCTION IF EXISTS public.pii_reveal(text, text, text, text); -- the signature before the catalog (no path)
DROP FUNCTION IF EXISTS public.pii_reveal(text, text, text, text, text); -- the signature before purposes
CREATE OR REPLACE FUNCTION public.pii_reveal(p_table text, p_row_key text, p_column text, p_path text,
                                             p_purpose text, p_reason text)
  RETURNS TABLE (audit_id bigint, ciphertext text, mode text, keyset text, associated_data text,
                 break_glass boolean)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_col record;
  v_cell text;
  v_match text[];
  v_index integer;
  v_item text := '';
  v_item_path text[];
  v_items text;
  v_key_type text;
  v_sql text;
  v_found boolean;
  v_value text;
  v_sharing bigint;
  v_limit integer;
  v_used bigint;
  v_retry bigint;
  v_purpose public.pii_purposes;
  v_grant public.pii_grants;
  v_cost bigint;
  v_opened bigint;
  v_before numeric;
  v_after numeric;
  v_last public.pii_grants;
  v_refusal text;
BEGIN
  -- The audit row must be on disk before the service decrypts: whatever the caller set for its role or
  -- session, this transaction commits synchronously (until its end, past this function's own settings).
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  IF p_reason IS NULL OR pg_catalog.btrim(p_reason) = '' THEN
    RAISE EXCEPTION 'a reason is required to reveal PII' USING ERRCODE = '22023', HINT = 'bad_request';
  END IF;
  IF NOT public.pii_audit_text_ok(p_reason) THEN
    RAISE EXCEPTION 'the reason must be at most 500 characters, without control characters or bidirectional '
        'text controls' USING ERRCODE = '22023', HINT = 'bad_request';
  END IF;
  IF p_row_key IS NULL THEN
    RAISE EXCEPTION 'a row key is required' USING ERRCODE = '22023', HINT = 'bad_request';
  END IF;
  -- The budget counts committed rows of the last minute; a snapshot older than the lock below would not see
  -- the rows another transaction of this login committed meanwhile.
  IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'pii_reveal runs in READ COMMITTED transactions only' USING ERRCODE = '25000';
  END IF;
  -- One login's reveals are counted one transaction at a time (two service replicas, two psql sessions):
  -- the lock is held until this transaction ends, so the next one counts these rows.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pii_reveal budget'),
                                           pg_catalog.hashtext(session_user::text));
  SELECT l.cells_per_minute INTO v_limit FROM public.pii_reveal_limits l;
  v_limit := COALESCE(v_limit, 60);
  SELECT pg_catalog.count(*) INTO v_used FROM public.pii_access_log a
   WHERE a.analyst = session_user::text AND a.at > pg_catalog.clock_timestamp() - interval '1 minute';
  IF v_used >= v_limit THEN
    -- seconds until enough of the counted rows are older than a minute for one more cell
    SELECT pg_catalog.ceil(pg_catalog.date_part('epoch', a.at + interval '1 minute' - pg_catalog.clock_timestamp()))
      INTO v_retry FROM public.pii_access_log a
     WHERE a.analyst = session_user::text AND a.at > pg_catalog.clock_timestamp() - interval '1 minute'
     ORDER BY a.at OFFSET v_used - v_limit LIMIT 1;
    RAISE EXCEPTION 'rate limit: % cells per minute per login (pii_reveal_limits.cells_per_minute)', v_limit
      USING ERRCODE = '53400', DETAIL = 'retry in ' || GREATEST(COALESCE(v_retry, 60), 1) || ' s',
            HINT = 'rate_limited';
  END IF;

  -- What the caller names is looked up in the catalog, never used as an identifier.
  v_cell := COALESCE(p_table, '') || '.' || COALESCE(p_column, '') || COALESCE(' at ' || p_path, '');
  IF p_path IS NOT NULL THEN
    v_match := pg_catalog.regexp_match(p_path, '^/(0|[1-9][0-9]{0,8})(/.*)?$');
    IF v_match IS NULL THEN
      RAISE EXCEPTION 'cannot reveal %: a path names one value in a jsonb array cell as /<element index><item '
          'pointer>, e.g. /2/holder_name', v_cell USING ERRCODE = '22023', HINT = 'bad_request';
    END IF;
    v_index := v_match[1]::integer;
    v_item := COALESCE(v_match[2], '');
  END IF;
  SELECT c.* INTO v_col FROM public.pii_catalog() c
   WHERE c.table_name = p_table AND c.column_name = p_column AND c.array_item_pointer = v_item;
  IF NOT FOUND OR v_col.row_key_column IS NULL THEN
    SELECT pg_catalog.string_agg(c.array_item_pointer, ', ') INTO v_items FROM public.pii_catalog() c
     WHERE c.table_name = p_table AND c.column_name = p_column AND c.in_array;
    IF v_items IS NOT NULL AND p_path IS NULL THEN
      RAISE EXCEPTION 'cannot reveal %: it is a jsonb array; name one value with a path /<element index><item '
          'pointer> (item pointers: %)', v_cell, v_items USING ERRCODE = '22023', HINT = 'unknown_column';
    END IF;
    RAISE EXCEPTION 'cannot reveal %: the PII catalog (pii_columns) lists no such value', v_cell
      USING ERRCODE = '22023', HINT = 'unknown_column';
  END IF;
  IF NOT v_col.in_array AND p_path IS NOT NULL THEN
    RAISE EXCEPTION 'cannot reveal %: %.% is not an array, reveal it without a path', v_cell, p_table, p_column
      USING ERRCODE = '22023', HINT = 'unknown_column';
  END IF;

  -- Why, and under which grant: checked before the row is read, so that no grant means no answer about it.
  SELECT p.* INTO v_purpose FROM public.pii_purposes p WHERE p.code = p_purpose;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'a reveal names its purpose: one of the codes of pii_purposes'
      USING ERRCODE = '22023', HINT = 'unknown_purpose';
  END IF;
  IF NOT public.pii_purpose_allows(p_purpose, v_col.dataset, v_col.column_name) THEN
    RAISE EXCEPTION 'purpose % does not allow %.% (pii_purpose_columns)', p_purpose, v_col.dataset,
      v_col.column_name USING ERRCODE = '42501', HINT = 'purpose_not_allowed';
  END IF;
  SELECT g.* INTO v_grant FROM public.pii_grants g
   WHERE g.requester = session_user::text AND g.purpose = p_purpose AND g.dataset = v_col.dataset
     AND v_col.column_name = ANY (g.columns) AND g.status = 'approved'
     AND g.expires_at > pg_catalog.clock_timestamp() AND g.cells_used < g.cell_budget
   ORDER BY g.expires_at, g.id LIMIT 1 FOR UPDATE;
  IF NOT FOUND AND NOT v_purpose.needs_approval AND NOT v_purpose.retired AND p_purpose <> 'break-glass' THEN
    -- a purpose that needs no approval: the grant opens itself, audited as such
    -- (opened first, then read: a statement does not see the rows a function it calls inserts)
    v_opened := public.pii_open_grant(v_purpose, v_col.dataset, public.pii_grant_columns(p_purpose, v_col.dataset, NULL),
                                      LEAST(v_purpose.max_duration, (SELECT l.max_grant_duration
                                                                       FROM public.pii_reveal_limits l)),
                                      NULL, p_reason, false, 'grant-opened');
    SELECT g.* INTO v_grant FROM public.pii_grants g WHERE g.id = v_opened FOR UPDATE;
  END IF;
  IF v_grant.id IS NULL THEN
    -- why, for the client to act on: what became of the login's latest grant for the column under this purpose
    SELECT g.* INTO v_last FROM public.pii_grants g
     WHERE g.requester = session_user::text AND g.purpose = p_purpose AND g.dataset = v_col.dataset
       AND v_col.column_name = ANY (g.columns)
     ORDER BY g.requested_at DESC, g.id DESC LIMIT 1;
    v_refusal := CASE WHEN v_last.id IS NULL THEN 'no_grant'
                      WHEN v_last.status = 'requested' THEN 'grant_pending'
                      WHEN v_last.status = 'rejected' THEN 'grant_rejected'
                      WHEN v_last.status = 'revoked' THEN 'grant_revoked'
                      WHEN v_last.expires_at <= pg_catalog.clock_timestamp() THEN 'grant_expired'
                      ELSE 'budget_exhausted' END;
    RAISE EXCEPTION 'no active grant of % covers %.% for purpose % with cells left: request one (pii_request_grant)',
      session_user, v_col.dataset, v_col.column_name, p_purpose USING ERRCODE = '42501', HINT = v_refusal;
  END IF;

  -- The row key's type (text, or bigint for an integer key property): the caller's key is a parameter cast to it.
  SELECT pg_catalog.format_type(a.atttypid, NULL) INTO v_key_type FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = pg_catalog.to_regclass(pg_catalog.format('public.%I', v_col.table_name))
     AND a.attname = v_col.row_key_column AND a.attnum > 0 AND NOT a.attisdropped;
  IF v_key_type IS NULL THEN
    RAISE EXCEPTION 'the PII catalog lists %.%, but the table or its row key column % is missing',
      v_col.table_name, v_col.column_name, v_col.row_key_column USING ERRCODE = '55000';
  END IF;
  IF v_col.in_array THEN
    v_item_path := public.pii_pointer_tokens(v_item);
    v_sql := pg_catalog.format('SELECT true, t.%I -> $2 #>> $3 FROM public.%I t WHERE t.%I = $1::%s',
                               v_col.column_name, v_col.table_name, v_col.row_key_column, v_key_type);
  ELSE
    v_sql := pg_catalog.format('SELECT true, t.%I FROM public.%I t WHERE t.%I = $1::%s',
                               v_col.column_name, v_col.table_name, v_col.row_key_column, v_key_type);
  END IF;
  IF v_key_type = 'text' THEN
    EXECUTE v_sql INTO v_found, v_value USING p_row_key, v_index, v_item_path;
  ELSE
    BEGIN
      EXECUTE v_sql INTO v_found, v_value USING p_row_key, v_index, v_item_path;
    EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
      v_found := NULL; -- a key that is not of the column's type names no row
    END;
  END IF;
  IF v_found IS NULL THEN
    RAISE EXCEPTION 'no row with key % in %', p_row_key, p_table USING ERRCODE = 'P0002', HINT = 'no_such_row';
  END IF;
  IF v_value IS NULL OR v_value = '' THEN
    RAISE EXCEPTION 'row % in % has no value in %', p_row_key, p_table,
      p_column || COALESCE(' at ' || p_path, '') USING ERRCODE = 'P0002', HINT = 'no_value';
  END IF;

  -- Equal deterministic (or hmac) values have equal ciphertexts: one reveal discloses every row holding it.
  -- Randomized ones never share, so nothing to count.
  IF v_col.mode IN ('deterministic', 'hmac') THEN
    IF NOT v_col.in_array THEN
      EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM public.%I t WHERE t.%I = $1',
                                v_col.table_name, v_col.column_name) INTO v_sharing USING v_value;
    ELSE
      -- rows whose array holds the value at the item pointer in some element (containment); no index reaches
      -- inside arrays, so this reads the whole table
      EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM public.%I t WHERE t.%I @> $1',
                                v_col.table_name, v_col.column_name) INTO v_sharing
        USING public.pii_array_holding(v_item, v_value);
    END IF;
  END IF;
  -- The grant's budget, in cells disclosed: a shared deterministic value discloses every row holding it.
  v_cost := GREATEST(COALESCE(v_sharing, 1), 1);
  IF v_grant.cells_used + v_cost > v_grant.cell_budget THEN
    RAISE EXCEPTION 'grant % has % of % cells left; this value is shared by % rows', v_grant.id,
      v_grant.cell_budget - v_grant.cells_used, v_grant.cell_budget, v_cost
      USING ERRCODE = '54000', HINT = 'budget_exhausted';
  END IF;
  UPDATE public.pii_grants g SET cells_used = g.cells_used + v_cost WHERE g.id = v_grant.id;
  INSERT INTO public.pii_access_log AS a (analyst, at, table_name, row_key, column_name, path, reason, key_id,
                                          outcome, rows_sharing, ciphertext_sha256, purpose, grant_id,
                                          cells_charged)
  VALUES (session_user::text, pg_catalog.clock_timestamp(), v_col.table_name, p_row_key, v_col.column_name, p_path,
          p_reason, public.pii_key_id(v_value), 'pending', v_sharing,
          pg_catalog.sha256(pg_catalog.convert_to(v_value, 'UTF8')), p_purpose, v_grant.id, v_cost)
  RETURNING a.id INTO audit_id;
  PERFORM public.pii_audit_append('reveal', audit_id,
    (SELECT public.pii_access_detail(a) FROM public.pii_access_log a WHERE a.id = audit_id)
    || pg_catalog.jsonb_build_object('break_glass', v_grant.break_glass));
  -- 80 % and 100 % of a grant's budget are events of their own, for the auditor's desk.
  v_before := v_grant.cells_used::numeric / v_grant.cell_budget;
  v_after := (v_grant.cells_used + v_cost)::numeric / v_grant.cell_budget;
  IF v_before < 0.8 AND v_after >= 0.8 THEN
    PERFORM public.pii_audit_append('budget-80', v_grant.id, pg_catalog.jsonb_build_object(
      'cells_used', v_grant.cells_used + v_cost, 'cell_budget', v_grant.cell_budget));
  END IF;
  IF v_after >= 1 THEN
    PERFORM public.pii_audit_append('budget-100', v_grant.id, pg_catalog.jsonb_build_object(
      'cells_used', v_grant.cells_used + v_cost, 'cell_budget', v_grant.cell_budget));
  END IF;
  ciphertext := v_value;
  mode := v_col.mode;
  keyset := v_col.keyset;
  associated_data := v_col.associated_data;
  break_glass := v_grant.break_glass;
  RETURN NEXT;
END
$fn$;

-- Earlier versions let the reader settle its own rows (and claim 'revealed' for what it never decrypted).
DROP FUNCTION IF EXISTS public.pii_reveal_outcome(bigint, boolean, text);

-- Records whether a pending reveal of p_analyst was decrypted ('revealed') or not ('failed', with its cause).
-- Only the reveal service's own login (pii_reveal_service) may call it, never a reader: an outcome says what
-- the service did. A row is settled once; a row of another analyst, or a settled one, is refused.
CREATE OR REPLACE FUNCTION public.pii_reveal_outcome(p_audit_id bigint, p_analyst text, p_ok boolean, p_failure text)
  RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  -- a login granted both roles by mistake would be its own witness again
  IF pg_catalog.pg_has_role(session_user, 'pii_reader', 'MEMBER') THEN
    RAISE EXCEPTION 'a pii_reader login cannot record reveal outcomes: use a login with pii_reveal_service only'
      USING ERRCODE = '42501';
  END IF;
  IF p_ok IS NULL THEN
    RAISE EXCEPTION 'the outcome must be true (revealed) or false (failed)' USING ERRCODE = '22023';
  END IF;
  IF NOT p_ok AND (p_failure IS NULL OR pg_catalog.btrim(p_failure) = '') THEN
    RAISE EXCEPTION 'a failed reveal needs its cause' USING ERRCODE = '22023';
  END IF;
  IF NOT p_ok AND NOT public.pii_audit_text_ok(p_failure) THEN
    RAISE EXCEPTION 'the cause must be at most 500 characters, without control characters or bidirectional '
        'text controls' USING ERRCODE = '22023';
  END IF;
  UPDATE public.pii_access_log
     SET outcome = CASE WHEN p_ok THEN 'revealed' ELSE 'failed' END,
         failure = CASE WHEN p_ok THEN NULL ELSE p_failure END
   WHERE id = p_audit_id AND analyst = p_analyst AND outcome = 'pending';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no pending reveal % of %', p_audit_id, p_analyst USING ERRCODE = '22023';
  END IF;
  PERFORM public.pii_audit_append('outcome', p_audit_id, pg_catalog.jsonb_build_object(
    'outcome', CASE WHEN p_ok THEN 'revealed' ELSE 'failed' END, 'failure', CASE WHEN p_ok THEN NULL ELSE p_failure END));
END
$fn$;

-- ── Erasure of a data subject (GDPR art. 17) ───────────────────────────────────────────────────────────────
-- Finds, and with p_erase deletes, every row of every dataset that holds one of a subject's values: p_values is
-- [{"table", "column", "item_pointer" (null outside arrays), "ciphertext"}], the ciphertexts the reveal service made
-- of the subject's identifying value for each deterministic (or hmac) column of one key domain (it holds the keys;
-- equal values have equal ciphertexts, so nothing is decrypted). Only catalog columns of those modes are accepted.
-- The subject is named in the audit by a token, SHA-256 of its sorted ciphertexts, never by its value. A count is
-- audited too (it says whether a subject is there). Only a pii_eraser login, through the reveal service.
CREATE OR REPLACE FUNCTION public.pii_erase_subject(p_values jsonb, p_reason text, p_erase boolean)
  RETURNS TABLE (dataset text, table_name text, rows bigint, subject_token text, audit_seq bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_entry jsonb;
  v_col record;
  v_token text;
  v_where text;
  v_tables jsonb := '{}';
  v_table text;
  v_dataset text;
  v_count bigint;
  v_counts jsonb := '[]';
BEGIN
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  IF NOT pg_catalog.pg_has_role(session_user, 'pii_eraser', 'MEMBER') THEN
    RAISE EXCEPTION 'only a pii_eraser login erases data subjects' USING ERRCODE = '42501', HINT = 'not_an_eraser';
  END IF;
  IF p_reason IS NULL OR pg_catalog.btrim(p_reason) = '' OR NOT public.pii_audit_text_ok(p_reason) THEN
    RAISE EXCEPTION 'an erasure needs a reason of at most 500 characters, without control characters'
      USING ERRCODE = '22023', HINT = 'bad_request';
  END IF;
  IF p_values IS NULL OR pg_catalog.jsonb_typeof(p_values) <> 'array' OR pg_catalog.jsonb_array_length(p_values) = 0 THEN
    RAISE EXCEPTION 'no values to look for' USING ERRCODE = '22023', HINT = 'bad_request';
  END IF;
  SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
           pg_catalog.string_agg(e ->> 'ciphertext', E'\n' ORDER BY e ->> 'ciphertext'), 'UTF8')), 'hex')
    INTO v_token FROM pg_catalog.jsonb_array_elements(p_values) e;
  -- one WHERE per table, OR-ing its columns' conditions; identifiers from the catalog only
  FOR v_entry IN SELECT * FROM pg_catalog.jsonb_array_elements(p_values) LOOP
    SELECT c.* INTO v_col FROM public.pii_catalog() c
     WHERE c.table_name = v_entry ->> 'table' AND c.column_name = v_entry ->> 'column'
       AND c.array_item_pointer = COALESCE(v_entry ->> 'item_pointer', '') AND c.mode IN ('deterministic', 'hmac');
    IF NOT FOUND OR v_col.row_key_column IS NULL OR v_entry ->> 'ciphertext' IS NULL THEN
      RAISE EXCEPTION 'cannot look for %.%: the PII catalog lists no deterministic value there',
        v_entry ->> 'table', v_entry ->> 'column' USING ERRCODE = '22023', HINT = 'unknown_column';
    END IF;
    IF v_col.in_array THEN
      v_where := pg_catalog.format('t.%I @> %L::jsonb', v_col.column_name,
                                   public.pii_array_holding(v_col.array_item_pointer, v_entry ->> 'ciphertext')::text);
    ELSE
      v_where := pg_catalog.format('t.%I = %L', v_col.column_name, v_entry ->> 'ciphertext');
    END IF;
    v_tables := pg_catalog.jsonb_set(v_tables, ARRAY[v_col.table_name], pg_catalog.jsonb_build_object(
      'dataset', v_col.dataset,
      'where', COALESCE((v_tables -> v_col.table_name ->> 'where') || ' OR ', '') || v_where));
  END LOOP;
  FOR v_table IN SELECT k FROM pg_catalog.jsonb_object_keys(v_tables) k ORDER BY k LOOP
    v_dataset := v_tables -> v_table ->> 'dataset';
    IF p_erase THEN
      EXECUTE pg_catalog.format('WITH gone AS (DELETE FROM public.%I t WHERE %s RETURNING 1) '
                                'SELECT pg_catalog.count(*) FROM gone', v_table, v_tables -> v_table ->> 'where')
        INTO v_count;
    ELSE
      EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM public.%I t WHERE %s', v_table,
                                v_tables -> v_table ->> 'where') INTO v_count;
    END IF;
    v_counts := v_counts || pg_catalog.jsonb_build_object('dataset', v_dataset, 'table', v_table, 'rows', v_count);
  END LOOP;
  audit_seq := public.pii_audit_append(CASE WHEN p_erase THEN 'erasure' ELSE 'erasure-count' END, NULL,
    pg_catalog.jsonb_build_object('subject_token', v_token, 'reason', p_reason, 'rows', v_counts));
  subject_token := v_token;
  FOR v_entry IN SELECT * FROM pg_catalog.jsonb_array_elements(v_counts) LOOP
    dataset := v_entry ->> 'dataset';
    table_name := v_entry ->> 'table';
    rows := (v_entry ->> 'rows')::bigint;
    RETURN NEXT;
  END LOOP;
END
$fn$;

-- A function of ours that someone else planted (an overload, say pii_reveal(varchar, ...), from the time
-- PUBLIC could create in public) is dropped: calls with untyped arguments would bind it. The list below is
-- every function of this file with its argument types and who may call it; owner and privileges follow.
DO $$
DECLARE
  fns text[] := ARRAY[
    ['public.pii_reveal(text,text,text,text,text,text)', 'pii_reader'],
    -- the catalog's readers, the reveal service's login (keysets, /health) and pii-keys --dataset
    ['public.pii_catalog()', 'analyst, pii_auditor, pii_reveal_service, pii_reencryptor, pii_approver, pii_admin, '
                             'pii_eraser'],
    ['public.pii_reveal_outcome(bigint,text,boolean,text)', 'pii_reveal_service'],
    ['public.pii_key_id(text)', ''],
    ['public.pii_audit_text_ok(text)', ''],
    ['public.pii_keep_ciphertexts()', ''],
    ['public.pii_audit_chain_text(bigint,timestamp with time zone,text,text,bigint,jsonb)', ''],
    ['public.pii_audit_append(text,bigint,jsonb)', ''],
    ['public.pii_audit_head()', 'pii_auditor, pii_reveal_service'],
    ['public.pii_purpose_allows(text,text,text)', ''],
    ['public.pii_pointer_tokens(text)', ''],
    ['public.pii_array_holding(text,text)', ''],
    ['public.pii_define_purpose(text,text,text[],integer,interval,boolean)', 'pii_admin'],
    ['public.pii_retire_purpose(text)', 'pii_admin'],
    ['public.pii_grant_detail(pii_grants)', ''],
    ['public.pii_access_detail(pii_access_log)', ''],
    ['public.pii_open_grant(pii_purposes,text,text[],interval,text,text,boolean,text)', ''],
    ['public.pii_grant_columns(text,text,text[])', ''],
    ['public.pii_request_grant(text,text[],text,interval,text,text)', 'pii_reader'],
    ['public.pii_decide_grant(bigint,boolean,text)', 'pii_approver'],
    ['public.pii_revoke_grant(bigint,text)', 'pii_reader, pii_approver, pii_admin'],
    ['public.pii_break_glass(text,text[],text)', 'pii_reader'],
    ['public.pii_erase_subject(jsonb,text,boolean)', 'pii_eraser']];
  ours regprocedure[];
  f regprocedure;
  i integer;
BEGIN
  FOR i IN 1 .. pg_catalog.array_length(fns, 1) LOOP
    ours := ours || fns[i][1]::regprocedure;
  END LOOP;
  FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace
              AND p.proname IN (SELECT pg_catalog.split_part(pg_catalog.split_part(x::text, '(', 1), '.', 2)
                                  FROM pg_catalog.unnest(ours) x)
              AND NOT p.oid = ANY (ours::oid[]) LOOP
    RAISE WARNING 'dropping %, which is not a function of sqs-pii-connect', f;
    EXECUTE pg_catalog.format('DROP FUNCTION %s', f);
  END LOOP;
  FOR i IN 1 .. pg_catalog.array_length(fns, 1) LOOP
    EXECUTE pg_catalog.format('ALTER FUNCTION %s OWNER TO pii_audit_owner', fns[i][1]::regprocedure);
    EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fns[i][1]::regprocedure);
    IF fns[i][2] <> '' THEN
      EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO %s', fns[i][1]::regprocedure, fns[i][2]);
    END IF;
  END LOOP;
END
$$;
