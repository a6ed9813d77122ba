package com.nurture.activities.db;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.sqlobject.SqlObject;

/**
 * The journeys mirror as a list for operators: filtered, most recently changed first, paged by
 * keyset (updated_at, lead_id) so a page never repeats a row of the one before.
 */
public interface JourneyListDao extends SqlObject {
  /** Where the previous page ended: its last row's updated_at and lead id. */
  record After(Instant updatedAt, String leadId) {}

  default List<JourneyListRow> page(JourneyFilter filter, Optional<After> after, int limit) {
    // Every condition is a constant fragment; values are bound, never spliced.
    List<String> where = new ArrayList<>();
    filter.status().ifPresent(v -> where.add("j.status = :status"));
    filter.program().ifPresent(v -> where.add("j.program_id = :program"));
    filter.version().ifPresent(v -> where.add("j.program_version = :version"));
    filter.step().ifPresent(v -> where.add("j.current_step = :step"));
    filter.owner().ifPresent(v -> where.add("lower(l.attributes ->> 'owner_email') = lower(:owner)"));
    filter.scoreMin().ifPresent(v -> where.add("j.score >= :scoreMin"));
    filter.updatedSince().ifPresent(v -> where.add("j.updated_at >= :updatedSince"));
    after.ifPresent(a -> where.add("(j.updated_at, j.lead_id) < (:afterAt, :afterLead)"));
    String sql = """
        SELECT j.lead_id, j.program_id, j.program_version, j.status, j.current_step, j.score,
               nullif(trim(l.attributes ->> 'owner_email'), '') AS owner_email, j.next_action_at, j.enrolled_at, j.updated_at
        FROM journeys j JOIN leads l ON l.id = j.lead_id
        """ + (where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where) + "\n")
        + "ORDER BY j.updated_at DESC, j.lead_id DESC LIMIT :limit";
    Query q = getHandle().createQuery(sql).bind("limit", limit);
    filter.status().ifPresent(v -> q.bind("status", v));
    filter.program().ifPresent(v -> q.bind("program", v));
    filter.version().ifPresent(v -> q.bind("version", v.intValue()));
    filter.step().ifPresent(v -> q.bind("step", v));
    filter.owner().ifPresent(v -> q.bind("owner", v));
    filter.scoreMin().ifPresent(v -> q.bind("scoreMin", v.intValue()));
    filter.updatedSince().ifPresent(v -> q.bind("updatedSince", v));
    after.ifPresent(a -> q.bind("afterAt", a.updatedAt()).bind("afterLead", a.leadId()));
    return q.map(ConstructorMapper.of(JourneyListRow.class)).list();
  }
}
