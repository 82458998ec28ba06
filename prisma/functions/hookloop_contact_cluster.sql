-- The part of a workspace's contact history that the given customers and emails belong to: every
-- event linked to them through a Stripe customer or an email, and so on, walked key by key. Its
-- lookups are planned on each call: contact_event's three indexes share the workspace_id prefix,
-- and a plan cached while the table was nearly empty may pick the wrong one for good. Each lookup
-- is by equality on a whole index key (one customer, one email): with `= ANY (array)` or joins,
-- the planner, misled by the statistics of a young table or a large tenant, would read a whole
-- workspace through the workspace_id prefix for each event.
-- Caller: hookloop_lock_contact_history.
CREATE OR REPLACE FUNCTION hookloop_contact_cluster(p_workspace_id text, INOUT p_customers text[], INOUT p_emails text[], OUT p_events contact_event[])
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  v_customers text[] := p_customers;
  v_emails text[] := p_emails;
  v_key text;
  v_row contact_event;
BEGIN
  p_events := '{}';
  WHILE cardinality(v_customers) + cardinality(v_emails) > 0 LOOP
    IF cardinality(v_customers) > 0 THEN
      v_key := v_customers[1];
      v_customers := v_customers[2:];
      FOR v_row IN SELECT * FROM contact_event WHERE workspace_id = p_workspace_id AND customer_id = v_key LOOP
        p_events := p_events || v_row;
        IF v_row.email IS NOT NULL AND NOT v_row.email = ANY (p_emails) THEN
          p_emails := p_emails || v_row.email;
          v_emails := v_emails || v_row.email;
        END IF;
      END LOOP;
    ELSE
      v_key := v_emails[1];
      v_emails := v_emails[2:];
      FOR v_row IN SELECT * FROM contact_event WHERE workspace_id = p_workspace_id AND email = v_key LOOP
        p_events := p_events || v_row;
        IF v_row.customer_id IS NOT NULL AND NOT v_row.customer_id = ANY (p_customers) THEN
          p_customers := p_customers || v_row.customer_id;
          v_customers := v_customers || v_row.customer_id;
        END IF;
      END LOOP;
    END IF;
  END LOOP;
END $$;
