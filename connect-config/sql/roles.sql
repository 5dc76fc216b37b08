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

-- The one way to get a PII ciphertext for a reveal. The catalog decides what is revealable: a (table, column)
-- that pii_catalog() lists, and in a jsonb array column one value, named by p_path = /<element index><the
-- catalog's array_item_pointer> (/2/holder_name; NULL for a whole cell). It checks the reason, charges the
-- login's budget (pii_reveal_limits), reads the stored value with SQL built only from the catalog's identifiers
-- (the caller's strings are only compared with the catalog and passed as parameters), writes the audit row as
-- the caller's session_user at clock_timestamp() with how many rows share the value, and returns the ciphertext
-- with what decrypts it (mode, keyset and associated data of the same catalog row). The reveal service calls it
-- as the analyst's own login, commits, and only then decrypts.
DROP FUNCTION IF EXISTS public.pii_reveal(text, text, text, text); -- the signature before the catalog (no path)
CREATE OR REPLACE FUNCTION public.pii_reveal(p_table text, p_row_key text, p_column text, p_path text, p_reason text)
  RETURNS TABLE (audit_id bigint, ciphertext text, mode text, keyset text, associated_data text)
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
  v_probe jsonb;
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

  -- What the caller names is looked up in the catalog, never used as an identifier.
  v_cell := COALESCE(p_table, '') || '.' || COALESCE(p_column, '') || COALESCE(' at ' || p_path, '');
  IF p_path IS NOT NULL THEN
    v_match := pg_catalog.regexp_match(p_path, '^/(0|[1-9][0-9]{0,8})(/.*)?$');
    IF v_match IS NULL THEN
      RAISE EXCEPTION 'cannot reveal %: a path names one value in a jsonb array cell as /<element index><item '
          'pointer>, e.g. /2/holder_name', v_cell USING ERRCODE = '22023';
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
          'pointer> (item pointers: %)', v_cell, v_items USING ERRCODE = '22023';
    END IF;
    RAISE EXCEPTION 'cannot reveal %: the PII catalog (pii_columns) lists no such value', v_cell
      USING ERRCODE = '22023';
  END IF;
  IF NOT v_col.in_array AND p_path IS NOT NULL THEN
    RAISE EXCEPTION 'cannot reveal %: %.% is not an array, reveal it without a path', v_cell, p_table, p_column
      USING ERRCODE = '22023';
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
    -- the item pointer's tokens as a jsonb path (JSON Pointer escapes ~1 = /, ~0 = ~)
    v_item_path := ARRAY(SELECT pg_catalog.replace(pg_catalog.replace(e.k, '~1', '/'), '~0', '~')
                           FROM pg_catalog.unnest(pg_catalog.string_to_array(pg_catalog.substr(v_item, 2), '/'))
                                WITH ORDINALITY AS e(k, n) ORDER BY e.n);
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
    RAISE EXCEPTION 'no row with key % in %', p_row_key, p_table USING ERRCODE = 'P0002';
  END IF;
  IF v_value IS NULL OR v_value = '' THEN
    RAISE EXCEPTION 'row % in % has no value in %', p_row_key, p_table,
      p_column || COALESCE(' at ' || p_path, '') USING ERRCODE = 'P0002';
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
      v_probe := pg_catalog.to_jsonb(v_value);
      FOR i IN REVERSE COALESCE(pg_catalog.array_length(v_item_path, 1), 0)..1 LOOP
        v_probe := pg_catalog.jsonb_build_object(v_item_path[i], v_probe);
      END LOOP;
      EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM public.%I t WHERE t.%I @> $1',
                                v_col.table_name, v_col.column_name) INTO v_sharing
        USING pg_catalog.jsonb_build_array(v_probe);
    END IF;
  END IF;
  INSERT INTO public.pii_access_log AS a (analyst, at, table_name, row_key, column_name, path, reason, key_id,
                                          outcome, rows_sharing, ciphertext_sha256)
  VALUES (session_user::text, pg_catalog.clock_timestamp(), v_col.table_name, p_row_key, v_col.column_name, p_path,
          p_reason, public.pii_key_id(v_value), 'pending', v_sharing,
          pg_catalog.sha256(pg_catalog.convert_to(v_value, 'UTF8')))
  RETURNING a.id INTO audit_id;
  ciphertext := v_value;
  mode := v_col.mode;
  keyset := v_col.keyset;
  associated_data := v_col.associated_data;
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
              AND p.proname IN ('pii_reveal', 'pii_reveal_outcome', 'pii_key_id', 'pii_audit_text_ok', 'pii_catalog')
              AND p.oid NOT IN ('public.pii_reveal(text,text,text,text,text)'::regprocedure,
                                'public.pii_catalog()'::regprocedure,
                                'public.pii_reveal_outcome(bigint,text,boolean,text)'::regprocedure,
                                'public.pii_key_id(text)'::regprocedure,
                                'public.pii_audit_text_ok(text)'::regprocedure) LOOP
    RAISE WARNING 'dropping %, which is not a function of sqs-pii-connect', f;
    EXECUTE format('DROP FUNCTION %s', f);
  END LOOP;
END
$$;

ALTER FUNCTION public.pii_key_id(text) OWNER TO pii_audit_owner;
ALTER FUNCTION public.pii_reveal(text, text, text, text, text) OWNER TO pii_audit_owner;
ALTER FUNCTION public.pii_catalog() OWNER TO pii_audit_owner;
ALTER FUNCTION public.pii_reveal_outcome(bigint, text, boolean, text) OWNER TO pii_audit_owner;
ALTER FUNCTION public.pii_audit_text_ok(text) OWNER TO pii_audit_owner;
REVOKE ALL ON FUNCTION public.pii_key_id(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.pii_reveal(text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.pii_catalog() FROM PUBLIC;
REVOKE ALL ON FUNCTION public.pii_reveal_outcome(bigint, text, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.pii_audit_text_ok(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pii_reveal(text, text, text, text, text) TO pii_reader;
-- the catalog's readers (pii_reader through analyst), the reveal service's login for its keysets and /health, and
-- pii-keys reencrypt/retire --dataset for the tables, row keys, columns and associated data of a dataset
GRANT EXECUTE ON FUNCTION public.pii_catalog() TO analyst, pii_auditor, pii_reveal_service, pii_reencryptor;
GRANT EXECUTE ON FUNCTION public.pii_reveal_outcome(bigint, text, boolean, text) TO pii_reveal_service;
