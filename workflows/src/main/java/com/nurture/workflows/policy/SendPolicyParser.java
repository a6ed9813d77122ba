package com.nurture.workflows.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nurture.workflows.program.DurationText;
import com.nurture.workflows.program.ProgramError;
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
  private static final Set<String> FIELDS = Set.of("base", "timezone", "windows", "min_gap", "max_per_7d");
  private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
      "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
      "sun", DayOfWeek.SUNDAY);

  private SendPolicyParser() {}

  public static SendPolicy parse(JsonNode node, String path, List<ProgramError> errors) {
    if (node == null || node.isNull()) {
      return SendPolicy.defaultPolicy();
    }
    if (node.isTextual()) {
      return builtIn(node.asText(), path, errors);
    }
    if (!node.isObject()) {
      errors.add(new ProgramError(path, "is a built-in policy name or a mapping of " + new TreeSet<>(FIELDS)));
      return SendPolicy.defaultPolicy();
    }
    node.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        errors.add(new ProgramError(path + "." + f, "is not part of a send policy " + new TreeSet<>(FIELDS)));
      }
    });
    SendPolicy base = node.hasNonNull("base") ? builtIn(node.get("base").asText(), path + ".base", errors)
        : node.has("windows") ? SendPolicy.BUILT_IN.get("none") : SendPolicy.defaultPolicy();
    ZoneId zone = base.timezone();
    if (node.hasNonNull("timezone")) {
      try {
        zone = ZoneId.of(node.get("timezone").asText());
      } catch (DateTimeException e) {
        errors.add(new ProgramError(path + ".timezone", "'" + node.get("timezone").asText()
            + "' is not a time zone; use an IANA name such as Europe/Berlin"));
      }
    }
    List<SendWindow> windows = node.has("windows") ? windows(node.get("windows"), path + ".windows", errors) : base.windows();
    Duration gap = base.minGap();
    if (node.hasNonNull("min_gap")) {
      try {
        gap = DurationText.parse(node.get("min_gap").asText());
      } catch (IllegalArgumentException e) {
        errors.add(new ProgramError(path + ".min_gap", e.getMessage()));
      }
    }
    int cap = base.maxPer7Days();
    if (node.has("max_per_7d")) {
      JsonNode v = node.get("max_per_7d");
      if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 50) {
        errors.add(new ProgramError(path + ".max_per_7d", "must be a whole number from 0 (no cap) to 50"));
      } else {
        cap = v.asInt();
      }
    }
    return new SendPolicy(node.has("base") ? base.name() + "+" : "custom", zone, windows, gap, cap);
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
    if (!list.isArray()) {
      errors.add(new ProgramError(path, "is a list of { days, from, to }"));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode w = list.get(i);
      String p = path + "[" + i + "]";
      Set<DayOfWeek> days = days(w.path("days"), p + ".days", errors);
      LocalTime from = time(w.path("from"), p + ".from", errors);
      LocalTime to = time(w.path("to"), p + ".to", errors);
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
      node.forEach(d -> parts.add(d.asText()));
    } else if (node.isTextual()) {
      parts.add(node.asText());
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
    try {
      return LocalTime.parse(node.asText());
    } catch (DateTimeParseException e) {
      errors.add(new ProgramError(path, "'" + node.asText() + "' is not a time of day such as \"10:00\""));
      return null;
    }
  }
}
