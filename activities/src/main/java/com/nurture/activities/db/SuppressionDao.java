package com.nurture.activities.db;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The global suppression list, keyed by lower-cased address. */
@RegisterConstructorMapper(SuppressionRow.class)
public interface SuppressionDao {
  @SqlQuery("SELECT email, reason, coalesce(lead_id, '') AS lead_id, at FROM suppressions WHERE email = lower(:email)")
  Optional<SuppressionRow> find(@Bind("email") String email);

  /** @return 1 when newly suppressed; the first reason is kept */
  @SqlUpdate("""
      INSERT INTO suppressions (email, reason, lead_id) VALUES (lower(:email), :reason, nullif(:leadId, ''))
      ON CONFLICT (email) DO NOTHING""")
  int suppress(@Bind("email") String email, @Bind("reason") String reason, @Bind("leadId") String leadId);
}
