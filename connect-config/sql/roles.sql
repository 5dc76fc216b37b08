-- Roles, privileges and the audited reveal functions of sqs-pii-connect. Grant the group roles to real
-- logins, e.g.  CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE pii_reader;
-- Keep a reader and an auditor separate logins: a reader is not its own auditor.
-- Roles are cluster-wide, so creation is idempotent; grants and functions apply to the current database.
-- Apply after schema.sql, as a superuser, on every start (idempotent).

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['pipeline_writer', 'analyst', 'pii_reader', 'pii_auditor', 'pii_audit_owner'] LOOP
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

GRANT USAGE ON SCHEMA public TO pipeline_writer, analyst, pii_reader, pii_auditor, pii_audit_owner;

-- Start from nothing on every apply, so a privilege granted by an earlier version does not linger.
REVOKE ALL ON user_logins, user_logins_rejected FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor;
REVOKE ALL ON pii_access_log FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor;
REVOKE ALL ON SEQUENCE pii_access_log_id_seq FROM PUBLIC, pipeline_writer, analyst, pii_reader, pii_auditor;

-- The JDBC sink upserts: INSERT ... ON CONFLICT DO UPDATE needs SELECT, INSERT and UPDATE. No DELETE.
GRANT SELECT, INSERT, UPDATE ON user_logins, user_logins_rejected TO pipeline_writer;

-- Analysts read the data tables; PII stays ciphertext for them.
GRANT SELECT ON user_logins, user_logins_rejected TO analyst;

-- PII readers are analysts who may call the reveal functions below (and nothing else on the log).
GRANT analyst TO pii_reader;

-- Auditors read the audit log.
GRANT SELECT ON pii_access_log TO pii_auditor;

-- The audit owner owns the log (and its sequence) and reads the values it hands out.
ALTER TABLE pii_access_log OWNER TO pii_audit_owner;
GRANT SELECT ON user_logins, user_logins_rejected TO pii_audit_owner;

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

-- The one way to get a PII ciphertext for a reveal: checks the (table, column) pair and the reason,
-- writes the audit row as the caller's session_user at clock_timestamp(), and returns the ciphertext.
-- The reveal service calls it as the analyst's own login, commits, and only then decrypts.
CREATE OR REPLACE FUNCTION public.pii_reveal(p_table text, p_row_key text, p_column text, p_reason text)
  RETURNS TABLE (audit_id bigint, ciphertext text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  v_value text;
  v_found boolean;
BEGIN
  IF p_reason IS NULL OR pg_catalog.btrim(p_reason) = '' THEN
    RAISE EXCEPTION 'a reason is required to reveal PII' USING ERRCODE = '22023';
  END IF;
  IF pg_catalog.char_length(p_reason) > 500 THEN
    RAISE EXCEPTION 'the reason is longer than 500 characters' USING ERRCODE = '22023';
  END IF;
  IF p_row_key IS NULL THEN
    RAISE EXCEPTION 'a row key is required' USING ERRCODE = '22023';
  END IF;
  IF p_table = 'user_logins' AND p_column = 'masked_ip' THEN
    SELECT l.masked_ip INTO v_value FROM public.user_logins l WHERE l.message_id = p_row_key;
  ELSIF p_table = 'user_logins' AND p_column = 'masked_device_id' THEN
    SELECT l.masked_device_id INTO v_value FROM public.user_logins l WHERE l.message_id = p_row_key;
  ELSIF p_table = 'user_logins_rejected' AND p_column = 'encrypted_body' THEN
    SELECT r.encrypted_body INTO v_value FROM public.user_logins_rejected r WHERE r.message_id = p_row_key;
  ELSE
    RAISE EXCEPTION 'cannot reveal %.%: the revealable columns are user_logins.masked_ip, '
        'user_logins.masked_device_id and user_logins_rejected.encrypted_body', p_table, p_column
      USING ERRCODE = '22023';
  END IF;
  v_found := FOUND;
  IF NOT v_found THEN
    RAISE EXCEPTION 'no row with key % in %', p_row_key, p_table USING ERRCODE = 'P0002';
  END IF;
  IF v_value IS NULL OR v_value = '' THEN
    RAISE EXCEPTION 'row % in % has no value in %', p_row_key, p_table, p_column USING ERRCODE = 'P0002';
  END IF;
  INSERT INTO public.pii_access_log AS a (analyst, at, table_name, row_key, column_name, reason, key_id, outcome)
  VALUES (session_user::text, pg_catalog.clock_timestamp(), p_table, p_row_key, p_column, p_reason,
          public.pii_key_id(v_value), 'pending')
  RETURNING a.id INTO audit_id;
  ciphertext := v_value;
  RETURN NEXT;
END
$fn$;

-- Records whether a pending reveal of the caller's own was decrypted ('revealed') or not ('failed',
-- with its cause). A row is settled once; another login's row, or a settled one, is refused.
CREATE OR REPLACE FUNCTION public.pii_reveal_outcome(p_audit_id bigint, p_ok boolean, p_failure text)
  RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF p_ok IS NULL THEN
    RAISE EXCEPTION 'the outcome must be true (revealed) or false (failed)' USING ERRCODE = '22023';
  END IF;
  IF NOT p_ok AND (p_failure IS NULL OR pg_catalog.btrim(p_failure) = '') THEN
    RAISE EXCEPTION 'a failed reveal needs its cause' USING ERRCODE = '22023';
  END IF;
  UPDATE public.pii_access_log
     SET outcome = CASE WHEN p_ok THEN 'revealed' ELSE 'failed' END,
         failure = CASE WHEN p_ok THEN NULL ELSE pg_catalog.left(p_failure, 500) END
   WHERE id = p_audit_id AND analyst = session_user::text AND outcome = 'pending';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no pending reveal % of %', p_audit_id, session_user USING ERRCODE = '22023';
  END IF;
END
$fn$;

ALTER FUNCTION public.pii_key_id(text) OWNER TO pii_audit_owner;
ALTER FUNCTION public.pii_reveal(text, text, text, text) OWNER TO pii_audit_owner;
ALTER FUNCTION public.pii_reveal_outcome(bigint, boolean, text) OWNER TO pii_audit_owner;
REVOKE ALL ON FUNCTION public.pii_key_id(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.pii_reveal(text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.pii_reveal_outcome(bigint, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pii_reveal(text, text, text, text) TO pii_reader;
GRANT EXECUTE ON FUNCTION public.pii_reveal_outcome(bigint, boolean, text) TO pii_reader;
