package com.nurture.workflows.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nurture.workflows.program.ProgramError;
import com.nurture.workflows.program.StrictYaml;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code send_policy} as programs write it:
 * <pre>
 *   send_policy: business-hours                                  # a built-in by name
 *   send_policy: { base: best-times, timezone: Europe/Berlin, max_per_7d: 2 }
 *   send_policy:
 *     timezone: America/New_York                                 # for leads without one
 *     windows: [ { days: tue-thu, from: "10:00", to: "11:00" } ]
 *     min_gap: 1d
 *     max_per_7d: 3
 * </pre>
 */
public final class SendPolicyParser {
  private static final List<String> FIELDS = List.of("base", "timezone", "windows", "min_gap", "max_per_7d");
  private static final List<String> WINDOW_FIELDS = List.of("days", "from", "to");
  private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
      "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
      "sun", DayOfWeek.SUNDAY);

  private SendPolicyParser() {}

  public static SendPolicy parse(JsonNode node, String path, List<ProgramError> errors) {
    if (StrictYaml.absent(node)) {
      return SendPolicy.defaultPolicy();
    }
    if (node.isTextual()) {
      return builtIn(node.asText(), path, errors);
    }
    if (!node.isObject()) {
      errors.add(new ProgramError(path, "is a built-in policy name or a mapping of " + FIELDS + ", not "
          + StrictYaml.kind(node)));
      return SendPolicy.defaultPolicy();
    }
    StrictYaml.onlyKeys(node, path, "a send policy", FIELDS, errors);
    SendPolicy base = SendPolicy.defaultPolicy();
    Optional<String> baseName = StrictYaml.text(node.get("base"), path + ".base", errors);
    if (baseName.isPresent()) {
      base = builtIn(baseName.get(), path + ".base", errors);
    } else if (node.has("windows")) {
      base = SendPolicy.BUILT_IN.get("none");
    }
    ZoneId zone = base.timezone();
    Optional<String> zoneName = StrictYaml.text(node.get("timezone"), path + ".timezone", errors);
    if (zoneName.isPresent()) {
      try {
        zone = ZoneId.of(zoneName.get());
      } catch (DateTimeException e) {
        errors.add(new ProgramError(path + ".timezone", "'" + zoneName.get()
            + "' is not a time zone; use an IANA name such as Europe/Berlin"));
      }
    }
    List<SendWindow> windows = node.has("windows") ? windows(node.get("windows"), path + ".windows", errors) : base.windows();
    Duration gap = StrictYaml.duration(node.get("min_gap"), path + ".min_gap", errors).orElse(base.minGap());
    int cap = base.maxPer7Days();
    if (node.has("max_per_7d")) {
      JsonNode v = node.get("max_per_7d");
      if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 50) {
        errors.add(new ProgramError(path + ".max_per_7d", "must be a whole number from 0 (no cap) to 50"));
      } else {
        cap = v.asInt();
      }
    }
    return new SendPolicy(baseName.isPresent() ? base.name() + "+" : "custom", zone, windows, gap, cap);
  }

  private static SendPolicy builtIn(String name, String path, List<ProgramError> errors) {
    SendPolicy p = SendPolicy.BUILT_IN.get(name);
    if (p == null) {
      errors.add(new ProgramError(path, "unknown send policy '" + name + "' (built in: "
          + new TreeSet<>(SendPolicy.BUILT_IN.keySet()) + ")"));
      return SendPolicy.defaultPolicy();
    }
    return p;
  }

  private static List<SendWindow> windows(JsonNode list, String path, List<ProgramError> errors) {
    List<SendWindow> out = new ArrayList<>();
    if (list == null || !list.isArray()) {
      errors.add(new ProgramError(path, "is a list of { days, from, to } (empty: any time), not " + StrictYaml.kind(list)));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode w = list.get(i);
      String p = path + "[" + i + "]";
      if (!StrictYaml.mapping(w, p, "a window: { days, from, to }", errors)) {
        continue;
      }
      StrictYaml.onlyKeys(w, p, "a send window", WINDOW_FIELDS, errors);
      Set<DayOfWeek> days = days(w.path("days"), p + ".days", errors);
      LocalTime from = time(w.get("from"), p + ".from", errors);
      LocalTime to = time(w.get("to"), p + ".to", errors);
      if (days != null && from != null && to != null) {
        if (!to.isAfter(from)) {
          errors.add(new ProgramError(p, "ends (" + to + ") before it starts (" + from + ")"));
        } else {
          out.add(new SendWindow(days, from, to));
        }
      }
    }
    return out;
  }

  /** {@code tue-thu}, {@code [mon, wed, fri]}, {@code every-day}. */
  static Set<DayOfWeek> days(JsonNode node, String path, List<ProgramError> errors) {
    List<String> parts = new ArrayList<>();
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        if (!node.get(i).isTextual()) {
          errors.add(new ProgramError(path + "[" + i + "]", "is a day such as mon, not " + StrictYaml.kind(node.get(i))));
          return null;
        }
        parts.add(node.get(i).asText());
      }
    } else if (node.isTextual()) {
      parts.add(node.asText());
    } else if (!StrictYaml.absent(node)) {
      errors.add(new ProgramError(path, "is a day range such as mon-fri or a list of days, not " + StrictYaml.kind(node)));
      return null;
    }
    EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : parts) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.equals("every-day") || p.equals("daily")) {
        days.addAll(EnumSet.allOf(DayOfWeek.class));
      } else if (p.contains("-")) {
        DayOfWeek a = DAYS.get(p.substring(0, p.indexOf('-')));
        DayOfWeek b = DAYS.get(p.substring(p.indexOf('-') + 1));
        if (a == null || b == null) {
          errors.add(new ProgramError(path, "'" + part + "' is not a day range such as mon-fri"));
          return null;
        }
        for (DayOfWeek d = a; ; d = d.plus(1)) {
          days.add(d);
          if (d == b) {
            break;
          }
        }
      } else if (DAYS.containsKey(p)) {
        days.add(DAYS.get(p));
      } else {
        errors.add(new ProgramError(path, "'" + part + "' is not a day (mon, tue, ... sun, a range such as mon-fri, or every-day)"));
        return null;
      }
    }
    if (days.isEmpty()) {
      errors.add(new ProgramError(path, "names the days, e.g. tue-thu"));
      return null;
    }
    return days;
  }

  private static LocalTime time(JsonNode node, String path, List<ProgramError> errors) {
    if (StrictYaml.absent(node)) {
      errors.add(new ProgramError(path, "is required: a time of day such as \"10:00\""));
      return null;
    }
    if (!node.isTextual()) {
      errors.add(new ProgramError(path, "is a time of day in quotes such as \"10:00\", not " + StrictYaml.kind(node)));
      return null;
    }
    try {
      return LocalTime.parse(node.asText().trim());
    } catch (DateTimeParseException e) {
      errors.add(new ProgramError(path, "'" + node.asText() + "' is not a time of day such as \"10:00\""));
      return null;
    }
  }
}
