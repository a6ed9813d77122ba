package com.nurture.api.resources;

import com.nurture.activities.db.JourneyFilter;
import com.nurture.activities.db.JourneyListDao;
import com.nurture.activities.db.JourneyListRow;
import com.nurture.api.auth.Roles;
import com.nurture.api.core.PageCursor;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.JourneySummary;
import com.nurture.api.representations.Page;
import com.nurture.workflows.journey.JourneyStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Journeys from the PostgreSQL mirror (never Temporal), filtered, most recently changed first. A
 * journey that changes while a client pages moves to the front: later pages do not show it again;
 * {@code updated_since} finds what changed since a time.
 */
@Path("/v1/journeys")
@Produces(MediaType.APPLICATION_JSON)
public class JourneyListResource {
  private static final List<String> STATUSES = Arrays.stream(JourneyStatus.values()).map(Enum::name).toList();
  private final Jdbi jdbi;

  public JourneyListResource(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @GET
  @RolesAllowed(Roles.OPERATOR)
  public Page<JourneySummary> list(@QueryParam("status") String status, @QueryParam("program") String program,
      @QueryParam("version") String version, @QueryParam("step") String step, @QueryParam("owner") String owner,
      @QueryParam("score_min") String scoreMin, @QueryParam("updated_since") String updatedSince,
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    JourneyFilter filter = new JourneyFilter(QueryParams.oneOf("status", status, STATUSES), QueryParams.text(program),
        QueryParams.integer("version", version, 1, Integer.MAX_VALUE), QueryParams.text(step), QueryParams.text(owner),
        QueryParams.integer("score_min", scoreMin, -100_000, 100_000), QueryParams.instant("updated_since", updatedSince));
    if (filter.version().isPresent() && filter.program().isEmpty()) {
      throw ProblemException.invalid("version", "needs program: a version is a version of one program");
    }
    int size = QueryParams.limit(limit);
    List<JourneyListRow> rows = jdbi.withExtension(JourneyListDao.class, d -> d.page(filter, after(cursor), size + 1));
    boolean more = rows.size() > size;
    List<JourneyListRow> page = more ? rows.subList(0, size) : rows;
    JourneyListRow last = page.isEmpty() ? null : page.get(page.size() - 1);
    return new Page<>(page.stream().map(JourneySummary::of).toList(),
        more ? PageCursor.encode("journeys", last.updatedAt().toString(), last.leadId()) : null);
  }

  private static Optional<JourneyListDao.After> after(String cursor) {
    if (QueryParams.text(cursor).isEmpty()) {
      return Optional.empty();
    }
    List<String> parts = PageCursor.decode(cursor.trim(), "journeys", 2);
    try {
      return Optional.of(new JourneyListDao.After(Instant.parse(parts.get(0)), parts.get(1)));
    } catch (DateTimeParseException e) {
      throw PageCursor.invalid();
    }
  }
}
