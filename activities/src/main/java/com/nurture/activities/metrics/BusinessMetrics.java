package com.nurture.activities.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;

/**
 * Nurture's business counters, in the process's Micrometer registry (served on the admin port as
 * {@code GET /prometheus}; docs/operations.md, "Metrics and logs"). Labels are program, step,
 * event type and such: never a lead id or an address, so their number stays bounded and no
 * personal data reaches the metrics store. A counter is counted at least once per fact: a retried
 * local activity may count a transition twice, never zero times.
 */
public final class BusinessMetrics {
  /** Emails handed to the SMTP server; labels program, step. */
  public static final String EMAILS_SENT = "nurture.emails.sent";
  /** Sends the journey gave up on; labels program, step, reason (permanent | gave_up). */
  public static final String EMAILS_FAILED = "nurture.emails.failed";
  /** Bounce reports (provider webhooks, API events); labels program, step, hard (true | false). */
  public static final String EMAILS_BOUNCED = "nurture.emails.bounced";
  /** Complaint reports; labels program, step. */
  public static final String EMAILS_COMPLAINED = "nurture.emails.complained";
  /** Behaviour events taken in (first arrival only); label type. */
  public static final String EVENTS = "nurture.events";
  /** Leads handed to sales; label program. */
  public static final String HANDOFFS = "nurture.handoffs";
  /** Hand-offs sales left unanswered past the SLA (1x and 2x); labels program, level. */
  public static final String SLA_BREACHES = "nurture.sla.breaches";
  /** From the send activity's scheduling (the step falling due) to SMTP acceptance; label program. */
  public static final String SEND_LAG = "nurture.send.lag";
  /** Journeys by status, from the journeys mirror table; labels program, status (a gauge). */
  public static final String JOURNEYS = "nurture.journeys";

  /** Every name above. */
  public static final List<String> NAMES = List.of(EMAILS_SENT, EMAILS_FAILED, EMAILS_BOUNCED, EMAILS_COMPLAINED,
      EVENTS, HANDOFFS, SLA_BREACHES, SEND_LAG, JOURNEYS);

  /** Where a fact's program or step is not known (a bounce report that names no message of ours). */
  public static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;

  public BusinessMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts into a registry nobody reads (tools, tests that do not look at metrics). */
  public static BusinessMetrics unread() {
    return new BusinessMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** @param lag from the step falling due to SMTP acceptance, when known */
  public void emailSent(String program, String step, Duration lag) {
    counter(EMAILS_SENT, "Emails handed to the SMTP server", "program", program, "step", step).increment();
    if (lag != null && !lag.isNegative()) {
      Timer.builder(SEND_LAG)
          .description("From the send falling due (its activity scheduled) to SMTP acceptance")
          .tags("program", label(program))
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(10))
          .maximumExpectedValue(Duration.ofHours(2))
          .register(registry)
          .record(lag);
    }
  }

  public void emailFailed(String program, String step, String reason) {
    counter(EMAILS_FAILED, "Sends given up on", "program", program, "step", step, "reason", reason).increment();
  }

  public void emailBounced(String program, String step, boolean hard) {
    counter(EMAILS_BOUNCED, "Bounce reports", "program", program, "step", step, "hard", String.valueOf(hard))
        .increment();
  }

  public void emailComplained(String program, String step) {
    counter(EMAILS_COMPLAINED, "Complaint reports", "program", program, "step", step).increment();
  }

  public void event(String type) {
    counter(EVENTS, "Behaviour events taken in (first arrival)", "type", type).increment();
  }

  public void handOff(String program) {
    counter(HANDOFFS, "Leads handed to sales", "program", program).increment();
  }

  public void slaBreach(String program, int level) {
    counter(SLA_BREACHES, "Hand-offs unanswered past the SLA", "program", program, "level", String.valueOf(level))
        .increment();
  }

  private Counter counter(String name, String description, String... tags) {
    String[] labelled = tags.clone();
    for (int i = 1; i < labelled.length; i += 2) {
      labelled[i] = label(labelled[i]);
    }
    return Counter.builder(name).description(description).tags(labelled).register(registry);
  }

  private static String label(String value) {
    return value == null || value.isBlank() ? UNKNOWN : value;
  }
}
