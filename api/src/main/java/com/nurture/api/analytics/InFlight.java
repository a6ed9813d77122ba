package com.nurture.api.analytics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.InFlightRow;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GET /v1/programs/{id}/in-flight: the program's leads whose journeys have not ended, per version,
 * and within each version per step and per status (the journeys mirror). Versions without leads in
 * flight are left out.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InFlight(String program, long leads, List<Version> versions) {

  /** One version: its leads in flight, by current step ("" once past the last step) and by status. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Version(int version, long leads, Map<String, Long> bySteps, Map<String, Long> byStatus) {}

  public static InFlight of(String program, List<InFlightRow> rows) {
    Map<Integer, Map<String, Long>> steps = new TreeMap<>();
    Map<Integer, Map<String, Long>> statuses = new TreeMap<>();
    for (InFlightRow r : rows) {
      steps.computeIfAbsent(r.programVersion(), v -> new TreeMap<>()).merge(r.currentStep(), r.leads(), Long::sum);
      statuses.computeIfAbsent(r.programVersion(), v -> new TreeMap<>()).merge(r.status(), r.leads(), Long::sum);
    }
    List<Version> versions = steps.entrySet().stream().map(e -> new Version(e.getKey(),
        e.getValue().values().stream().mapToLong(Long::longValue).sum(), java.util.Collections.unmodifiableMap(e.getValue()),
        java.util.Collections.unmodifiableMap(statuses.get(e.getKey())))).toList();
    return new InFlight(program, versions.stream().mapToLong(Version::leads).sum(), versions);
  }

  /** The leads in flight on one version (0 when none). */
  public long leadsOn(int version) {
    return versions.stream().filter(v -> v.version() == version).mapToLong(Version::leads).sum();
  }

  /** The leads in flight at one step of one version (0 when none). */
  public long leadsAt(int version, String step) {
    return versions.stream().filter(v -> v.version() == version).mapToLong(v -> v.bySteps().getOrDefault(step, 0L))
        .sum();
  }
}
