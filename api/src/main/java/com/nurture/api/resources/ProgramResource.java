package com.nurture.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.db.ProgramRow;
import com.nurture.api.auth.Roles;
import com.nurture.api.errors.FieldError;
import com.nurture.api.errors.Problem;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.core.JourneyCommands;
import com.nurture.api.core.Simulator;
import com.nurture.api.representations.MigrateRequest;
import com.nurture.api.representations.ProgramResponse;
import com.nurture.api.representations.SimulationRequest;
import com.nurture.api.representations.SimulationResponse;
import com.nurture.workflows.program.Program;
import com.nurture.api.representations.ProgramSummary;
import com.nurture.workflows.program.InvalidProgramException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** The program catalog: validate and publish new versions, read any version. */
@Path("/v1/programs")
@Produces(MediaType.APPLICATION_JSON)
public class ProgramResource {
  private static final ObjectMapper YAML = new YAMLMapper();
  private final ProgramCatalog catalog;
  private final ObjectMapper json;
  private final Simulator simulator;
  private final JourneyCommands journeys;
  private final Clock clock;

  public ProgramResource(ProgramCatalog catalog, ObjectMapper json, Simulator simulator, JourneyCommands journeys,
      Clock clock) {
    this.journeys = journeys;
    this.catalog = catalog;
    this.json = json;
    this.simulator = simulator;
    this.clock = clock;
  }

  /**
   * Moves every running journey on version {@code version} of the program to another version
   * (body {@code {"version": n}}, default the latest; {@code limit}, default 500, per call). Each
   * journey moves at its current step; one whose step no longer exists is refused and listed.
   * With {@code "dry_run": true} nothing moves: the answer says who would move and who would be
   * refused, and why, judged from the journeys mirror.
   */
  @POST
  @Path("{id}/versions/{version}/migrate")
  @RolesAllowed(Roles.OPERATOR)
  @Consumes(MediaType.APPLICATION_JSON)
  public JourneyCommands.Migration migrate(@PathParam("id") String id, @PathParam("version") @Min(1) int version,
      @Valid MigrateRequest body) {
    Optional<Integer> to = Optional.ofNullable(body == null ? null : body.version());
    int limit = body == null || body.limit() == null ? 500 : body.limit();
    return body != null && body.isDryRun() ? journeys.migrationDryRun(id, version, to, limit)
        : journeys.migrateAll(id, version, to, limit);
  }

  /**
   * Preview: the timeline a journey would write for an imagined lead and scripted events, with the
   * scores and the hand-off time. Runs the journey core the workflow runs on a virtual clock
   * ({@link Simulator}), not Temporal; nothing is sent or stored. Simulates the published program
   * (latest, or {@code version}), or a draft given as {@code source}.
   */
  @POST
  @Path("{id}/simulate")
  @RolesAllowed(Roles.OPERATOR)
  @Consumes(MediaType.APPLICATION_JSON)
  public SimulationResponse simulate(@PathParam("id") String id, @NotNull @Valid SimulationRequest request) {
    Program program;
    if (request.source() != null && !request.source().isBlank()) {
      try {
        program = catalog.parse(request.source());
      } catch (InvalidProgramException e) {
        throw new ProblemException(Problem.UNPROCESSABLE, "the draft program is invalid: " + e.errors().size() + " error(s)",
            e.errors().stream().map(err -> new FieldError("source." + err.path(), err.message(), err.line() > 0 ? err.line() : null)).toList());
      }
      if (!program.id().equals(id)) {
        throw ProblemException.invalid("source.id", "'" + program.id() + "' does not match the id in the path, '" + id + "'");
      }
    } else {
      program = (request.version() == null ? catalog.latest(id) : catalog.version(id, request.version()))
          .orElseThrow(() -> ProblemException.notFound("no program '" + id + "'"
              + (request.version() == null ? "" : " version " + request.version())));
    }
    return SimulationResponse.of(simulator.run(program, request.script(clock)));
  }

  @GET
  @RolesAllowed(Roles.OPERATOR)
  public List<ProgramSummary> list() {
    return catalog.latestRows().stream().map(ProgramSummary::of).toList();
  }

  @GET
  @Path("{id}")
  @RolesAllowed(Roles.OPERATOR)
  public ProgramResponse get(@PathParam("id") String id, @QueryParam("version") @Min(1) Integer version) {
    ProgramRow row = catalog.row(id, Optional.ofNullable(version)).orElseThrow(() -> ProblemException.notFound(
        version == null ? "no program '" + id + "'" : "program '" + id + "' has no version " + version));
    return response(row);
  }

  @GET
  @Path("{id}/versions")
  @RolesAllowed(Roles.OPERATOR)
  public List<ProgramSummary> versions(@PathParam("id") String id) {
    List<ProgramRow> rows = catalog.versions(id);
    if (rows.isEmpty()) {
      throw ProblemException.notFound("no program '" + id + "'");
    }
    return rows.stream().map(ProgramSummary::of).toList();
  }

  /**
   * Validates the program (YAML or JSON) and publishes it as a new version: 201 with the new
   * version, or 200 when the text is the latest version's already. 422 lists every error with its
   * path and line.
   */
  @PUT
  @Path("{id}")
  @RolesAllowed(Roles.OPERATOR)
  @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
  @ApiResponse(responseCode = "201", description = "a new version",
      content = @Content(schema = @Schema(implementation = ProgramResponse.class)))
  @ApiResponse(responseCode = "200", description = "the same text as the latest version: nothing published",
      content = @Content(schema = @Schema(implementation = ProgramResponse.class)))
  public Response publish(@PathParam("id") @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}",
      message = "must be lower-case letters, digits and dashes (at most 64)") String id, String source) {
    check(id, source);
    ProgramCatalog.Published published;
    try {
      published = catalog.publish(source);
    } catch (InvalidProgramException e) {
      throw invalid(e);
    }
    ProgramRow row = catalog.row(id, Optional.of(published.program().version())).orElseThrow();
    return Response.status(published.newVersion() ? Response.Status.CREATED : Response.Status.OK).entity(response(row)).build();
  }

  /**
   * Validates a program's text for publishing as {@code id}, without publishing it: the checks
   * {@link #publish} makes (the console's editor runs them as the operator types).
   * @throws ProblemException 422 listing every error with its path and line
   */
  public Program check(String id, String source) {
    if (source == null || source.isBlank()) {
      throw ProblemException.invalid("body", "is the program, as YAML or JSON");
    }
    try {
      String bodyId = YAML.readTree(source).path("id").asText("");
      if (!bodyId.isEmpty() && !bodyId.equals(id)) {
        throw new InvalidProgramException(id, List.of(new com.nurture.workflows.program.ProgramError("id",
            "'" + bodyId + "' does not match the id in the path, '" + id + "'"))).withLinesFrom(source);
      }
      return catalog.parse(source);
    } catch (JsonProcessingException e) {
      Integer line = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? null : e.getLocation().getLineNr();
      throw new ProblemException(Problem.UNPROCESSABLE, "the program is not valid YAML or JSON", List.of(
          new FieldError("body", "is not valid YAML or JSON: " + e.getOriginalMessage(), line)));
    } catch (InvalidProgramException e) {
      throw invalid(e);
    }
  }

  private static ProblemException invalid(InvalidProgramException e) {
    return new ProblemException(Problem.UNPROCESSABLE, "the program is invalid: " + e.errors().size() + " error(s)",
        e.errors().stream().map(err -> new FieldError(err.path(), err.message(), err.line() > 0 ? err.line() : null)).toList());
  }

  private ProgramResponse response(ProgramRow row) {
    try {
      return new ProgramResponse(row.id(), row.version(), row.name(), row.publishedAt(), row.source(),
          json.readTree(row.definition()), catalog.versions(row.id()).stream().map(ProgramSummary::of).toList());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
