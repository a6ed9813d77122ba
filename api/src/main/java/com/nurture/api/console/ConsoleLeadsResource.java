package com.nurture.api.console;

import com.nurture.api.core.PageCursor;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.CommandRequest;
import com.nurture.api.representations.JourneyResponse;
import com.nurture.api.representations.LeadResponse;
import com.nurture.api.representations.MigrateRequest;
import com.nurture.api.representations.ProgramSummary;
import com.nurture.api.representations.ScorePoint;
import com.nurture.api.resources.LeadResource;
import com.nurture.api.resources.ProgramResource;
import com.nurture.workflows.journey.JourneyStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The console's leads: the search, one lead's page (an erased lead's shows what erasure left), and
 * the operator's actions (pause, resume, exit, migrate its journey; erase the lead), each done by
 * the same code as its /v1 endpoint.
 */
@Path("/console/leads")
@Produces(MediaType.TEXT_HTML)
public class ConsoleLeadsResource {
  private static final Logger log = LoggerFactory.getLogger(ConsoleLeadsResource.class);
  private static final int PAGE = 50;
  private static final List<String> STATUSES = Arrays.stream(JourneyStatus.values()).map(Enum::name).toList();

  private final LeadResource leads;
  private final ProgramResource programs;
  private final ConsoleQueries queries;
  private final ConsoleSessions sessions;
  private final Optional<TemporalUi> temporalUi;

  public ConsoleLeadsResource(LeadResource leads, ProgramResource programs, ConsoleQueries queries,
      ConsoleSessions sessions, Optional<TemporalUi> temporalUi) {
    this.leads = leads;
    this.programs = programs;
    this.queries = queries;
    this.sessions = sessions;
    this.temporalUi = temporalUi;
  }

  @GET
  public LeadsPage search(@Context ContainerRequestContext request, @QueryParam("q") String q,
      @QueryParam("status") String status, @QueryParam("program") String program,
      @QueryParam("score_min") String scoreMin, @QueryParam("cursor") String cursor) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleAccess.requireOperator(context);
    LeadsPage.Form form = new LeadsPage.Form(blank(q), blank(status), blank(program), blank(scoreMin));
    List<String> programIds = programs.list().stream().map(ProgramSummary::id).sorted().toList();
    String error = "";
    Optional<Integer> minimum = Optional.empty();
    if (!form.scoreMin().isEmpty()) {
      try {
        minimum = Optional.of(Integer.parseInt(form.scoreMin().trim()));
      } catch (NumberFormatException e) {
        error = context.text().get("leads.score_min.invalid");
      }
    }
    Optional<String> state = text(form.status()).map(s -> s.toUpperCase(java.util.Locale.ROOT));
    if (state.isPresent() && !STATUSES.contains(state.get())) {
      error = context.text().get("leads.status.invalid");
    }
    Optional<ConsoleQueries.After> after = Optional.empty();
    if (!blank(cursor).isEmpty()) {
      try {
        List<String> parts = PageCursor.decode(cursor.trim(), "console-leads", 2);
        after = Optional.of(new ConsoleQueries.After(Instant.parse(parts.get(0)), parts.get(1)));
      } catch (ProblemException | DateTimeParseException e) {
        error = context.text().get("pager.invalid");
      }
    }
    if (!error.isEmpty()) {
      return new LeadsPage(context, form, List.of(), null, STATUSES, programIds, error);
    }
    ConsoleQueries.LeadFilter filter = new ConsoleQueries.LeadFilter(text(form.q()), state, text(form.program()), minimum);
    List<ConsoleQueries.LeadHit> rows = queries.leads(filter, after, PAGE + 1);
    boolean more = rows.size() > PAGE;
    List<ConsoleQueries.LeadHit> page = more ? rows.subList(0, PAGE) : rows;
    String next = more ? PageCursor.encode("console-leads", page.get(PAGE - 1).updatedAt().toString(), page.get(PAGE - 1).id())
        : null;
    return new LeadsPage(context, form, page, next, STATUSES, programIds, "");
  }

  @GET
  @Path("{leadId}")
  public ConsolePage lead(@Context ContainerRequestContext request, @PathParam("leadId") String leadId) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleAccess.requireOperator(context);
    LeadResponse lead;
    try {
      lead = leads.get(leadId);
    } catch (ProblemException e) {
      return erased(context, leadId);
    }
    Optional<JourneyResponse> journey = Optional.empty();
    try {
      journey = Optional.of(leads.journey(leadId));
    } catch (ProblemException notEnrolled) {
      // a lead without a journey: the page says so
    }
    List<ScorePoint> scores = leads.scoreHistory(leadId, "500", null).items();
    List<EmailActivity.Row> emails = EmailActivity.of(queries.emails(leadId), queries.emailEvents(leadId), queries.hits(leadId));
    var timeline = leads.timeline(leadId, null, 500).items();
    List<LeadPage.HistoryEvent> history = List.of();
    String historyError = "";
    if (journey.isPresent()) {
      try {
        history = LeadPage.historyEvents(leads.history(leadId, 200, null).events());
      } catch (RuntimeException e) {
        log.info("console: no workflow history for lead {}: {}", leadId, e.toString());
        historyError = context.text().get("lead.history.unavailable");
      }
    }
    return new LeadPage(context, lead, journey, scores, emails, timeline, history, historyError, temporalUi);
  }

  /** pause, resume or exit, as POST /v1/leads/{id}/journey/{command}; then back to the lead. */
  @POST
  @Path("{leadId}/{command: pause|resume|exit}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiResponse(responseCode = "303", description = "back to the lead's page, saying what was done")
  public Response command(@Context ContainerRequestContext request, @PathParam("leadId") String leadId,
      @PathParam("command") String command, @FormParam("reason") String reason) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleSession session = ConsoleAccess.requireOperator(context);
    if (blank(reason).length() > 500) {
      sessions.flash(session, Flash.refused(ProblemException.invalid("reason", "must be at most 500 characters")));
      return backTo(leadId);
    }
    sessions.flashOutcome(session, () -> {
      JourneyResponse j = leads.command(session.principal(), leadId, command, new CommandRequest(blank(reason)));
      log.info("console: {} of lead {} by {}", command, leadId, session.name());
      return Flash.done(context.text().format("lead.done." + command, j.status()));
    });
    return backTo(leadId);
  }

  /** Moves the journey to another version of its program (blank: the latest), as POST .../journey/migrate. */
  @POST
  @Path("{leadId}/migrate")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiResponse(responseCode = "303", description = "back to the lead's page, saying what was done")
  public Response migrate(@Context ContainerRequestContext request, @PathParam("leadId") String leadId,
      @FormParam("version") String version) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleSession session = ConsoleAccess.requireOperator(context);
    sessions.flashOutcome(session, () -> {
      Integer v;
      try {
        v = blank(version).isEmpty() ? null : Integer.valueOf(version.trim());
      } catch (NumberFormatException e) {
        throw ProblemException.invalid("version", "must be a whole number from 1");
      }
      if (v != null && v < 1) {
        throw ProblemException.invalid("version", "must be a whole number from 1");
      }
      JourneyResponse j = leads.migrate(leadId, new MigrateRequest(v, null));
      log.info("console: migrate of lead {} to version {} by {}", leadId, j.programVersion(), session.name());
      return Flash.done(context.text().format("lead.done.migrate", j.programVersion()));
    });
    return backTo(leadId);
  }

  /** An erased lead's page, from its export (what erasure left); 404 for a lead never stored. */
  private ErasedLeadPage erased(ConsoleContext context, String leadId) {
    Map<String, Object> export;
    try {
      export = leads.export(leadId);
    } catch (ProblemException e) {
      export = Map.of();
    }
    if (!Boolean.TRUE.equals(export.get("erased")) || !(export.get("tables") instanceof Map<?, ?> tables)) {
      throw new ConsoleRefusal(Response.Status.NOT_FOUND, context.text().format("lead.unknown", leadId));
    }
    return new ErasedLeadPage(context, leadId, ErasedLeadPage.Left.of(tables));
  }

  /**
   * Erases the lead as DELETE /v1/leads/{id} does (the same code), once the operator has typed the
   * lead's id into the form to confirm; then back to its page, which shows what erasure left.
   */
  @POST
  @Path("{leadId}/erase")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiResponse(responseCode = "303", description = "back to the lead's page (the erased lead's, once erased)")
  public Response erase(@Context ContainerRequestContext request, @PathParam("leadId") String leadId,
      @FormParam("confirm") String confirm) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleSession session = ConsoleAccess.requireOperator(context);
    if (!confirms(confirm, leadId)) {
      sessions.flash(session, new Flash(true, context.text().get("lead.erase.mismatch")));
      return backTo(leadId);
    }
    sessions.flashOutcome(session, () -> {
      leads.erase(leadId);
      log.info("console: erasure of lead {} by {}", leadId, session.name());
      return Flash.done(context.text().format("lead.done.erase", leadId));
    });
    return backTo(leadId);
  }

  /** The id typed to confirm an erasure is the lead's own (surrounding blanks aside). */
  static boolean confirms(String typed, String leadId) {
    return !leadId.isEmpty() && blank(typed).equals(leadId);
  }

  private static Response backTo(String leadId) {
    return Response.seeOther(URI.create("/console/leads/" + URLEncoder.encode(leadId, StandardCharsets.UTF_8))).build();
  }

  private static String blank(String s) {
    return s == null ? "" : s.trim();
  }

  private static Optional<String> text(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
