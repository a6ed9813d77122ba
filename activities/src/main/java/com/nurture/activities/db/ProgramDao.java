package com.nurture.activities.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ProgramRow.class)
public interface ProgramDao {
  String COLUMNS = "id, version, name, source, definition::text AS definition, checksum, published_at";

  @SqlQuery("SELECT " + COLUMNS + " FROM programs WHERE id = :id ORDER BY version DESC LIMIT 1")
  Optional<ProgramRow> latest(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM programs WHERE id = :id AND version = :version")
  Optional<ProgramRow> find(@Bind("id") String id, @Bind("version") int version);

  @SqlQuery("SELECT DISTINCT ON (id) " + COLUMNS + " FROM programs ORDER BY id, version DESC")
  List<ProgramRow> latestOfEach();

  @SqlQuery("SELECT " + COLUMNS + " FROM programs WHERE id = :id ORDER BY version")
  List<ProgramRow> versions(@Bind("id") String id);

  /** Serialised per program by the lock, so two publishers cannot take the same version. */
  @SqlUpdate("SELECT pg_advisory_xact_lock(hashtext('program:' || :id))")
  void lock(@Bind("id") String id);

  @SqlUpdate("""
      INSERT INTO programs (id, version, name, source, definition, checksum)
      VALUES (:id, :version, :name, :source, CAST(:definition AS jsonb), :checksum)""")
  void insert(@Bind("id") String id, @Bind("version") int version, @Bind("name") String name,
      @Bind("source") String source, @Bind("definition") String definition, @Bind("checksum") String checksum);
}
