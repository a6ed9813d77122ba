package com.nurture.api.resources;

import com.nurture.activities.db.HandOffDao;
import com.nurture.activities.db.HandOffQueueRow;
import com.nurture.api.auth.Roles;
import com.nurture.api.core.PageCursor;
import com.nurture.api.representations.HandOffItem;
import com.nurture.api.representations.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The sales queue: hand-offs by SLA due time, soonest (most overdue) first. Open: sales has not
 * answered, and it is the lead's latest hand-off with the journey still waiting for sales.
 */
@Path("/v1/handoffs")
@Produces(MediaType.APPLICATION_JSON)
public class HandOffResource {
  private static final List<String> STATUSES = List.of("open", "closed", "all");
  private final Jdbi jdbi;
  private final Clock clock;
  /** sales.default_owner ("" for none): the owner of a lead that names none. */
  private final String defaultOwner;

  public HandOffResource(Jdbi jdbi, Clock clock, String defaultOwner) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.defaultOwner = defaultOwner == null ? "" : defaultOwner.trim();
  }

  @GET
  @RolesAllowed({Roles.SALES, Roles.OPERATOR})
  public Page<HandOffItem> list(@QueryParam("status") String status, @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    String which = QueryParams.oneOf("status", status, STATUSES).orElse("open");
    int size = QueryParams.limit(limit);
    Instant afterDue = Instant.EPOCH;
    long afterId = 0;
    if (QueryParams.text(cursor).isPresent()) {
      List<String> parts = PageCursor.decode(cursor.trim(), "handoffs", 2);
      try {
        afterDue = Instant.parse(parts.get(0));
        afterId = Long.parseLong(parts.get(1));
      } catch (DateTimeParseException | NumberFormatException e) {
        throw PageCursor.invalid();
      }
    }
    Instant start = afterDue;
    long startId = afterId;
    List<HandOffQueueRow> rows = jdbi.withExtension(HandOffDao.class, d -> d.queue(which, start, startId, size + 1));
    boolean more = rows.size() > size;
    List<HandOffQueueRow> page = more ? rows.subList(0, size) : rows;
    Instant now = clock.instant();
    HandOffQueueRow last = page.isEmpty() ? null : page.get(page.size() - 1);
    return new Page<>(page.stream().map(r -> item(r, now)).toList(),
        more ? PageCursor.encode("handoffs", last.slaDueAt().toString(), String.valueOf(last.id())) : null);
  }

  private HandOffItem item(HandOffQueueRow r, Instant now) {
    long left = Duration.between(now, r.slaDueAt()).toSeconds();
    String owner = r.ownerEmail().filter(o -> !o.isBlank()).orElse(defaultOwner);
    return new HandOffItem(r.id(), r.leadId(), r.reason(), r.priority(), r.score(), owner.isEmpty() ? null : owner,
        r.createdAt(), r.slaDueAt(), left, left < 0, r.open() ? "open" : "closed", r.outcome().orElse(null),
        r.outcomeAt().orElse(null));
  }
}
