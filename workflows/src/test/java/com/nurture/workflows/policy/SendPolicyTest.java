package com.nurture.workflows.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nurture.workflows.program.ProgramError;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendPolicyTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private final SendPolicy best = SendPolicy.defaultPolicy();

  private static Instant local(String dateTime, ZoneId zone) {
    return java.time.LocalDateTime.parse(dateTime).atZone(zone).toInstant();
  }

  @Test
  void aSendOutsideTheWindowWaitsForTheNextOpeningInTheLeadsZone() {
    // Friday 15:00 in Berlin: the next opening is Tuesday 10:00 Berlin time.
    Instant friday = local("2026-03-06T15:00", BERLIN);
    assertThat(best.nextAllowed(friday, Optional.of(BERLIN), List.of())).isEqualTo(local("2026-03-10T10:00", BERLIN));
    // Tuesday 10:30 is inside; 11:30 waits for 16:00 the same day.
    assertThat(best.nextAllowed(local("2026-03-10T10:30", BERLIN), Optional.of(BERLIN), List.of()))
        .isEqualTo(local("2026-03-10T10:30", BERLIN));
    assertThat(best.nextAllowed(local("2026-03-10T11:30", BERLIN), Optional.of(BERLIN), List.of()))
        .isEqualTo(local("2026-03-10T16:00", BERLIN));
    // The same instant for a lead in New York (Tuesday 05:30 there) waits for 10:00 New York time.
    assertThat(best.nextAllowed(local("2026-03-10T11:30", BERLIN), Optional.of(NEW_YORK), List.of()))
        .isEqualTo(local("2026-03-10T10:00", NEW_YORK));
  }

  @Test
  void windowsStayOnLocalTimeAcrossDaylightSavingChanges() {
    // US clocks go forward on Sunday 2026-03-08, Europe's on Sunday 2026-03-29: in between the two
    // zones are 5 hours apart instead of 6, and each lead still gets 10:00 local.
    Instant nyTuesday = best.nextAllowed(local("2026-03-07T12:00", NEW_YORK), Optional.of(NEW_YORK), List.of());
    assertThat(nyTuesday.atZone(NEW_YORK).toLocalDateTime().toString()).isEqualTo("2026-03-10T10:00");
    assertThat(Duration.between(local("2026-03-03T10:00", NEW_YORK), nyTuesday)).isEqualTo(Duration.ofDays(7).minusHours(1));

    Instant berlinTuesday = best.nextAllowed(local("2026-03-28T12:00", BERLIN), Optional.of(BERLIN), List.of());
    assertThat(berlinTuesday.atZone(BERLIN).toLocalDateTime().toString()).isEqualTo("2026-03-31T10:00");
    assertThat(ZonedDateTime.ofInstant(berlinTuesday, BERLIN).getOffset().getTotalSeconds()).isEqualTo(2 * 3600);
  }

  @Test
  void theProgramZoneServesLeadsWithoutOne() {
    SendPolicy tokyo = best.withTimezone(ZoneId.of("Asia/Tokyo"));
    Instant at = tokyo.nextAllowed(local("2026-03-09T12:00", ZoneId.of("Asia/Tokyo")), Optional.empty(), List.of());
    assertThat(at).isEqualTo(local("2026-03-10T10:00", ZoneId.of("Asia/Tokyo")));
  }

  @Test
  void theGapAndTheWeeklyCapHoldAndImmediateSendsSkipOnlyTheWindow() {
    SendPolicy anyTime = new SendPolicy("t", ZoneId.of("UTC"), List.of(), Duration.ofDays(1), 3);
    Instant t0 = Instant.parse("2026-05-04T09:00:00Z");
    List<Instant> sent = new ArrayList<>(List.of(t0));
    assertThat(anyTime.nextAllowed(t0.plusSeconds(3600), Optional.empty(), sent)).isEqualTo(t0.plus(Duration.ofDays(1)));
    sent.add(t0.plus(Duration.ofDays(1)));
    sent.add(t0.plus(Duration.ofDays(2)));
    // Three in the week already: the fourth waits until the first is 7 days old.
    assertThat(anyTime.nextAllowed(t0.plus(Duration.ofDays(3)), Optional.empty(), sent)).isEqualTo(t0.plus(Duration.ofDays(7)));

    Instant saturday = Instant.parse("2026-05-09T22:00:00Z");
    assertThat(best.nextAllowed(saturday, Optional.empty(), List.of(), false)).isEqualTo(saturday);
    assertThat(best.nextAllowed(saturday, Optional.empty(), List.of(saturday.minusSeconds(60)), false))
        .isEqualTo(saturday.minusSeconds(60).plus(Duration.ofDays(1)));
  }

  @Test
  void parsesBuiltInsOverridesAndCustomWindows() throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    List<ProgramError> errors = new ArrayList<>();
    assertThat(SendPolicyParser.parse(yaml.readTree("business-hours"), "p", errors).windows()).hasSize(1);
    SendPolicy tuned = SendPolicyParser.parse(yaml.readTree("{ base: best-times, timezone: Europe/Berlin, max_per_7d: 2 }"), "p", errors);
    assertThat(tuned.timezone()).isEqualTo(BERLIN);
    assertThat(tuned.maxPer7Days()).isEqualTo(2);
    assertThat(tuned.windows()).isEqualTo(best.windows());
    SendPolicy custom = SendPolicyParser.parse(yaml.readTree("""
        windows: [ { days: mon-fri, from: "08:30", to: "12:00" }, { days: [sat], from: "10:00", to: "11:00" } ]
        min_gap: 2d
        """), "p", errors);
    assertThat(custom.windows()).hasSize(2);
    assertThat(custom.windows().get(0).days()).hasSize(5);
    assertThat(custom.minGap()).isEqualTo(Duration.ofDays(2));
    assertThat(errors).isEmpty();

    SendPolicyParser.parse(yaml.readTree("""
        timezone: Mars/Olympus
        windows: [ { days: someday, from: "25:00", to: "10:00" } ]
        max_per_7d: -1
        colour: red
        """), "send_policy", errors);
    assertThat(errors).extracting(e -> e.path()).containsExactlyInAnyOrder("send_policy.colour", "send_policy.timezone",
        "send_policy.windows[0].days", "send_policy.windows[0].from", "send_policy.max_per_7d");
    errors.clear();
    SendPolicyParser.parse(yaml.readTree("sometimes"), "send_policy", errors);
    assertThat(errors).singleElement().satisfies(e -> assertThat(e.message()).contains("unknown send policy 'sometimes'"));
  }
}
