-- The roles of a MyoScreen database (issue 13), made when missing, and who may connect. Roles belong to the whole
-- PostgreSQL server, not to one database, so a second MyoScreen database on the same server
-- shares them. None of them can log in: people log in as their own roles, members of one group.
--   myoscreen_owner  owns the schema; the only role that may change it or the audit trail
--   clinician        reads and writes the records, appends to the audit trail
--   readonly         reads
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'myoscreen_owner') THEN
    CREATE ROLE myoscreen_owner NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'clinician') THEN
    CREATE ROLE clinician NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'readonly') THEN
    CREATE ROLE readonly NOLOGIN;
  END IF;
END
$roles$;
-- Only MyoScreen's groups may connect to this database (PUBLIC may by default). Run as the
-- administrator: the database's owner or a superuser. (The name is the database's own,
-- quoted by format's %I; no input.)
DO $connect$
BEGIN
  EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO clinician, readonly', current_database());
END
$connect$;
-- The login running server init may act as the owner (maintenance, server status).
GRANT myoscreen_owner TO CURRENT_USER;
CREATE SCHEMA myoscreen AUTHORIZATION myoscreen_owner;
