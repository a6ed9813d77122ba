package com.nurture.api.console.programs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.db.ProgramRow;
import com.nurture.api.analytics.InFlight;
import com.nurture.api.analytics.ProgramStats;
import com.nurture.api.console.ConsoleAccess;
import com.nurture.api.console.ConsoleContext;
import com.nurture.api.console.ConsoleRefusal;
import com.nurture.api.core.JourneyCommands;
import com.nurture.api.errors.FieldError;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.ProgramResponse;
import com.nurture.api.representations.SimulationRequest;
import com.nurture.api.resources.ProgramInFlightResource;
import com.nurture.api.resources.ProgramResource;
import com.nurture.api.resources.ProgramStatsResource;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.SendStep;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The console's program pages and the editor's calls, operator only (sales sees none of it). Every
 * action goes through the API's own code (ProgramResource's check, publish and simulate, the stats,
 * JourneyCommands' migration and its dry run), so the console and the API cannot disagree.
 */
@Path("/console/programs")
@Produces(MediaType.TEXT_HTML)
public class ConsoleProgramsResource {
  private static final ObjectMapper YAML = new YAMLMapper();
  private final ProgramCatalog catalog;
  private final ProgramResource programs;
  private final ProgramStatsResource stats;
  private final ProgramInFlightResource inFlight;
  private final JourneyCommands journeys;
  private final ObjectMapper json;

  public ConsoleProgramsResource(ProgramCatalog catalog, ProgramResource programs, ProgramStatsResource stats,
      ProgramInFlightResource inFlight, JourneyCommands journeys, ObjectMapper json) {
    this.catalog = catalog;
    this.programs = programs;
    this.stats = stats;
    this.inFlight = inFlight;
    this.journeys = journeys;
    this.json = json;
  }

  @GET
  public ProgramPages.ListPage list(@Context ContainerRequestContext request) {
    ConsoleContext context = operator(request);
    List<ProgramPages.ListRow> rows = new ArrayList<>();
    for (Program p : catalog.listLatest()) {
      String trigger = p.trigger().map(t -> String.join(", ", t.events().stream().map(e -> e.wireName()).toList())
          + (t.where().isEmpty() ? "" : " " + new java.util.TreeMap<>(t.where()))).orElse("");
      rows.add(new ProgramPages.ListRow(p.id(), p.name(), p.version(), trigger, p.priority(), p.holdoutPercent(),
          inFlight.inFlight(p.id()).leads(), catalog.versions(p.id()).size()));
    }
    return new ProgramPages.ListPage(context, rows);
  }

  @GET
  @Path("{id}")
  public ProgramPages.DetailPage program(@Context ContainerRequestContext request, @PathParam("id") String id,
      @QueryParam("version") Integer version) {
    ConsoleContext context = operator(request);
    ProgramRow row = row(context, id, version);
    Program program = catalog.version(id, row.version()).orElseThrow();
    ProgramStats numbers = stats.stats(id, null, null, String.valueOf(row.version()), null);
    InFlight leads = inFlight.inFlight(id);
    return new ProgramPages.DetailPage(context, id, program.name(), row.version(),
        ProgramFlow.of(program, Optional.of(numbers), leads), ProgramReadouts.of(numbers),
        ProgramPages.versions(catalog.versions(id), leads, row.version()), numbers.from(), numbers.to());
  }

  @GET
  @Path("{id}/edit")
  public ProgramPages.EditorPage edit(@Context ContainerRequestContext request, @PathParam("id") String id,
      @QueryParam("version") Integer version, @QueryParam("published") Integer published,
      @QueryParam("unchanged") Integer unchanged) {
    ConsoleContext context = operator(request);
    ProgramRow row = row(context, id, version);
    Program program = catalog.version(id, row.version()).orElseThrow();
    String notice = published != null ? context.text().format("editor.published", published)
        : unchanged != null ? context.text().format("editor.unchanged", unchanged) : "";
    return new ProgramPages.EditorPage(context, id, row.version(), row.source(),
        ProgramPages.versions(catalog.versions(id), inFlight.inFlight(id), row.version()), notice,
        sampleEvents(program));
  }

  /** The errors of the text as it stands, at their lines (nothing is published). */
  @POST
  @Path("{id}/validate")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public ProgramPages.Fragment validate(@Context ContainerRequestContext request, @PathParam("id") String id,
      @FormParam("source") String source) {
    ConsoleContext context = operator(request);
    return ProgramPages.Fragment.ofDiagnostics(context, EditorDiagnostics.of(source, errors(id, source)));
  }

  /**
   * Publishes the text as a new version: with htmx, HX-Redirect to the editor of the new version
   * (a 303 without); an invalid text answers its errors at their lines and publishes nothing.
   */
  @POST
  @Path("{id}/publish")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiResponse(responseCode = "200", description = "the editor's diagnostics (refused), or empty with HX-Redirect (htmx, published)",
      content = @Content(mediaType = "text/html"))
  @ApiResponse(responseCode = "303", description = "published: to the editor, saying which version")
  public Response publish(@Context ContainerRequestContext request, @PathParam("id") String id,
      @FormParam("source") String source, @HeaderParam("HX-Request") String htmx) {
    ConsoleContext context = operator(request);
    Response published;
    try {
      published = programs.publish(id, source);
    } catch (ProblemException e) {
      return Response.ok(ProgramPages.Fragment.ofDiagnostics(context, EditorDiagnostics.of(source, e.problem().errors())))
          .build();
    }
    ProgramResponse program = (ProgramResponse) published.getEntity();
    URI next = URI.create("/console/programs/" + id + "/edit?"
        + (published.getStatus() == 201 ? "published=" : "unchanged=") + program.version());
    return htmx != null ? Response.ok().header("HX-Redirect", next.toString()).build() : Response.seeOther(next).build();
  }

  /** A preview of the text in the editor (published or not) for an imagined lead and scripted events. */
  @POST
  @Path("{id}/preview")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public ProgramPages.Fragment preview(@Context ContainerRequestContext request, @PathParam("id") String id,
      @FormParam("source") String source, @FormParam("lead") String lead, @FormParam("events") String events,
      @FormParam("horizon") String horizon) {
    ConsoleContext context = operator(request);
    List<String> problems = new ArrayList<>();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source", source);
    body.put("lead", yaml("lead", lead, Map.class, problems).orElse(Map.of()));
    List<?> script = yaml("events", events, List.class, problems).orElse(List.of());
    for (int i = 0; i < script.size(); i++) {
      if (!(script.get(i) instanceof Map<?, ?> e) || e.get("at") == null || e.get("type") == null) {
        problems.add("events[" + i + "]: " + context.text().get("preview.event.shape"));
      }
    }
    body.put("events", script);
    if (horizon != null && !horizon.isBlank()) {
      body.put("horizon", horizon.trim());
    }
    if (!problems.isEmpty()) {
      return ProgramPages.Fragment.ofProblems(context, problems);
    }
    try {
      SimulationRequest simulation = json.convertValue(body, SimulationRequest.class);
      return ProgramPages.Fragment.ofPreview(context, PreviewReport.of(programs.simulate(id, simulation)));
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause() instanceof JsonProcessingException j ? j : e;
      String message = cause instanceof JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage();
      return ProgramPages.Fragment.ofProblems(context, List.of("events: " + message));
    } catch (ProblemException e) {
      return ProgramPages.Fragment.ofProblems(context, problems(e));
    }
  }

  /** Moves the leads of an older version, or (dry run) says who would move and who would be refused, and why. */
  @POST
  @Path("{id}/migrate")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public ProgramPages.Fragment migrate(@Context ContainerRequestContext request, @PathParam("id") String id,
      @FormParam("from") Integer from, @FormParam("to") Integer to, @FormParam("dry_run") String dryRun) {
    ConsoleContext context = operator(request);
    if (from == null || from < 1) {
      return ProgramPages.Fragment.ofProblems(context, List.of("from: " + context.text().get("migrate.from.missing")));
    }
    try {
      JourneyCommands.Migration m = "true".equals(dryRun)
          ? journeys.migrationDryRun(id, from, Optional.ofNullable(to), 500)
          : journeys.migrateAll(id, from, Optional.ofNullable(to), 500);
      return ProgramPages.Fragment.ofMigration(context, m);
    } catch (ProblemException e) {
      return ProgramPages.Fragment.ofProblems(context, problems(e));
    }
  }

  private List<FieldError> errors(String id, String source) {
    try {
      programs.check(id, source);
      return List.of();
    } catch (ProblemException e) {
      return e.problem().errors();
    }
  }

  private static List<String> problems(ProblemException e) {
    List<FieldError> errors = e.problem().errors() == null ? List.of() : e.problem().errors();
    if (errors.isEmpty()) {
      return List.of(e.problem().detail());
    }
    return errors.stream().map(f -> (f.line() == null ? "" : "line " + f.line() + ", ") + f.field() + ": " + f.message())
        .toList();
  }

  private static <T> Optional<T> yaml(String field, String text, Class<T> type, List<String> problems) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      Object value = YAML.readValue(text, Object.class);
      if (value == null) {
        return Optional.empty();
      }
      if (!type.isInstance(value)) {
        problems.add(field + ": " + (type == Map.class ? "is a mapping" : "is a list"));
        return Optional.empty();
      }
      return Optional.of(type.cast(value));
    } catch (JsonProcessingException e) {
      problems.add(field + ": " + e.getOriginalMessage());
      return Optional.empty();
    }
  }

  /** A script to start from: the first email opened the next day and clicked the day after. */
  static String sampleEvents(Program program) {
    return program.steps().stream().filter(s -> s instanceof SendStep).findFirst()
        .map(s -> "- { at: 1d, type: email_opened, step: " + s.id() + " }\n- { at: 2d, type: email_clicked, step: "
            + s.id() + " }\n")
        .orElse("- { at: 1d, type: page_visited, properties: { page: pricing } }\n");
  }

  private ProgramRow row(ConsoleContext context, String id, Integer version) {
    return catalog.row(id, Optional.ofNullable(version)).orElseThrow(() -> new ConsoleRefusal(
        Response.Status.NOT_FOUND, context.text().format("programs.unknown", id)));
  }

  private static ConsoleContext operator(ContainerRequestContext request) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleAccess.requireOperator(context);
    return context;
  }
}
