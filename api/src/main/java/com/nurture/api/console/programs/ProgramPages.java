package com.nurture.api.console.programs;

import com.nurture.api.analytics.InFlight;
import com.nurture.api.console.ConsoleContext;
import com.nurture.api.console.ConsolePage;
import com.nurture.api.core.JourneyCommands;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console's program pages (docs/console.md, "Programs"): the list, one program (its flow with
 * numbers, the A/B and holdout readouts, versions and leads in flight), the editor, and the
 * fragments the editor's htmx calls swap in (errors at their lines, a preview, a migration).
 */
public final class ProgramPages {
  private ProgramPages() {}

  /** A program page: a console page whose words may take any number of arguments ({@code tf}). */
  public abstract static class Page extends ConsolePage {
    Page(String template, ConsoleContext context, String titleKey) {
      super(template, context, titleKey, "programs");
    }

    /** The message with {0}, {1}... filled in, for messages with more than two arguments. */
    public String tf(String key, Object... args) {
      return context().text().format(key, args);
    }
  }

  /** One program in the list: its latest version and its leads in flight on every version. */
  public record ListRow(String id, String name, int version, String trigger, int priority, int holdoutPercent,
      long inFlight, int versions) {}

  /** A version in a program's versions table. */
  public record VersionRow(int version, Instant publishedAt, long inFlight, String byStatus, boolean latest,
      boolean shown) {}

  public static List<VersionRow> versions(List<com.nurture.activities.db.ProgramRow> rows, InFlight inFlight,
      int shown) {
    int latest = rows.stream().mapToInt(com.nurture.activities.db.ProgramRow::version).max().orElse(0);
    return rows.stream().sorted((a, b) -> Integer.compare(b.version(), a.version())).map(r -> {
      Map<String, Long> statuses = inFlight.versions().stream().filter(v -> v.version() == r.version())
          .findFirst().map(InFlight.Version::byStatus).orElse(Map.of());
      String byStatus = statuses.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
          .collect(Collectors.joining(", "));
      return new VersionRow(r.version(), r.publishedAt(), inFlight.leadsOn(r.version()), byStatus,
          r.version() == latest, r.version() == shown);
    }).toList();
  }

  public static final class ListPage extends Page {
    private final List<ListRow> rows;

    public ListPage(ConsoleContext context, List<ListRow> rows) {
      super("programs.ftlh", context, "programs.title");
      this.rows = rows;
    }

    public List<ListRow> getRows() {
      return rows;
    }
  }

  public static final class DetailPage extends Page {
    private final String programId;
    private final String name;
    private final int version;
    private final ProgramFlow flow;
    private final ProgramReadouts readouts;
    private final List<VersionRow> versions;
    private final Instant from;
    private final Instant to;

    public DetailPage(ConsoleContext context, String programId, String name, int version, ProgramFlow flow,
        ProgramReadouts readouts, List<VersionRow> versions, Instant from, Instant to) {
      super("program.ftlh", context, "program.title");
      this.programId = programId;
      this.name = name;
      this.version = version;
      this.flow = flow;
      this.readouts = readouts;
      this.versions = versions;
      this.from = from;
      this.to = to;
    }

    @Override
    public String getTitle() {
      return t("program.title", name, version);
    }

    public String getProgramId() {
      return programId;
    }

    public int getVersion() {
      return version;
    }

    public ProgramFlow getFlow() {
      return flow;
    }

    public ProgramReadouts getReadouts() {
      return readouts;
    }

    public List<VersionRow> getVersions() {
      return versions;
    }

    public Instant getFrom() {
      return from;
    }

    public Instant getTo() {
      return to;
    }
  }

  public static final class EditorPage extends Page {
    private final String programId;
    private final int version;
    private final String source;
    private final EditorDiagnostics diagnostics;
    private final List<VersionRow> versions;
    private final String notice;
    private final String sampleEvents;

    public EditorPage(ConsoleContext context, String programId, int version, String source, List<VersionRow> versions,
        String notice, String sampleEvents) {
      super("program-editor.ftlh", context, "editor.title");
      this.programId = programId;
      this.version = version;
      this.source = source;
      this.diagnostics = EditorDiagnostics.of(source, List.of());
      this.versions = versions;
      this.notice = notice;
      this.sampleEvents = sampleEvents;
    }

    @Override
    public String getTitle() {
      return t("editor.title", programId);
    }

    public String getProgramId() {
      return programId;
    }

    public int getVersion() {
      return version;
    }

    public String getSource() {
      return source;
    }

    public EditorDiagnostics getDiagnostics() {
      return diagnostics;
    }

    public int getRows() {
      return diagnostics.gutter().size() + 2;
    }

    public List<VersionRow> getVersions() {
      return versions;
    }

    /** Versions other than the latest: what leads can be migrated from. */
    public List<VersionRow> getOlderVersions() {
      return versions.stream().filter(v -> !v.latest()).toList();
    }

    public int getLatest() {
      return versions.stream().filter(VersionRow::latest).mapToInt(VersionRow::version).findFirst().orElse(version);
    }

    public String getNotice() {
      return notice;
    }

    public String getSampleEvents() {
      return sampleEvents;
    }
  }

  /**
   * What an editor call answers, swapped into the page: the errors at their lines (with the gutter
   * and annotations out of band), a preview, or a migration (dry run or real).
   */
  public static final class Fragment extends Page {
    private final EditorDiagnostics diagnostics;
    private final PreviewReport preview;
    private final List<String> problems;
    private final JourneyCommands.Migration migration;

    private Fragment(String template, ConsoleContext context, EditorDiagnostics diagnostics, PreviewReport preview,
        List<String> problems, JourneyCommands.Migration migration) {
      super(template, context, "editor.title");
      this.diagnostics = diagnostics;
      this.preview = preview;
      this.problems = problems;
      this.migration = migration;
    }

    public static Fragment ofDiagnostics(ConsoleContext context, EditorDiagnostics diagnostics) {
      return new Fragment("program-diagnostics.ftlh", context, diagnostics, null, List.of(), null);
    }

    public static Fragment ofPreview(ConsoleContext context, PreviewReport preview) {
      return new Fragment("program-preview.ftlh", context, null, preview, List.of(), null);
    }

    /** A preview or migration that could not run: its problems, one per line. */
    public static Fragment ofProblems(ConsoleContext context, List<String> problems) {
      return new Fragment("program-problems.ftlh", context, null, null, problems, null);
    }

    public static Fragment ofMigration(ConsoleContext context, JourneyCommands.Migration migration) {
      return new Fragment("program-migration.ftlh", context, null, null, List.of(), migration);
    }

    public EditorDiagnostics getDiagnostics() {
      return diagnostics;
    }

    public PreviewReport getPreview() {
      return preview;
    }

    public List<String> getProblems() {
      return problems;
    }

    public JourneyCommands.Migration getMigration() {
      return migration;
    }
  }
}
