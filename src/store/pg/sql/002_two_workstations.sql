-- MyoScreen on PostgreSQL, schema version 2 (issue 13): two workstations, one record. Run as
-- myoscreen_owner after 001_schema.sql.
--   - Every patient and assessment row also names the workstation that changed it last
--     (changed_from: the connection's application_name, "MyoScreen on <hostname>"), so a save
--     refused for an older row_version can say who, when and from where.
--   - A draft being edited holds a lease (draft_leases): who (the login), which workstation,
--     since, and its last heartbeat, all set by the server. A lease is stale once its
--     heartbeat is older than lease_policy.stale_after (one value for every workstation);
--     anyone may then take it over. Row-level security lets a clinician create, refresh and
--     end only their own leases (and remove stale ones); readonly reads them.
--   - Finalising or discarding a draft ends its lease (a trigger; the foreign key).
--   - A change to a patient or an assessment, and a lease taken or ended, is announced on the
--     channel myoscreen_changes (NOTIFY: sent when the transaction commits, never for one
--     rolled back).

ALTER TABLE myoscreen.patients ADD COLUMN changed_from text NOT NULL DEFAULT '';
ALTER TABLE myoscreen.assessments ADD COLUMN changed_from text NOT NULL DEFAULT '';

-- As in 001, plus the workstation; a client's values for these columns are still ignored.
CREATE OR REPLACE FUNCTION myoscreen.keep_row_version() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.row_version := 1;
  ELSE
    NEW.row_version := OLD.row_version + 1;
  END IF;
  NEW.changed_by := current_user;
  NEW.changed_at := clock_timestamp();
  NEW.changed_from := current_setting('application_name');
  RETURN NEW;
END
$$;

-- How old a heartbeat may be before its lease is stale. One row, changed only by the owner
-- (the server's word, so that every workstation agrees on what "stale" means). The default is
-- store/pg/pg_leases.hpp's kLeaseStaleAfter (a test checks that they agree).
CREATE TABLE myoscreen.lease_policy (
  id integer PRIMARY KEY CHECK (id = 1),
  stale_after interval NOT NULL CHECK (stale_after > interval '0')
);
INSERT INTO myoscreen.lease_policy VALUES (1, interval '120 seconds');

CREATE FUNCTION myoscreen.lease_is_stale(heartbeat timestamptz) RETURNS boolean
LANGUAGE sql SET search_path = pg_catalog AS $$
  SELECT heartbeat < clock_timestamp() - (SELECT p.stale_after FROM myoscreen.lease_policy p
                                          WHERE p.id = 1)
$$;

CREATE TABLE myoscreen.draft_leases (
  assessment bigint PRIMARY KEY REFERENCES myoscreen.assessments(id) ON DELETE CASCADE,
  holder text NOT NULL DEFAULT current_user,
  workstation text NOT NULL DEFAULT current_setting('application_name'),
  since timestamptz NOT NULL DEFAULT clock_timestamp(),
  heartbeat timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Who, where and when are the server's: a new lease is the inserting login's, from its
-- workstation, now; an update refreshes the heartbeat and changes nothing else.
CREATE FUNCTION myoscreen.keep_lease() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.holder := current_user;
    NEW.workstation := current_setting('application_name');
    NEW.since := clock_timestamp();
  ELSE
    NEW.assessment := OLD.assessment;
    NEW.holder := OLD.holder;
    NEW.workstation := OLD.workstation;
    NEW.since := OLD.since;
  END IF;
  NEW.heartbeat := clock_timestamp();
  RETURN NEW;
END
$$;
CREATE TRIGGER draft_leases_are_the_servers BEFORE INSERT OR UPDATE ON myoscreen.draft_leases
  FOR EACH ROW EXECUTE FUNCTION myoscreen.keep_lease();

-- Row-level security (the owner, who maintains the table, is exempt): everyone reads; a
-- clinician inserts and refreshes only their own leases, and removes their own or stale ones.
ALTER TABLE myoscreen.draft_leases ENABLE ROW LEVEL SECURITY;
CREATE POLICY leases_are_visible ON myoscreen.draft_leases FOR SELECT
  TO clinician, readonly USING (true);
CREATE POLICY leases_are_taken_as_oneself ON myoscreen.draft_leases FOR INSERT
  TO clinician WITH CHECK (holder = current_user);
CREATE POLICY leases_are_refreshed_by_their_holder ON myoscreen.draft_leases FOR UPDATE
  TO clinician USING (holder = current_user) WITH CHECK (holder = current_user);
CREATE POLICY leases_end_by_their_holder_or_expire ON myoscreen.draft_leases FOR DELETE
  TO clinician USING (holder = current_user OR myoscreen.lease_is_stale(heartbeat));

-- Takes the lease of a draft: when there is none, when it is ours (this login on this
-- workstation: refreshed, `since` kept) or when it is stale (removed, then taken). Otherwise
-- returns the holder's lease with acquired = false. Invoker's rights: the row policies above
-- apply. One statement for the caller, atomic: the draft's row is share-locked, so a draft
-- being finalised at the same moment is refused, not leased.
CREATE FUNCTION myoscreen.acquire_draft_lease(draft bigint)
RETURNS TABLE (acquired boolean, holder text, workstation text, since timestamptz,
               heartbeat timestamptz)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
#variable_conflict use_column
DECLARE
  l myoscreen.draft_leases;
BEGIN
  PERFORM 1 FROM myoscreen.assessments a WHERE a.id = draft AND a.status = 'draft' FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'assessment % is not a draft (finalised, discarded or never saved); it '
                    'cannot be leased', draft USING ERRCODE = 'MYO03';
  END IF;
  -- A holder that released between our steps: try again (a few times is plenty).
  FOR attempt IN 1..3 LOOP
    DELETE FROM myoscreen.draft_leases d
      WHERE d.assessment = draft AND myoscreen.lease_is_stale(d.heartbeat);
    INSERT INTO myoscreen.draft_leases (assessment) VALUES (draft)
      ON CONFLICT (assessment) DO NOTHING RETURNING * INTO l;
    IF FOUND THEN
      RETURN QUERY SELECT true, l.holder, l.workstation, l.since, l.heartbeat;
      RETURN;
    END IF;
    UPDATE myoscreen.draft_leases d SET heartbeat = clock_timestamp()
      WHERE d.assessment = draft AND d.holder = current_user
        AND d.workstation = current_setting('application_name')
      RETURNING * INTO l;
    IF FOUND THEN
      RETURN QUERY SELECT true, l.holder, l.workstation, l.since, l.heartbeat;
      RETURN;
    END IF;
    SELECT * INTO l FROM myoscreen.draft_leases d WHERE d.assessment = draft;
    IF FOUND THEN
      RETURN QUERY SELECT false, l.holder, l.workstation, l.since, l.heartbeat;
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'the lease of draft % changed hands too often; try again', draft
    USING ERRCODE = '40001';
END
$$;

-- A draft that is finalised ends its lease (a discarded one: ON DELETE CASCADE). SECURITY
-- DEFINER: whoever finalises ends the holder's lease, which the row policies would not allow.
CREATE FUNCTION myoscreen.end_lease_of_final() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  DELETE FROM myoscreen.draft_leases d WHERE d.assessment = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER finalising_ends_the_lease AFTER UPDATE OF status ON myoscreen.assessments
  FOR EACH ROW WHEN (NEW.status = 'final') EXECUTE FUNCTION myoscreen.end_lease_of_final();

-- {"table":"assessments","op":"update","id":12,"patient":3,"row_version":4,
--  "by":"t.okafor","workstation":"MyoScreen on ROOM-2"}: enough for a workstation to know what
-- to reload (and to skip its own changes). NOTIFY is transactional: delivered at commit.
CREATE FUNCTION myoscreen.announce_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  r record;
  patient bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    r := OLD;
  ELSE
    r := NEW;
  END IF;
  -- Each statement is planned when first run, per table: r.patient is never read for patients.
  IF TG_TABLE_NAME = 'patients' THEN
    patient := r.id;
  ELSE
    patient := r.patient;
  END IF;
  PERFORM pg_notify('myoscreen_changes', json_build_object(
    'table', TG_TABLE_NAME,
    'op', lower(TG_OP),
    'id', r.id,
    'patient', patient,
    'row_version', r.row_version,
    'by', current_user::text,
    'workstation', current_setting('application_name'))::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER patients_announce_changes AFTER INSERT OR UPDATE OR DELETE ON myoscreen.patients
  FOR EACH ROW EXECUTE FUNCTION myoscreen.announce_change();
CREATE TRIGGER assessments_announce_changes AFTER INSERT OR UPDATE OR DELETE
  ON myoscreen.assessments FOR EACH ROW EXECUTE FUNCTION myoscreen.announce_change();

-- A lease taken or ended (a takeover is both), for a live list of who edits which draft;
-- heartbeats are not announced. "by" and "workstation" are the lease's holder (whoever ended
-- it: the holder, a takeover, a finalisation), "row_version" is 0.
CREATE FUNCTION myoscreen.announce_lease() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
  l myoscreen.draft_leases;
BEGIN
  IF TG_OP = 'DELETE' THEN
    l := OLD;
  ELSE
    l := NEW;
  END IF;
  PERFORM pg_notify('myoscreen_changes', json_build_object(
    'table', TG_TABLE_NAME,
    'op', lower(TG_OP),
    'id', l.assessment,
    -- 0 when the draft itself is being discarded (its row is already gone).
    'patient', coalesce((SELECT a.patient FROM myoscreen.assessments a
                         WHERE a.id = l.assessment), 0),
    'row_version', 0,
    'by', l.holder,
    'workstation', l.workstation)::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER draft_leases_announce_changes AFTER INSERT OR DELETE ON myoscreen.draft_leases
  FOR EACH ROW EXECUTE FUNCTION myoscreen.announce_lease();

-- Privileges: as in 001, nothing for PUBLIC.
REVOKE ALL ON myoscreen.lease_policy, myoscreen.draft_leases FROM PUBLIC;
REVOKE ALL ON FUNCTION myoscreen.lease_is_stale(timestamptz), myoscreen.keep_lease(),
  myoscreen.acquire_draft_lease(bigint), myoscreen.end_lease_of_final(),
  myoscreen.announce_change(), myoscreen.announce_lease() FROM PUBLIC;
GRANT SELECT ON myoscreen.lease_policy, myoscreen.draft_leases TO clinician, readonly;
GRANT INSERT (assessment), UPDATE (heartbeat), DELETE ON myoscreen.draft_leases TO clinician;
GRANT EXECUTE ON FUNCTION myoscreen.lease_is_stale(timestamptz), myoscreen.keep_lease(),
  myoscreen.end_lease_of_final(), myoscreen.announce_change(), myoscreen.announce_lease()
  TO clinician, readonly;
GRANT EXECUTE ON FUNCTION myoscreen.acquire_draft_lease(bigint) TO clinician;
