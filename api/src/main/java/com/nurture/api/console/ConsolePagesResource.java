package com.nurture.api.console;

import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.HandOffItem;
import com.nurture.api.representations.Page;
import com.nurture.api.representations.SalesFeedbackRequest;
import com.nurture.api.representations.SuppressionRequest;
import com.nurture.api.representations.SuppressionResponse;
import com.nurture.api.resources.AlertResource;
import com.nurture.api.resources.FunnelResource;
import com.nurture.api.resources.HandOffResource;
import com.nurture.api.resources.LeadResource;
import com.nurture.api.resources.SuppressionResource;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The overview, the sales queue, alerts and suppressions. Each reads and acts through the same
 * resource classes as the /v1 API (in-process calls, not HTTP), with the session's principal.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsolePagesResource {
  private static final Logger log = LoggerFactory.getLogger(ConsolePagesResource.class);

  /** The /v1 resources the pages read and act through. */
  public record Sources(FunnelResource funnel, AlertResource alerts, HandOffResource handoffs, LeadResource leads,
      SuppressionResource suppressions) {}

  private final Sources api;
  private final ConsoleQueries queries;
  private final ConsoleSessions sessions;
  private final Clock clock;

  public ConsolePagesResource(Sources api, ConsoleQueries queries, ConsoleSessions sessions, Clock clock) {
    this.api = api;
    this.queries = queries;
    this.sessions = sessions;
    this.clock = clock;
  }

  @GET
  @Path("overview")
  public OverviewPage overview(@Context ContainerRequestContext request) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleAccess.requireOperator(context);
    Instant to = clock.instant();
    Instant from = to.minus(Duration.ofDays(OverviewPage.DAYS - 1L)).atOffset(ZoneOffset.UTC).toLocalDate()
        .atStartOfDay(ZoneOffset.UTC).toInstant();
    return new OverviewPage(context, api.funnel().funnel(null, null, null, null), queries.sendsPerDay(from, to),
        queries.deliveryHealth(from, to), api.alerts().list("open", "10", null));
  }

  @GET
  @Path("sales")
  public WorkPages.SalesQueuePage sales(@Context ContainerRequestContext request, @QueryParam("cursor") String cursor) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleAccess.requireSalesOrOperator(context);
    Page<HandOffItem> page = api.handoffs().list("open", "50", cursor);
    String next = page.nextCursor() == null ? "" : "/console/sales?cursor=" + encode(page.nextCursor());
    return new WorkPages.SalesQueuePage(context, page.items(), next,
        clock.instant().plus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC).toLocalDate().toString());
  }

  /** Sales' answer, as POST /v1/leads/{id}/sales-feedback: accepted, rejected, or not_now until a date. */
  @POST
  @Path("sales/{leadId}/{outcome: accepted|rejected|not_now}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiResponse(responseCode = "303", description = "back to the sales queue")
  public Response answer(@Context ContainerRequestContext request, @PathParam("leadId") String leadId,
      @PathParam("outcome") String outcome, @FormParam("until") String until, @FormParam("note") String note) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleSession session = ConsoleAccess.requireSales(context);
    sessions.flashOutcome(session, () -> {
      Instant when = null;
      if (until != null && !until.isBlank()) {
        try {
          when = LocalDate.parse(until.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
          throw ProblemException.invalid("until", "must be a date (yyyy-mm-dd)");
        }
      }
      String text = note == null || note.isBlank() ? null : note.trim();
      if (text != null && text.length() > 1000) {
        throw ProblemException.invalid("note", "must be at most 1000 characters");
      }
      api.leads().salesFeedback(session.principal(), leadId, new SalesFeedbackRequest(outcome, when, text));
      log.info("console: sales answered {} for lead {} ({})", outcome, leadId, session.name());
      return Flash.done(context.text().format("sales.done." + outcome, leadId));
    });
    return Response.seeOther(URI.create("/console/sales")).build();
  }

  @GET
  @Path("alerts")
  public WorkPages.AlertsPage alerts(@Context ContainerRequestContext request, @QueryParam("status") String status,
      @QueryParam("before") String before) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleAccess.requireSalesOrOperator(context);
    String which = status != null && List.of("open", "acked", "all").contains(status) ? status : "open";
    String from = before != null && before.matches("[0-9]{1,18}") ? before : null;
    List<AlertResource.Alert> alerts = api.alerts().list(which, "101", from);
    boolean more = alerts.size() > 100;
    List<AlertResource.Alert> page = more ? alerts.subList(0, 100) : alerts;
    String next = more ? "/console/alerts?status=" + which + "&before=" + page.get(99).id() : "";
    return new WorkPages.AlertsPage(context, page, which, next);
  }

  @POST
  @Path("alerts/{id: [0-9]{1,18}}/ack")
  @ApiResponse(responseCode = "303", description = "back to the alerts")
  public Response ack(@Context ContainerRequestContext request, @PathParam("id") long id) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleSession session = ConsoleAccess.requireSalesOrOperator(context);
    sessions.flashOutcome(session, () -> {
      api.alerts().ack(session.principal(), id);
      return Flash.done(context.text().format("alerts.done", String.valueOf(id)));
    });
    return Response.seeOther(URI.create("/console/alerts")).build();
  }

  @GET
  @Path("suppressions")
  public WorkPages.SuppressionsPage suppressions(@Context ContainerRequestContext request,
      @QueryParam("cursor") String cursor) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleAccess.requireOperator(context);
    String from = cursor != null && cursor.matches("[0-9]{1,18}") ? cursor : null;
    SuppressionResponse.Page page = api.suppressions().list(from, 100);
    String next = page.nextCursor() == null ? "" : "/console/suppressions?cursor=" + page.nextCursor();
    return new WorkPages.SuppressionsPage(context, page.items(), next);
  }

  @POST
  @Path("suppressions")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiResponse(responseCode = "303", description = "back to the suppressions")
  public Response suppress(@Context ContainerRequestContext request, @FormParam("email") String email,
      @FormParam("reason") String reason) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleSession session = ConsoleAccess.requireOperator(context);
    sessions.flashOutcome(session, () -> {
      Response r = api.suppressions().add(session.principal(), email == null ? "" : email.trim(),
          new SuppressionRequest(reason, "console"));
      return Flash.done(context.text().get(r.getStatus() == 201 ? "suppressions.added" : "suppressions.already"));
    });
    return Response.seeOther(URI.create("/console/suppressions")).build();
  }

  @POST
  @Path("suppressions/remove")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiResponse(responseCode = "303", description = "back to the suppressions")
  public Response unsuppress(@Context ContainerRequestContext request, @FormParam("email") String email,
      @FormParam("reason") String reason) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleSession session = ConsoleAccess.requireOperator(context);
    sessions.flashOutcome(session, () -> {
      api.suppressions().remove(session.principal(), email == null ? "" : email.trim(), reason, null);
      return Flash.done(context.text().get("suppressions.removed"));
    });
    return Response.seeOther(URI.create("/console/suppressions")).build();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static Optional<String> text(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
