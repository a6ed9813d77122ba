package com.nurture.api.console;

import java.util.List;

/** The lead search: by id, email or company; filtered by journey status, program and score; paged. */
public final class LeadsPage extends ConsolePage {
  /** The form as submitted (blank for unset). */
  public record Form(String q, String status, String program, String scoreMin) {}

  private final Form form;
  private final List<ConsoleQueries.LeadHit> leads;
  private final String nextCursor;
  private final List<String> statuses;
  private final List<String> programs;
  private final String error;

  LeadsPage(ConsoleContext context, Form form, List<ConsoleQueries.LeadHit> leads, String nextCursor,
      List<String> statuses, List<String> programs, String error) {
    super("leads.ftlh", context, "leads.title", "leads");
    this.form = form;
    this.leads = leads;
    this.nextCursor = nextCursor;
    this.statuses = statuses;
    this.programs = programs;
    this.error = error;
  }

  public Form getForm() {
    return form;
  }

  public List<ConsoleQueries.LeadHit> getLeads() {
    return leads;
  }

  /** The next page's link (the same filters and the cursor), or "" on the last page. */
  public String getNextPage() {
    if (nextCursor == null) {
      return "";
    }
    StringBuilder b = new StringBuilder("/console/leads?");
    append(b, "q", form.q());
    append(b, "status", form.status());
    append(b, "program", form.program());
    append(b, "score_min", form.scoreMin());
    append(b, "cursor", nextCursor);
    return b.toString();
  }

  public List<String> getStatuses() {
    return statuses;
  }

  public List<String> getPrograms() {
    return programs;
  }

  /** What was wrong with the filters (a message), or "". */
  public String getError() {
    return error;
  }

  private static void append(StringBuilder b, String name, String value) {
    if (value != null && !value.isBlank()) {
      if (b.charAt(b.length() - 1) != '?') {
        b.append('&');
      }
      b.append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
