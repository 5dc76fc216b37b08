-- Roles, privileges and the audited reveal functions of sqs-pii-connect. Grant the group roles to real
-- logins, e.g.  CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE pii_reader;
-- Keep a reader and an auditor separate logins: a reader is not its own auditor.
-- The reveal service has a login of its own, member of pii_reveal_service only: it alone settles outcomes.
-- pii-keys reencrypt logs in as a member of pii_reencryptor: it alone may rewrite stored ciphertexts.
-- Roles are cluster-wide, so creation is idempotent; grants and functions apply to the current database.
-- Apply after schema.sql, as a superuser, on every start (idempotent).

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['pipeline_writer', 'analyst', 'pii_reader', 'pii_auditor', 'pii_audit_owner',
                          'pii_reveal_service', 'pii_reencryptor'] LOOP
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
-- The audit owner is never a login: nobody can connect as it and write the log by hand.
ALTER ROLE pii_audit_owner NOLOGIN;

-- Nobody but the owner creates objects in public (PostgreSQL <= 14, and clusters upgraded from it, let
-- PUBLIC do so): a planted overload of pii_reveal() would otherwise bind the service's calls.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO pipeline_writer, analyst, pii_reader, pii_auditor, pii_audit_owner,
  pii_reveal_service, pii_reencryptor;

-- Start from nothing on every apply, so a privilege granted by an earlier version does not linger
-- (revoking a table privilege revokes its column privileges too).
REVOKE ALL ON user_logins, user_logins_rejected FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor,
  pii_reveal_service, pii_reencryptor;
REVOKE ALL ON pii_access_log, pii_reveal_limits FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor,
  pii_reveal_service, pii_reencryptor;
REVOKE ALL ON SEQUENCE pii_access_log_id_seq FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor,
  pii_reveal_service, pii_reencryptor;

-- The JDBC sink upserts: INSERT ... ON CONFLICT (message_id) DO UPDATE SET <every other column> needs SELECT,
-- INSERT and UPDATE of those columns. Never of message_id (the audit names rows by it), no DELETE.
-- A column added to a table needs its place in these lists, or the sink's upsert is refused.
GRANT SELECT, INSERT ON user_logins, user_logins_rejected TO pipeline_writer;
GRANT UPDATE (user_id, device_type, masked_ip, masked_device_id, locale, app_version, create_date)
  ON user_logins TO pipeline_writer;
GRANT UPDATE (error, encrypted_body, create_date) ON user_logins_rejected TO pipeline_writer;

-- pii-keys reencrypt reads the rows and rewrites the ciphertext columns (to the keyset's new primary key).
GRANT SELECT ON user_logins, user_logins_rejected TO pii_reencryptor;
GRANT UPDATE (masked_ip, masked_device_id) ON user_logins TO pii_reencryptor;
GRANT UPDATE (encrypted_body) ON user_logins_rejected TO pii_reencryptor;

-- Analysts read the data tables; PII stays ciphertext for them.
GRANT SELECT ON user_logins, user_logins_rejected TO analyst;

-- PII readers are analysts who may call the reveal functions below (and nothing else on the log).
GRANT analyst TO pii_reader;

-- Auditors read the audit log.
GRANT SELECT ON pii_access_log TO pii_auditor;

-- The audit owner owns the log (and its sequence) and the limits, and reads the values it hands out.
ALTER TABLE pii_access_log OWNER TO pii_audit_owner;
ALTER TABLE pii_reveal_limits OWNER TO pii_audit_owner;
GRANT SELECT ON user_logins, user_logins_rejected TO pii_audit_owner;

-- A stored ciphertext is kept once written: the sink's login can neither swap two rows' values (the audit
-- would name row B while revealing A's value) nor erase one. A redelivery writes the same deterministic value,
-- or, for a rejected body, a new randomized one, and the first is kept either way. Only pii_reencryptor
-- (and superusers) rewrite ciphertexts. An empty cell may still be filled.
-- ONE function for every table (user_logins here, each dataset's tables through `dataset apply`): the trigger's
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

CREATE OR REPLACE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.user_logins
  FOR EACH ROW EXECUTE FUNCTION public.pii_keep_ciphertexts('masked_ip', 'masked_device_id');
CREATE OR REPLACE TRIGGER pii_keep_ciphertexts BEFORE UPDATE ON public.user_logins_rejected
  FOR EACH ROW EXECUTE FUNCTION public.pii_keep_ciphertexts('encrypted_body');

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
-- RevealRequest.java holds the same rule for a clear 400 before the database is asked.
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

-- The one way to get a PII ciphertext for a reveal: checks the (table, column) pair and the reason, charges
-- the login's budget (pii_reveal_limits), writes the audit row as the caller's session_user at
-- clock_timestamp() with how many rows share the value, and returns the ciphertext. The reveal service calls it
-- as the analyst's own login, commits, and only then decrypts.
CREATE OR REPLACE FUNCTION public.pii_reveal(p_table text, p_row_key text, p_column text, p_reason text)
  RETURNS TABLE (audit_id bigint, ciphertext text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_value text;
  v_found boolean;
  v_sharing bigint;
  v_limit integer;
  v_used bigint;
  v_retry bigint;
BEGIN
  -- The audit row must be on disk before the service decrypts: whatever the caller set for its role or
  -- session, this transaction commits synchronously (until its end, past this function's own settings).
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  IF p_reason IS NULL OR pg_catalog.btrim(p_reason) = '' THEN
    RAISE EXCEPTION 'a reason is required to reveal PII' USING ERRCODE = '22023';
  END IF;
  IF NOT public.pii_audit_text_ok(p_reason) THEN
    RAISE EXCEPTION 'the reason must be at most 500 characters, without control characters or bidirectional '
        'text controls' USING ERRCODE = '22023';
  END IF;
  IF p_row_key IS NULL THEN
    RAISE EXCEPTION 'a row key is required' USING ERRCODE = '22023';
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
      USING ERRCODE = '53400', DETAIL = 'retry in ' || GREATEST(COALESCE(v_retry, 60), 1) || ' s';
  END IF;
  IF p_table = 'user_logins' AND p_column = 'masked_ip' THEN
    SELECT l.masked_ip INTO v_value FROM public.user_logins l WHERE l.message_id = p_row_key;
    v_found := FOUND;
    SELECT pg_catalog.count(*) INTO v_sharing FROM public.user_logins l WHERE l.masked_ip = v_value;
  ELSIF p_table = 'user_logins' AND p_column = 'masked_device_id' THEN
    SELECT l.masked_device_id INTO v_value FROM public.user_logins l WHERE l.message_id = p_row_key;
    v_found := FOUND;
    SELECT pg_catalog.count(*) INTO v_sharing FROM public.user_logins l WHERE l.masked_device_id = v_value;
  ELSIF p_table = 'user_logins_rejected' AND p_column = 'encrypted_body' THEN
    -- randomized: equal bodies never share a ciphertext, so nothing to count
    SELECT r.encrypted_body INTO v_value FROM public.user_logins_rejected r WHERE r.message_id = p_row_key;
    v_found := FOUND;
  ELSE
    RAISE EXCEPTION 'cannot reveal %.%: the revealable columns are user_logins.masked_ip, '
        'user_logins.masked_device_id and user_logins_rejected.encrypted_body', p_table, p_column
      USING ERRCODE = '22023';
  END IF;
  IF NOT v_found THEN
    RAISE EXCEPTION 'no row with key % in %', p_row_key, p_table USING ERRCODE = 'P0002';
  END IF;
  IF v_value IS NULL OR v_value = '' THEN
    RAISE EXCEPTION 'row % in % has no value in %', p_row_key, p_table, p_column USING ERRCODE = 'P0002';
  END IF;
  INSERT INTO public.pii_access_log AS a (analyst, at, table_name, row_key, column_name, reason, key_id, outcome,
                                          rows_sharing, ciphertext_sha256)
  VALUES (session_user::text, pg_catalog.clock_timestamp(), p_table, p_row_key, p_column, p_reason,
          public.pii_key_id(v_value), 'pending', v_sharing,
          pg_catalog.sha256(pg_catalog.convert_to(v_value, 'UTF8')))
  RETURNING a.id INTO audit_id;
  ciphertext := v_value;
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
END
$fn$;

-- A function of ours that someone else planted (an overload, say pii_reveal(varchar, ...), from the time
-- PUBLIC could create in public) is dropped: calls with untyped arguments would bind it.
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace
              AND p.proname IN ('pii_reveal', 'pii_reveal_outcome', 'pii_key_id', 'pii_audit_text_ok')
              AND p.oid NOT IN ('public.pii_reveal(text,text,text,text)'::regprocedure,
                                'public.pii_reveal_outcome(bigint,text,boolean,text)'::regprocedure,
                                'public.pii_key_id(text)'::regprocedure,
                                'public.pii_audit_text_ok(text)'::regprocedure) LOOP
    RAISE WARNING 'dropping %, which is not a function of sqs-pii-connect', f;
    EXECUTE format('DROP FUNCTION %s', f);
  END LOOP;
END
$$;

ALTER FUNCTION public.pii_key_id(text) OWNER TO pii_audit_owner;
ALTER FUNCTION public.pii_reveal(text, text, text, text) OWNER TO pii_audit_owner;
ALTER FUNCTION public.pii_reveal_outcome(bigint, text, boolean, text) OWNER TO pii_audit_owner;
ALTER FUNCTION public.pii_audit_text_ok(text) OWNER TO pii_audit_owner;
REVOKE ALL ON FUNCTION public.pii_key_id(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.pii_reveal(text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.pii_reveal_outcome(bigint, text, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.pii_audit_text_ok(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pii_reveal(text, text, text, text) TO pii_reader;
GRANT EXECUTE ON FUNCTION public.pii_reveal_outcome(bigint, text, boolean, text) TO pii_reveal_service;
