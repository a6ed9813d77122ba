package com.nurture.activities.db;

import java.util.Map;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.qualifier.QualifiedType;
import org.jdbi.v3.json.Json;

/** How a {@code jsonb} column holding a JSON object is bound and read outside an SQL object (a batch, a hand-mapped row). */
public final class JsonObjectColumn {
  /** A map of properties, bound and mapped through JDBI's JSON plugin as {@code @Json Map<String, Object>} is. */
  public static final QualifiedType<Map<String, Object>> TYPE =
      QualifiedType.of(new GenericType<Map<String, Object>>() {}).with(Json.class);

  private JsonObjectColumn() {}
}
