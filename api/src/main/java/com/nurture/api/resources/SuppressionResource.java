package com.nurture.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.db.SuppressionEntry;
import com.nurture.activities.mail.MailAddresses;
import com.nurture.api.auth.ApiKeyPrincipal;
import com.nurture.api.auth.Roles;
import com.nurture.api.core.CsvRecords;
import com.nurture.api.errors.FieldError;
import com.nurture.api.errors.Problem;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.NoControlChars;
import com.nurture.api.representations.SuppressionRequest;
import com.nurture.api.representations.SuppressionResponse;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The global suppression list for operators: list, look up, add, remove (audited: who, when, why)
 * and import from CSV. Addresses are compared lower-cased, as the send path compares them.
 */
@Path("/v1/suppressions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class SuppressionResource {
  private static final Logger log = LoggerFactory.getLogger(SuppressionResource.class);
  /** The most a reason may hold. */
  static final int MAX_REASON = 500;
  /** The most a source may hold. */
  static final int MAX_SOURCE = 100;
  /** A CSV import's largest body, in bytes: more is a 413. */
  public static final int MAX_IMPORT_BYTES = 1024 * 1024;
  /** A CSV import's most data rows: more is a 413. */
  public static final int MAX_IMPORT_ROWS = 10_000;

  private final Jdbi jdbi;
  private final ObjectMapper json;

  public SuppressionResource(Jdbi jdbi, ObjectMapper json) {
    this.jdbi = jdbi;
    this.json = json;
  }

  @GET
  public SuppressionResponse.Page list(
      @QueryParam("cursor") @Pattern(regexp = "\\d{1,18}", message = "must be a cursor this API gave out") String cursor,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
    long before = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
    List<SuppressionEntry> entries = jdbi.onDemand(SuppressionDao.class).page(before, limit + 1);
    boolean more = entries.size() > limit;
    List<SuppressionEntry> page = more ? entries.subList(0, limit) : entries;
    return new SuppressionResponse.Page(page.stream().map(SuppressionResponse::of).toList(),
        more ? String.valueOf(page.get(page.size() - 1).id()) : null);
  }

  @GET
  @Path("{email}")
  public SuppressionResponse get(@PathParam("email") String email) {
    String address = address(email);
    return jdbi.onDemand(SuppressionDao.class).entry(address).map(SuppressionResponse::of)
        .orElseThrow(() -> ProblemException.notFound("this address is not suppressed"));
  }

  @GET
  @Path("{email}/audit")
  public SuppressionResponse.Audit audit(@PathParam("email") String email) {
    String address = address(email);
    SuppressionDao dao = jdbi.onDemand(SuppressionDao.class);
    return new SuppressionResponse.Audit(address, dao.entry(address).isPresent(), dao.auditOf(address).stream()
        .map(a -> new SuppressionResponse.AuditItem(a.action(), a.reason(), a.source(), a.actor(), a.at(),
            a.suppressedReason(), a.suppressedAt()))
        .toList());
  }

  /** Suppresses the address: 201 when new, 200 (the suppression as it was, first reason kept) after. */
  @PUT
  @Path("{email}")
  @Consumes(MediaType.APPLICATION_JSON)
  @ApiResponse(responseCode = "201", description = "suppressed now",
      content = @Content(schema = @Schema(implementation = SuppressionResponse.class)))
  @ApiResponse(responseCode = "200", description = "already suppressed (the first reason kept)",
      content = @Content(schema = @Schema(implementation = SuppressionResponse.class)))
  public Response add(@Auth ApiKeyPrincipal caller, @PathParam("email") String email, SuppressionRequest request) {
    List<FieldError> errors = new ArrayList<>();
    String address = check(email, errors);
    String reason = text("reason", request == null ? null : request.reason(), MAX_REASON, true, errors);
    String source = text("source", request == null ? null : request.source(), MAX_SOURCE, false, errors);
    failIfAny(errors);
    String from = source == null ? "operator" : source;
    boolean created = jdbi.inTransaction(h -> {
      SuppressionDao dao = h.attach(SuppressionDao.class);
      if (dao.add(address, reason, from, caller.name()) == 0) {
        return false;
      }
      dao.audit(address, "added", reason, from, caller.name(), null, null);
      return true;
    });
    SuppressionResponse body = SuppressionResponse.of(jdbi.onDemand(SuppressionDao.class).entry(address).orElseThrow());
    return Response.status(created ? Response.Status.CREATED : Response.Status.OK).entity(body).build();
  }

  /**
   * Removes the suppression, so the address may be mailed again. The reason is required (query
   * {@code reason}, or a JSON body {@code {"reason": ...}}) and audited with the caller's key name.
   */
  @DELETE
  @Path("{email}")
  @Consumes(MediaType.WILDCARD)
  public SuppressionResponse.Audit remove(@Auth ApiKeyPrincipal caller, @PathParam("email") String email,
      @QueryParam("reason") String reasonParam, String body) {
    List<FieldError> errors = new ArrayList<>();
    String address = check(email, errors);
    String given = reasonParam;
    if ((given == null || given.isBlank()) && body != null && !body.isBlank()) {
      given = reasonFromBody(body);
    }
    String reason = text("reason", given, MAX_REASON, true, errors);
    failIfAny(errors);
    boolean removed = jdbi.inTransaction(h -> {
      SuppressionDao dao = h.attach(SuppressionDao.class);
      Optional<SuppressionEntry> was = dao.remove(address);
      was.ifPresent(w -> dao.audit(address, "removed", reason, w.source(), caller.name(), w.reason(), w.at()));
      return was.isPresent();
    });
    if (!removed) {
      throw ProblemException.notFound("this address is not suppressed");
    }
    log.info("a suppression was removed by {}", caller.name());
    return audit(address);
  }

  private String reasonFromBody(String body) {
    try {
      JsonNode node = json.readTree(body);
      if (!node.isObject()) {
        throw ProblemException.invalid("reason", "is required: a query parameter or a JSON body {\"reason\": \"...\"}");
      }
      JsonNode reason = node.get("reason");
      if (reason != null && !reason.isNull() && !reason.isTextual()) {
        throw ProblemException.invalid("reason", "must be text");
      }
      return reason == null || reason.isNull() ? null : reason.asText();
    } catch (IOException e) {
      throw ProblemException.invalid("reason", "is required: a query parameter or a JSON body {\"reason\": \"...\"}");
    }
  }

  /** POST /v1/suppressions:import (a root resource of its own: the path is not below /v1/suppressions/). */
  @Path("/v1/suppressions:import")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.OPERATOR)
  public static class Import {
    private final Jdbi jdbi;

    public Import(Jdbi jdbi) {
      this.jdbi = jdbi;
    }

    /**
     * CSV with a header row naming the columns {@code email}, {@code reason} and optionally
     * {@code source} (any order). Each data row is added, already (suppressed before, or earlier
     * in the file) or invalid (naming its row and field); valid rows are added even when others
     * are not. At most {@link #MAX_IMPORT_BYTES} bytes and {@link #MAX_IMPORT_ROWS} data rows: 413.
     */
    @POST
    @Consumes({"text/csv", "application/csv"})
    public SuppressionResponse.ImportResult importCsv(@Auth ApiKeyPrincipal caller, InputStream body) throws IOException {
      byte[] bytes = body.readNBytes(MAX_IMPORT_BYTES + 1);
      if (bytes.length > MAX_IMPORT_BYTES) {
        throw tooLarge("the CSV is larger than " + MAX_IMPORT_BYTES + " bytes; split it into several imports");
      }
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw ProblemException.invalid("body", "must be UTF-8 text");
      }
      List<CsvRecords.Record> records;
      try {
        records = CsvRecords.parse(text).stream().filter(r -> !r.blank()).toList();
      } catch (IllegalArgumentException e) {
        throw ProblemException.invalid("body", e.getMessage());
      }
      if (records.isEmpty()) {
        throw ProblemException.invalid("header", "is required: a first row naming the columns email,reason[,source]");
      }
      if (records.size() - 1 > MAX_IMPORT_ROWS) {
        throw tooLarge("the CSV has more than " + MAX_IMPORT_ROWS + " rows; split it into several imports");
      }
      Map<String, Integer> columns = columns(records.get(0).fields());
      int emailAt = columns.get("email");
      int reasonAt = columns.get("reason");
      Integer sourceAt = columns.get("source");
      int width = records.get(0).fields().size();

      List<SuppressionResponse.ImportRow> results = new ArrayList<>();
      int[] counts = new int[3];
      jdbi.useTransaction(h -> {
        SuppressionDao dao = h.attach(SuppressionDao.class);
        for (CsvRecords.Record r : records.subList(1, records.size())) {
          List<String> f = r.fields();
          if (f.size() != width) {
            counts[2]++;
            results.add(new SuppressionResponse.ImportRow(r.line(), null, "invalid", "row",
                "has " + f.size() + " columns; the header has " + width));
            continue;
          }
          List<FieldError> errors = new ArrayList<>();
          String email = f.get(emailAt).trim();
          Optional<String> emailProblem = email.isEmpty() ? Optional.of("is required") : MailAddresses.problem(email);
          emailProblem.ifPresent(p -> errors.add(new FieldError("email", p)));
          String reason = text("reason", f.get(reasonAt), MAX_REASON, true, errors);
          String source = sourceAt == null ? null : text("source", f.get(sourceAt), MAX_SOURCE, false, errors);
          if (!errors.isEmpty()) {
            counts[2]++;
            FieldError first = errors.get(0);
            results.add(new SuppressionResponse.ImportRow(r.line(), emailProblem.isEmpty() ? email.toLowerCase(Locale.ROOT) : null,
                "invalid", first.field(), first.message()));
            continue;
          }
          String address = email.toLowerCase(Locale.ROOT);
          String from = source == null ? "import" : source;
          if (dao.add(address, reason, from, caller.name()) == 1) {
            dao.audit(address, "added", reason, from, caller.name(), null, null);
            counts[0]++;
            results.add(new SuppressionResponse.ImportRow(r.line(), address, "added", null, null));
          } else {
            counts[1]++;
            results.add(new SuppressionResponse.ImportRow(r.line(), address, "already", null, null));
          }
        }
      });
      log.info("suppression import by {}: {} added, {} already, {} invalid", caller.name(), counts[0], counts[1], counts[2]);
      return new SuppressionResponse.ImportResult(counts[0], counts[1], counts[2], results);
    }

    private static Map<String, Integer> columns(List<String> header) {
      Map<String, Integer> at = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        String name = header.get(i).trim().toLowerCase(Locale.ROOT);
        if (!List.of("email", "reason", "source").contains(name)) {
          throw ProblemException.invalid("header", "column " + (i + 1) + " is not one of email, reason, source"
              + " (the first row must name the columns)");
        }
        if (at.putIfAbsent(name, i) != null) {
          throw ProblemException.invalid("header", "names the column " + name + " twice");
        }
      }
      for (String required : List.of("email", "reason")) {
        if (!at.containsKey(required)) {
          throw ProblemException.invalid("header", "has no " + required + " column (the columns are email,reason[,source])");
        }
      }
      return at;
    }

    private static ProblemException tooLarge(String detail) {
      return new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, detail, List.of());
    }
  }

  /** The path's address, lower-cased, or a 422 naming {@code email}. */
  private static String address(String email) {
    List<FieldError> errors = new ArrayList<>();
    String address = check(email, errors);
    failIfAny(errors);
    return address;
  }

  private static String check(String email, List<FieldError> errors) {
    String trimmed = email == null ? "" : email.trim();
    Optional<String> problem = trimmed.isEmpty() ? Optional.of("is required") : MailAddresses.problem(trimmed);
    problem.ifPresent(p -> errors.add(new FieldError("email", p)));
    return trimmed.toLowerCase(Locale.ROOT);
  }

  /** Trimmed text, or null when absent and not required; problems go to {@code errors}. */
  private static String text(String field, String value, int max, boolean required, List<FieldError> errors) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      if (required) {
        errors.add(new FieldError(field, "is required"));
      }
      return null;
    }
    Optional<String> control = NoControlChars.Validator.firstControl(v);
    if (control.isPresent()) {
      errors.add(new FieldError(field, "must not contain control characters (" + control.get() + ")"));
    } else if (v.length() > max) {
      errors.add(new FieldError(field, "must be at most " + max + " characters"));
    }
    return v;
  }

  private static void failIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.UNPROCESSABLE, "the request has invalid fields", errors);
    }
  }
}
