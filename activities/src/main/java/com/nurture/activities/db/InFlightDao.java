package com.nurture.activities.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Leads in flight (journeys not ended) of one program, per version, step and status, from the
 * journeys mirror: what a migration between versions would move. Reads the index on
 * {@code (program_id, status)}.
 */
@RegisterConstructorMapper(InFlightRow.class)
public interface InFlightDao {
  @SqlQuery("""
      SELECT program_version, current_step, status, count(*) AS leads FROM journeys
      WHERE program_id = :programId
        AND status NOT IN ('GRADUATED', 'RECYCLED', 'DISQUALIFIED', 'UNSUBSCRIBED', 'COMPLETED', 'UNCONFIRMED')
      GROUP BY program_version, current_step, status
      ORDER BY program_version, current_step, status""")
  List<InFlightRow> of(@Bind("programId") String programId);
}
