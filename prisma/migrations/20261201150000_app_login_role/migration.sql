-- No change to the data model: this migration only lets the services log in as hookloop_app.

-- hookloop:manual (SQL Prisma cannot express, and no function: those live in prisma/functions/)

-- Services log in as hookloop_app itself instead of logging in as the owner and switching role:
-- a session that logged in as the owner could RESET ROLE or SET ROLE back to it and leave
-- row-level security behind. Roles belong to the whole cluster, which may hold many Hookloop
-- databases (the tests make one per file), so the role is altered only when it differs, and each
-- database grants it CONNECT. Its password is not set here: the migrate command sets it from
-- DATABASE_APP_PASSWORD, which production requires.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hookloop_app') THEN
    CREATE ROLE hookloop_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT;
  ELSIF EXISTS (
    SELECT 1 FROM pg_roles
    WHERE rolname = 'hookloop_app'
      AND NOT (rolcanlogin AND NOT rolsuper AND NOT rolbypassrls AND NOT rolcreatedb AND NOT rolcreaterole AND NOT rolreplication)
  ) THEN
    ALTER ROLE hookloop_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO hookloop_app', current_database());
END $$;
