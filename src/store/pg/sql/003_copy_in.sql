-- MyoScreen on PostgreSQL, schema version 3 (issue 13): moving a practice in (db copy, see
-- store/store_copy.hpp). Run as myoscreen_owner; self-contained (it needs only 001 and 002).
--
-- A copy brings the source's audit trail as it was (each row's number, time, clinician, os_user,
-- action, references, summary, content and hash), so that the chain verifies here exactly as it
-- did there. The server's chain trigger numbers and stamps every insert anew, so a copy needs a
-- way around it; this is that way, and it is narrow:
--   - only the owner may call it (no EXECUTE for anyone else; the ALTER TABLEs it runs need
--     the tables' owner anyway);
--   - copy_begin() only runs in a database without records whose trail holds nothing but the
--     server's own rows (server init's audit-start, server upgrade's schema rows), which the
--     copied trail replaces (the copy's own row, appended after it, names them);
--   - copy_finish() refuses, and so rolls the whole copy back, unless every copied row carries
--     the hash audit_row_hash gives it and chains to the row before it, numbered 1, 2, 3...;
--     it then sets the head to the last row and puts the triggers back, in the same
--     transaction (ALTER TABLE holds its lock until the copy commits: nobody else writes
--     meanwhile).
--
-- Rows written on the server carry 'postgresql' as their content: the SQLite store writes its
-- records' content digest there (store/content_digest.hpp), and its verifier refuses a row
-- without one after rows that carry it (a trail copied from SQLite). The server's records are
-- guarded by its privileges and triggers, not by a digest; the value says so.

CREATE OR REPLACE FUNCTION myoscreen.audit_extend_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  head myoscreen.audit_head;
BEGIN
  -- Held until the transaction ends: no two rows can claim the same predecessor.
  SELECT * INTO head FROM myoscreen.audit_head WHERE id = 1 FOR UPDATE;
  NEW.seq := head.seq + 1;
  NEW.prev_hash := head.hash;
  NEW.at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  NEW.content := 'postgresql';
  NEW.hash := myoscreen.audit_row_hash(NEW);
  UPDATE myoscreen.audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
  RETURN NEW;
END
$$;

-- Returns the actions of the server's own rows it removed ("audit-start, schema"), oldest
-- first. Raises MYO04 for a database that holds records or other audit rows.
CREATE FUNCTION myoscreen.copy_begin() RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  replaced text;
BEGIN
  -- Nobody else reads or writes while the copy runs (and a second copy waits here).
  LOCK TABLE myoscreen.patients, myoscreen.patient_terms, myoscreen.assessments,
    myoscreen.baselines, myoscreen.settings, myoscreen.audit, myoscreen.audit_head
    IN ACCESS EXCLUSIVE MODE;
  IF EXISTS (SELECT 1 FROM myoscreen.patients) OR EXISTS (SELECT 1 FROM myoscreen.assessments)
     OR EXISTS (SELECT 1 FROM myoscreen.patient_terms)
     OR EXISTS (SELECT 1 FROM myoscreen.baselines) OR EXISTS (SELECT 1 FROM myoscreen.settings)
  THEN
    RAISE EXCEPTION 'the database holds records already' USING ERRCODE = 'MYO04';
  END IF;
  IF EXISTS (SELECT 1 FROM myoscreen.audit a WHERE a.action NOT IN ('audit-start', 'schema')
             OR a.patient IS NOT NULL OR a.assessment IS NOT NULL) THEN
    RAISE EXCEPTION 'the audit trail records changes already' USING ERRCODE = 'MYO04';
  END IF;
  SELECT string_agg(a.action, ', ' ORDER BY a.seq) INTO replaced FROM myoscreen.audit a;
  ALTER TABLE myoscreen.audit DISABLE TRIGGER audit_rows_are_not_changed;
  DELETE FROM myoscreen.audit;
  ALTER TABLE myoscreen.audit ENABLE TRIGGER audit_rows_are_not_changed;
  ALTER TABLE myoscreen.audit DISABLE TRIGGER audit_chain;
  -- One copy is one change for the workstations: no notification per row (a million of them
  -- would fill the server's notification queue).
  ALTER TABLE myoscreen.patients DISABLE TRIGGER patients_announce_changes;
  ALTER TABLE myoscreen.assessments DISABLE TRIGGER assessments_announce_changes;
  UPDATE myoscreen.audit_head SET seq = 0, hash = repeat('0', 64) WHERE id = 1;
  RETURN coalesce(replaced, '');
END
$$;

-- patients_issued, assessments_issued: the highest ids the source ever handed out (SQLite's
-- sqlite_sequence), so that no id is handed out twice here either. Raises MYO05 for a trail that
-- does not chain.
CREATE FUNCTION myoscreen.copy_finish(patients_issued bigint, assessments_issued bigint)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  bad record;
  top bigint;
BEGIN
  SELECT x.seq, x.n INTO bad FROM (
    SELECT a.seq, a.hash, a.prev_hash, myoscreen.audit_row_hash(a) AS computed,
           lag(a.hash, 1, repeat('0', 64)) OVER (ORDER BY a.seq) AS before,
           row_number() OVER (ORDER BY a.seq) AS n
    FROM myoscreen.audit a) x
  WHERE x.hash <> x.computed OR x.prev_hash <> x.before OR x.seq <> x.n
  ORDER BY x.seq LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'copied audit row % does not carry its hash or does not chain to row %',
      bad.seq, bad.n - 1 USING ERRCODE = 'MYO05';
  END IF;
  UPDATE myoscreen.audit_head h
    SET seq = coalesce(t.seq, 0), hash = coalesce(t.hash, repeat('0', 64))
    FROM (SELECT (SELECT max(seq) FROM myoscreen.audit) AS seq,
                 (SELECT a.hash FROM myoscreen.audit a ORDER BY a.seq DESC LIMIT 1) AS hash) t
    WHERE h.id = 1;
  ALTER TABLE myoscreen.audit ENABLE TRIGGER audit_chain;
  ALTER TABLE myoscreen.patients ENABLE TRIGGER patients_announce_changes;
  ALTER TABLE myoscreen.assessments ENABLE TRIGGER assessments_announce_changes;
  SELECT greatest(coalesce(max(id), 0), patients_issued) INTO top FROM myoscreen.patients;
  PERFORM setval(pg_get_serial_sequence('myoscreen.patients', 'id'), greatest(top, 1), top > 0);
  SELECT greatest(coalesce(max(id), 0), assessments_issued) INTO top FROM myoscreen.assessments;
  PERFORM setval(pg_get_serial_sequence('myoscreen.assessments', 'id'), greatest(top, 1),
                 top > 0);
END
$$;

REVOKE ALL ON FUNCTION myoscreen.copy_begin(), myoscreen.copy_finish(bigint, bigint)
  FROM PUBLIC;
