package com.nurture.workflows.journey;

import com.nurture.workflows.activities.EmailActivities;
import com.nurture.workflows.activities.JourneyActivities;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.activities.ProgramActivities;
import com.nurture.workflows.activities.SalesActivities;
import com.nurture.workflows.activities.SendRequest;
import com.nurture.workflows.program.Program;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * In-memory stand-ins for the activities, for testing the workflow alone: records what the
 * workflow asked for and at what (test-environment) time.
 */
public class RecordingActivities implements EmailActivities, JourneyActivities, ProgramActivities, SalesActivities,
    com.nurture.workflows.activities.ConsentActivities {
  public record Sent(SendRequest request, Instant at) {}

  public final List<Sent> sent = new CopyOnWriteArrayList<>();
  public final List<Sent> heldOut = new CopyOnWriteArrayList<>();
  public final List<JourneyTransition> transitions = new CopyOnWriteArrayList<>();
  public final List<OperatorAlert> alerts = new CopyOnWriteArrayList<>();
  public final Set<String> suppressedLeads = ConcurrentHashMap.newKeySet();
  public final List<HandOff> handOffs = new CopyOnWriteArrayList<>();
  public final List<HandOff> notified = new CopyOnWriteArrayList<>();
  public final List<HandOff> ownersNotified = new CopyOnWriteArrayList<>();
  public final List<OperatorAlert> tasks = new CopyOnWriteArrayList<>();
  public final List<String> outcomes = new CopyOnWriteArrayList<>();
  /** Double opt-in confirmation emails asked for. */
  public final List<com.nurture.workflows.activities.ConfirmationRequest> confirmations = new CopyOnWriteArrayList<>();

  /** Templates whose sends fail every attempt: permanently (not retried) or transiently (retried). */
  public final Set<String> failingPermanently = ConcurrentHashMap.newKeySet();
  public final Set<String> failingTransiently = ConcurrentHashMap.newKeySet();
  /** The next this-many send attempts (of any template) fail transiently, as an SMTP server briefly away. */
  public final java.util.concurrent.atomic.AtomicInteger transientSendFailures = new java.util.concurrent.atomic.AtomicInteger();
  /** Sends the journey gave up on: idempotency key to reason. */
  public final Map<String, String> gaveUp = new ConcurrentHashMap<>();
  /** Send attempts per idempotency key (a retried activity counts each attempt). */
  public final Map<String, Integer> attempts = new ConcurrentHashMap<>();

  /** The next this-many RecordTransition attempts fail, as a database restart would fail them. */
  public final java.util.concurrent.atomic.AtomicInteger transitionFailures = new java.util.concurrent.atomic.AtomicInteger();

  /** Programs that on_complete: start may load. */
  public final Map<String, Program> catalog = new ConcurrentHashMap<>();
  /**
   * Templates whose send fails for good, as the real activity does for a template that does not
   * exist: a non-retryable failure. Empty by default (every send works).
   */
  public final Set<String> failingTemplates = ConcurrentHashMap.newKeySet();
  /** Templates whose send answers this status instead of SENT (e.g. OUTCOME_UNKNOWN). Empty by default. */
  public final Map<String, SendOutcome.Status> statusByTemplate = new ConcurrentHashMap<>();
  /**
   * The sales endpoint is down until then: NotifySales, NotifyTask and NotifyOwner throw, so Temporal
   * retries them with backoff, as the real webhooks do. Never down by default.
   */
  public volatile Instant salesDownUntil = Instant.MIN;
  private final Supplier<Instant> clock;

  public RecordingActivities(Supplier<Instant> clock) {
    this.clock = clock;
  }

  @Override
  public SendOutcome sendEmail(SendRequest request) {
    Instant now = clock.get();
    attempts.merge(request.idempotencyKey(), 1, Integer::sum);
    if (failingPermanently.contains(request.template())) {
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          "the message is invalid: suspicious CR/LF in a header", "PermanentSendFailure");
    }
    if (failingTransiently.contains(request.template()) || transientSendFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw io.temporal.failure.ApplicationFailure.newFailure("connection refused", "SmtpFailure");
    }
    if (suppressedLeads.contains(request.leadId())) {
      return new SendOutcome(SendOutcome.Status.SUPPRESSED, "", "", request.template(), now);
    }
    if (request.heldOut()) {
      heldOut.add(new Sent(request, now));
      return new SendOutcome(SendOutcome.Status.HELD_OUT, "", "", request.template(), now);
    }
    if (failingTemplates.contains(request.template())) {
      throw ApplicationFailure.newNonRetryableFailure("template " + request.template() + " does not exist",
          "TemplateNotFound");
    }
    SendOutcome.Status status = statusByTemplate.get(request.template());
    if (status != null) {
      return new SendOutcome(status, "<" + request.idempotencyKey() + ">", "Subject of " + request.template(),
          request.template(), now);
    }
    sent.add(new Sent(request, now));
    String subject = request.subject().isEmpty() ? "Subject of " + request.template() : request.subject();
    return new SendOutcome(SendOutcome.Status.SENT, "<" + request.idempotencyKey() + ">", subject, request.template(), now);
  }

  @Override
  public void recordSendFailed(String idempotencyKey, String reason) {
    gaveUp.put(idempotencyKey, reason);
  }

  @Override
  public synchronized void recordTransitions(List<JourneyTransition> batch) {
    if (transitionFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("FATAL: terminating connection due to administrator command");
    }
    for (JourneyTransition t : batch) {
      if (transitions.stream().noneMatch(x -> x.dedupeKey().equals(t.dedupeKey()))) {
        transitions.add(t);
      }
    }
  }

  @Override
  public synchronized void recordTransition(JourneyTransition transition) {
    if (transitionFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("FATAL: terminating connection due to administrator command");
    }
    // Idempotent by key, as JourneyRecorder is: a local activity may run again (at least once).
    if (transitions.stream().noneMatch(t -> t.dedupeKey().equals(transition.dedupeKey()))) {
      transitions.add(transition);
    }
  }

  @Override
  public void suppress(String leadId, String reason) {
    suppressedLeads.add(leadId);
  }

  @Override
  public synchronized void raiseAlert(OperatorAlert alert) {
    if (alerts.stream().noneMatch(a -> a.dedupeKey().equals(alert.dedupeKey()))) {
      alerts.add(alert);
    }
  }

  @Override
  public Optional<Program> latestProgram(String programId) {
    return Optional.ofNullable(catalog.get(programId));
  }

  @Override
  public void recordHandOff(HandOff handOff) {
    if (handOffs.stream().noneMatch(h -> h.key().equals(handOff.key()))) {
      handOffs.add(handOff);
    }
  }

  @Override
  public void notifySales(HandOff handOff) {
    salesEndpoint();
    notified.add(handOff);
  }

  @Override
  public void notifyTask(OperatorAlert alert) {
    salesEndpoint();
    tasks.add(alert);
  }

  @Override
  public void notifyOwner(HandOff handOff) {
    salesEndpoint();
    ownersNotified.add(handOff);
  }

  @Override
  public void recordOutcome(String handOffKey, String outcome) {
    outcomes.add(handOffKey + "=" + outcome);
  }

  private void salesEndpoint() {
    if (clock.get().isBefore(salesDownUntil)) {
      throw new IllegalStateException("sales endpoint unavailable (503)");
    }
  }

  public List<String> sentSteps() {
    return sent.stream().map(s -> s.request().stepId()).toList();
  }

  public List<String> transitionKinds() {
    return transitions.stream().map(JourneyTransition::kind).toList();
  }

  @Override
  public void sendConfirmation(com.nurture.workflows.activities.ConfirmationRequest request) {
    confirmations.add(request);
  }
}
