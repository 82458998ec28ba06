-- The workspace the transaction works for, set transaction-locally by withWorkspace (@hookloop/core)
-- or by hookloop_claim_delivery; null when none is. (Row-level security policies read the setting
-- inline, so they do not depend on this function.)
CREATE OR REPLACE FUNCTION hookloop_workspace() RETURNS text LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.workspace_id', true), '') $$;
