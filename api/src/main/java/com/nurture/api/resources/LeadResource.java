package com.nurture.api.resources;

import com.nurture.activities.db.TimelineDao;
import com.nurture.activities.db.TimelineEntry;
import com.nurture.api.auth.ApiKeyPrincipal;
import com.nurture.api.auth.Roles;
import com.nurture.api.core.LeadIntake;
import com.nurture.api.core.JourneyCommands;
import com.nurture.api.core.JourneyService;
import com.nurture.api.representations.CommandRequest;
import com.nurture.api.representations.EnrolRequest;
import com.nurture.api.representations.EventAccepted;
import com.nurture.api.representations.EventRequest;
import com.nurture.api.representations.HistoryPage;
import com.nurture.api.representations.EnrolmentQueued;
import com.nurture.api.representations.JourneyResponse;
import com.nurture.api.representations.LeadRequest;
import com.nurture.api.representations.LeadResponse;
import com.nurture.api.representations.MigrateRequest;
import com.nurture.api.representations.SalesFeedbackRequest;
import com.nurture.api.representations.Page;
import com.nurture.api.representations.ScorePoint;
import com.nurture.api.representations.TimelinePage;
import com.nurture.api.core.PageCursor;
import com.nurture.workflows.journey.JourneyCommand;
import com.nurture.workflows.journey.SalesFeedback;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import com.nurture.api.errors.ProblemException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** Everything under /v1/leads/{leadId}: the lead, its journey, its events, its timeline. */
@Path("/v1/leads/{leadId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LeadResource {
  /** The MA system's lead id, used in the workflow id: printable, no slashes. */
  public static final String LEAD_ID = com.nurture.api.representations.LeadId.PATTERN;
  public static final String LEAD_ID_MESSAGE = com.nurture.api.representations.LeadId.MESSAGE;

  private final Jdbi jdbi;
  private final JourneyService journeys;
  private final JourneyCommands commands;
  private final LeadIntake intake;
  private final com.nurture.api.core.LeadErasure erasure;

  public LeadResource(Jdbi jdbi, LeadIntake intake, JourneyCommands commands,
      com.nurture.api.core.LeadErasure erasure) {
    this.jdbi = jdbi;
    this.journeys = intake.journeys();
    this.commands = commands;
    this.intake = intake;
    this.erasure = erasure;
  }

  /**
   * Erases the lead (right to erasure, docs/privacy.md): 204, and 204 again on a repeat; 404 for a
   * lead never stored; 503 when Temporal cannot end its journey (nothing erased then).
   */
  @DELETE
  @RolesAllowed(Roles.OPERATOR)
  @ApiResponse(responseCode = "204", description = "erased (and again on a repeat)")
  public Response erase(@PathParam("leadId") String leadId) {
    erasure.erase(leadId);
    return Response.noContent().build();
  }

  /** Everything held about the lead, table by table (right of access); an erased lead's shows what is left. */
  @GET
  @Path("export")
  @RolesAllowed(Roles.OPERATOR)
  public Map<String, Object> export(@PathParam("leadId") String leadId) {
    return erasure.export(leadId);
  }

  @PUT
  @RolesAllowed(Roles.MA)
  @ApiResponse(responseCode = "201", description = "a new lead",
      content = @Content(schema = @Schema(implementation = LeadResponse.class)))
  @ApiResponse(responseCode = "200", description = "an existing lead, updated",
      content = @Content(schema = @Schema(implementation = LeadResponse.class)))
  public Response upsert(@PathParam("leadId") @Pattern(regexp = LEAD_ID, message = LEAD_ID_MESSAGE) String leadId,
      @NotNull @Valid LeadRequest lead) {
    LeadIntake.Upserted u = intake.upsert(leadId, lead);
    return Response.status(u.created() ? Response.Status.CREATED : Response.Status.OK).entity(LeadResponse.of(u.stored()))
        .build();
  }

  @GET
  @RolesAllowed({Roles.MA, Roles.OPERATOR})
  public LeadResponse get(@PathParam("leadId") String leadId) {
    return LeadResponse.of(journeys.lead(leadId));
  }

  @POST
  @Path("journey")
  @RolesAllowed(Roles.MA)
  @ApiResponse(responseCode = "201", description = "a new journey",
      content = @Content(schema = @Schema(implementation = JourneyResponse.class)))
  @ApiResponse(responseCode = "200", description = "the journey the lead already has",
      content = @Content(schema = @Schema(implementation = JourneyResponse.class)))
  @ApiResponse(responseCode = "202", description = "Temporal did not answer in time: the enrolment is stored and "
      + "the journey starts when it answers (nothing to retry)",
      content = @Content(schema = @Schema(implementation = EnrolmentQueued.class)))
  public Response enrol(@PathParam("leadId") String leadId, @Valid EnrolRequest request) {
    JourneyService.Enrolment e = journeys.enrol(leadId, request == null ? Optional.empty() : request.programId());
    return Response.status(e.outcome().status).entity(e.body()).build();
  }

  @GET
  @Path("journey")
  @RolesAllowed(Roles.OPERATOR)
  public JourneyResponse journey(@PathParam("leadId") String leadId) {
    return commands.view(leadId);
  }

  /** pause, resume or exit: a Temporal update the workflow validates (an invalid transition is 409). */
  @POST
  @Path("journey/{command: pause|resume|exit}")
  @RolesAllowed(Roles.OPERATOR)
  public JourneyResponse command(@Auth ApiKeyPrincipal caller, @PathParam("leadId") String leadId,
      @PathParam("command") String command, @Valid CommandRequest body) {
    JourneyCommand.Kind kind = JourneyCommand.Kind.valueOf(command.toUpperCase(Locale.ROOT));
    return commands.command(leadId, new JourneyCommand(kind, body == null ? "" : orEmpty(body.reason()), caller.getName()));
  }

  /** Moves the journey to another version of its program (body {"version": n}; default the latest). */
  @POST
  @Path("journey/migrate")
  @RolesAllowed(Roles.OPERATOR)
  public JourneyResponse migrate(@PathParam("leadId") String leadId, @Valid MigrateRequest body) {
    return commands.migrate(leadId, Optional.ofNullable(body == null ? null : body.version()));
  }

  /** Sales' answer to a hand-off: accepted (graduated), rejected (back to nurture), not_now until a date. */
  @POST
  @Path("sales-feedback")
  @RolesAllowed(Roles.SALES)
  public JourneyResponse salesFeedback(@Auth ApiKeyPrincipal caller, @PathParam("leadId") String leadId,
      @NotNull @Valid SalesFeedbackRequest body) {
    if (body.outcome().equals("not_now") && body.until() == null) {
      throw ProblemException.invalid("until", "is required with not_now: when to get back in touch");
    }
    return commands.salesFeedback(leadId, new SalesFeedback(SalesFeedback.Outcome.valueOf(body.outcome().toUpperCase(Locale.ROOT)),
        Optional.ofNullable(body.until()), body.note(), caller.getName()));
  }

  @GET
  @Path("journey/history")
  @RolesAllowed(Roles.OPERATOR)
  public HistoryPage history(@PathParam("leadId") String leadId,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
      @QueryParam("cursor") @Pattern(regexp = "\\d{1,18}", message = "must be a cursor this API gave out") String cursor) {
    return commands.history(leadId, limit, cursor == null ? 0 : Long.parseLong(cursor));
  }

  @POST
  @Path("events")
  @RolesAllowed({Roles.MA, Roles.SALES})
  @ApiResponse(responseCode = "202", description = "accepted (stored; delivered to the journey, or kept in the outbox until Temporal answers)",
      content = @Content(schema = @Schema(implementation = EventAccepted.class)))
  public Response event(@PathParam("leadId") String leadId, @NotNull @Valid EventRequest request) {
    return Response.accepted(intake.event(leadId, request)).build();
  }

  @GET
  @Path("timeline")
  @RolesAllowed(Roles.OPERATOR)
  public TimelinePage timeline(@PathParam("leadId") String leadId,
      @QueryParam("cursor") @Pattern(regexp = "\\d{1,18}", message = "must be a cursor this API gave out") String cursor,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
    journeys.lead(leadId);
    long after = cursor == null ? 0 : Long.parseLong(cursor);
    List<TimelineEntry> entries = jdbi.onDemand(TimelineDao.class).list(leadId, after, limit + 1);
    boolean more = entries.size() > limit;
    List<TimelineEntry> page = more ? entries.subList(0, limit) : entries;
    return new TimelinePage(
        page.stream().map(e -> new TimelinePage.Item(e.id(), e.at(), e.kind(), e.detail())).toList(),
        more ? String.valueOf(page.get(page.size() - 1).id()) : null);
  }

  /**
   * The score after each event that changed it, oldest first: the journey's {@code scored}
   * timeline entries (the score between events decays, docs/scoring-and-handoff.md, and is not
   * recorded point by point).
   */
  @GET
  @Path("score-history")
  @RolesAllowed(Roles.OPERATOR)
  public Page<ScorePoint> scoreHistory(@PathParam("leadId") String leadId, @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    int size = QueryParams.limit(limit);
    long after = 0;
    if (QueryParams.text(cursor).isPresent()) {
      try {
        after = Long.parseLong(PageCursor.decode(cursor.trim(), "scores", 1).get(0));
      } catch (NumberFormatException e) {
        throw PageCursor.invalid();
      }
    }
    journeys.lead(leadId);
    List<TimelineEntry> entries = jdbi.onDemand(TimelineDao.class).ofKind(leadId, "scored", after, size + 1);
    boolean more = entries.size() > size;
    List<TimelineEntry> page = more ? entries.subList(0, size) : entries;
    return new Page<>(page.stream().map(LeadResource::scorePoint).toList(),
        more ? PageCursor.encode("scores", String.valueOf(page.get(page.size() - 1).id())) : null);
  }

  private static ScorePoint scorePoint(TimelineEntry e) {
    Map<String, Object> d = e.detail();
    Object points = d.get("points");
    return new ScorePoint(e.at(), whole(d.get("total")), whole(d.get("fit")), whole(d.get("engagement")),
        whole(d.get("velocity")), points instanceof Number n ? n.doubleValue() : null,
        d.get("event_id") == null ? null : String.valueOf(d.get("event_id")),
        d.get("type") == null ? null : String.valueOf(d.get("type")));
  }

  private static Integer whole(Object value) {
    return value instanceof Number n ? (int) Math.round(n.doubleValue()) : null;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s.trim();
  }
}
