-- outside a transaction (V1__alpha_meets_beta.sql.conf), so that the other module sees the comment at once
COMMENT ON DATABASE it_parallel_alpha IS 'migrating';
DO $$
DECLARE
  deadline timestamptz := clock_timestamp() + interval '120 seconds';
BEGIN
  WHILE coalesce(shobj_description((SELECT oid FROM pg_database WHERE datname = 'it_parallel_beta'), 'pg_database'), '')
      <> 'migrating' LOOP
    IF clock_timestamp() > deadline THEN
      RAISE EXCEPTION 'beta did not start migrating within 120 s: the modules did not build at the same time';
    END IF;
    PERFORM pg_sleep(0.1);
  END LOOP;
END
$$;
