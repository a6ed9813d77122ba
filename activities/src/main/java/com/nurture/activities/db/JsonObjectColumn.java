package com.nurture.activities.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.jdbi.v3.core.config.JdbiConfig;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.qualifier.QualifiedType;
import org.jdbi.v3.json.Json;

/** How a {@code jsonb} column holding a JSON object is bound and read outside an SQL object (a batch, a hand-mapped row). */
public final class JsonObjectColumn {
  /** A map of properties, bound and mapped through JDBI's JSON plugin as {@code @Json Map<String, Object>} is. */
  public static final QualifiedType<Map<String, Object>> TYPE =
      QualifiedType.of(new GenericType<Map<String, Object>>() {}).with(Json.class);

  private JsonObjectColumn() {}

  /**
   * The column read as {@link #TYPE}, by the JSON plugin's mapper resolved once per Jdbi: JDBI's
   * {@code findColumnMapperFor} looks a qualified type's mapper up again on every call (4% of a send's
   * CPU, for one lead row; a lead's recent events read one per row).
   */
  public static Map<String, Object> map(ResultSet rs, String column, StatementContext ctx) throws SQLException {
    return ctx.getConfig(ResolvedMapper.class).mapper(ctx).map(rs, column, ctx);
  }

  /**
   * The resolved mapper, kept in the Jdbi's configuration (Database.configure registers it) and shared
   * by every handle's and statement's copy of it. It is resolved once, with the configuration of the
   * first statement that reads the column (the JSON plugin's Jackson mapper and the string column
   * mapper): JSON or column-mapper settings changed later on the Jdbi, or on one handle, are not seen.
   * Nurture sets them once, in Database.configure.
   */
  public static final class ResolvedMapper implements JdbiConfig<ResolvedMapper> {
    private volatile ColumnMapper<Map<String, Object>> mapper;

    public ResolvedMapper() {}

    @Override
    public ResolvedMapper createCopy() {
      return this;
    }

    ColumnMapper<Map<String, Object>> mapper(StatementContext ctx) {
      ColumnMapper<Map<String, Object>> m = mapper;
      if (m == null) {
        m = ctx.findColumnMapperFor(TYPE).orElseThrow();
        mapper = m;
      }
      return m;
    }
  }
}
