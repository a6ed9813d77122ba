package com.nurture.activities.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nurture.activities.db.ProgramDao;
import com.nurture.activities.db.ProgramRow;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.workflows.program.InvalidProgramException;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramError;
import com.nurture.workflows.program.ProgramParser;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.ScoringModelParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Published programs, versioned in PostgreSQL. Publishing validates the source and adds a version
 * only when the text changed, so re-publishing the shipped programs on every start is harmless.
 */
public final class ProgramCatalog {
  private static final Logger log = LoggerFactory.getLogger(ProgramCatalog.class);
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The outcome of a publish: the program as stored, and whether this call made a new version. */
  public record Published(Program program, boolean newVersion) {}

  private static final java.time.Duration TRIGGER_CACHE = java.time.Duration.ofSeconds(10);

  private final Jdbi jdbi;
  private final ProgramParser parser;
  private volatile List<Program> triggered;
  private volatile long triggeredAt;

  public ProgramCatalog(Jdbi jdbi, TemplateCatalog templates) {
    this.jdbi = jdbi;
    this.parser = new ProgramParser(templates::exists);
  }

  /** Validates a program without publishing it (version 0). @throws InvalidProgramException listing every error */
  public Program parse(String source) {
    return parser.parse(source, 0);
  }

  /** @throws InvalidProgramException listing every error */
  public Published publish(String source) {
    Program parsed = parser.parse(source, 0);
    JsonNode tree;
    try {
      tree = YAML.readTree(source);
    } catch (JsonProcessingException e) {
      throw new InvalidProgramException("?", List.of(new ProgramError("$", "not valid YAML: " + e.getOriginalMessage())));
    }
    String checksum = sha256(source);
    String definition = tree.toString();
    return jdbi.inTransaction(h -> {
      ProgramDao dao = h.attach(ProgramDao.class);
      dao.lock(parsed.id());
      Optional<ProgramRow> latest = dao.latest(parsed.id());
      if (latest.isPresent() && latest.get().checksum().equals(checksum)) {
        return new Published(parsed.withVersion(latest.get().version()), false);
      }
      int version = latest.map(r -> r.version() + 1).orElse(1);
      dao.insert(parsed.id(), version, parsed.name(), source, definition, checksum);
      log.info("published program {}@{}", parsed.id(), version);
      triggered = null;
      return new Published(parsed.withVersion(version), true);
    });
  }

  public Optional<Program> latest(String id) {
    return jdbi.withExtension(ProgramDao.class, dao -> dao.latest(id)).map(this::toProgram);
  }

  public Optional<Program> version(String id, int version) {
    return jdbi.withExtension(ProgramDao.class, dao -> dao.find(id, version)).map(this::toProgram);
  }

  /** Every published version of a program, oldest first, as stored (with its source text). */
  public List<ProgramRow> versions(String id) {
    return jdbi.withExtension(ProgramDao.class, dao -> dao.versions(id));
  }

  /** The stored row of the latest version of each program. */
  public List<ProgramRow> latestRows() {
    return jdbi.withExtension(ProgramDao.class, ProgramDao::latestOfEach);
  }

  public Optional<ProgramRow> row(String id, Optional<Integer> version) {
    return jdbi.withExtension(ProgramDao.class, dao -> version.isPresent() ? dao.find(id, version.get()) : dao.latest(id));
  }

  /**
   * The latest versions of the programs that have a trigger. Read on every event, so cached for a
   * few seconds (and dropped when this process publishes): another API process sees a newly
   * published trigger within that time.
   */
  public List<Program> withTriggers() {
    List<Program> cached = triggered;
    if (cached == null || System.nanoTime() - triggeredAt > TRIGGER_CACHE.toNanos()) {
      cached = listLatest().stream().filter(p -> p.trigger().isPresent()).toList();
      triggered = cached;
      triggeredAt = System.nanoTime();
    }
    return cached;
  }

  public List<Program> listLatest() {
    return jdbi.withExtension(ProgramDao.class, ProgramDao::latestOfEach).stream().map(this::toProgram).toList();
  }

  /** Publishes every program listed in the shipped {@code nurture/index.yaml}. */
  public List<Published> publishShipped() {
    List<Published> out = new ArrayList<>();
    JsonNode index;
    try {
      index = YAML.readTree(resource("nurture/index.yaml"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("nurture/index.yaml is not valid YAML", e);
    }
    for (JsonNode id : index.path("programs")) {
      out.add(publish(resource("nurture/programs/" + id.asText() + ".yaml")));
    }
    return out;
  }

  /** The shipped default scoring model (programs/scoring.yaml). */
  public static ScoringModel shippedScoringModel() {
    return ScoringModelParser.parse(resource("nurture/scoring.yaml"));
  }

  /** The source of a shipped program, from the classpath (no database needed). */
  public static Optional<String> shippedSource(String id) {
    if (!id.matches("[a-z0-9][a-z0-9-]{0,63}")) {
      return Optional.empty();
    }
    return classpathText("nurture/programs/" + id + ".yaml");
  }

  private Program toProgram(ProgramRow row) {
    try {
      return parser.parse(JSON.readTree(row.definition()), row.version());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored program " + row.id() + "@" + row.version() + " is not JSON", e);
    }
  }

  private static String resource(String path) {
    return classpathText(path).orElseThrow(() -> new IllegalStateException("missing shipped resource " + path));
  }

  private static Optional<String> classpathText(String path) {
    try (InputStream in = ProgramCatalog.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
