-- MyoScreen on PostgreSQL, schema version 6 (issue 14): an explicit take-over of a draft that
-- another workstation is editing now. Run as myoscreen_owner after 005_listing_index.sql; it
-- needs only 001 and 002.
--   A lease is ended only by its holder until it goes stale (002's row policies), so that a
--   colleague's live work is never taken by accident. A clinician who means to take it anyway
--   (the colleague left the room, the workstation is locked) confirms in the window, and this
--   function ends the holder's lease: SECURITY DEFINER, since the row policies forbid it to the
--   caller, and therefore narrow:
--   - only a login of the clinician group (EXECUTE is granted to clinician alone, and the
--     session's login is checked again here, in case of SET ROLE); a readonly login, or a
--     session made read-only (Store::make_read_only), is refused;
--   - only a draft (finalised and discarded assessments have no lease);
--   - it ends the lease of someone else only: ours stays;
--   - it writes the take-over to the audit trail, naming the previous holder and their
--     workstation, in the caller's transaction (the row's actor is the session's login, not
--     the owner whose rights the function runs with);
--   - the lease's end is announced by 002's trigger (NOTIFY myoscreen_changes, at commit); the
--     caller then takes the lease as itself with acquire_draft_lease (invoker's rights, so the
--     new lease names the caller and its workstation), which announces the new holder: the
--     other workstation's MyoScreen sees that at once and turns read-only.
-- Returns the previous holder and workstation, or no row when there was none to end.

CREATE FUNCTION myoscreen.end_lease_for_take_over(draft bigint, caller_os_user text)
RETURNS TABLE (holder text, workstation text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
#variable_conflict use_column
DECLARE
  me text := session_user;
  here text := current_setting('application_name');
  pkey text;
  l myoscreen.draft_leases;
BEGIN
  IF NOT pg_has_role(me::name, 'clinician', 'MEMBER') THEN
    RAISE EXCEPTION 'permission denied: % is not a clinician login; only a clinician may take '
                    'a draft over', me USING ERRCODE = '42501';
  END IF;
  SELECT p.patient_key INTO pkey
    FROM myoscreen.assessments a JOIN myoscreen.patients p ON p.id = a.patient
    WHERE a.id = draft AND a.status = 'draft' FOR SHARE OF a;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'assessment % is not a draft (finalised, discarded or never saved); it '
                    'cannot be leased', draft USING ERRCODE = 'MYO03';
  END IF;
  DELETE FROM myoscreen.draft_leases d
    WHERE d.assessment = draft AND NOT (d.holder = me AND d.workstation = here)
    RETURNING * INTO l;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  INSERT INTO myoscreen.audit (clinician, os_user, action, patient, assessment, summary)
    VALUES (me, coalesce(caller_os_user, ''), 'take-over', pkey, draft,
            'took the draft over from ' || l.holder
            || CASE WHEN l.workstation LIKE 'MyoScreen on %'
                    THEN ' on ' || substr(l.workstation, length('MyoScreen on ') + 1)
                    WHEN l.workstation = '' THEN ''
                    ELSE ' on ' || l.workstation END
            || ' while they were editing it (confirmed: their lease was live)');
  RETURN QUERY SELECT l.holder, l.workstation;
END
$$;

REVOKE ALL ON FUNCTION myoscreen.end_lease_for_take_over(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION myoscreen.end_lease_for_take_over(bigint, text) TO clinician;
