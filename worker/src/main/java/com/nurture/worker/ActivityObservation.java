package com.nurture.worker;

import com.nurture.activities.metrics.BusinessMetrics;
import com.nurture.workflows.activities.ConfirmationRequest;
import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * Wraps every activity the worker runs (local ones too), without touching the activities: while
 * one runs, the SLF4J MDC carries {@code lead_id}, {@code workflow_id}, {@code run_id} and
 * {@code activity}, so each log line (JSON lines with {@code logging.appenders[].layout.type: json})
 * says whose it is; and what it did is counted in {@link BusinessMetrics}: SendEmail's accepted
 * sends with their lag, and from the journey's recorded transitions its failed sends, hand-offs and
 * SLA breaches.
 */
public final class ActivityObservation extends WorkerInterceptorBase {
  /** MDC keys (and the JSON log fields they become). */
  public static final String LEAD_ID = "lead_id";
  public static final String WORKFLOW_ID = "workflow_id";
  public static final String RUN_ID = "run_id";
  public static final String ACTIVITY = "activity";
  /** A journey's workflow id is this and the lead id. */
  static final String JOURNEY_ID_PREFIX = "lead-";

  private final BusinessMetrics metrics;

  public ActivityObservation(BusinessMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new Inbound(next, metrics);
  }

  private static final class Inbound extends ActivityInboundCallsInterceptorBase {
    private final BusinessMetrics metrics;
    private ActivityExecutionContext context;

    Inbound(ActivityInboundCallsInterceptor next, BusinessMetrics metrics) {
      super(next);
      this.metrics = metrics;
    }

    @Override
    public void init(ActivityExecutionContext context) {
      this.context = context;
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      ActivityInfo info = context.getInfo();
      Object[] args = input.getArguments();
      put(WORKFLOW_ID, info.getWorkflowId());
      put(RUN_ID, info.getWorkflowRunId());
      put(ACTIVITY, info.getActivityType());
      put(LEAD_ID, leadId(args, info.getWorkflowId()).orElse(null));
      try {
        ActivityOutput output = super.execute(input);
        count(info, args, output.getResult());
        return output;
      } finally {
        MDC.remove(WORKFLOW_ID);
        MDC.remove(RUN_ID);
        MDC.remove(ACTIVITY);
        MDC.remove(LEAD_ID);
      }
    }

    /** Counting never fails an activity that did its work. */
    private void count(ActivityInfo info, Object[] args, Object result) {
      try {
        if (args.length == 1 && args[0] instanceof SendRequest r && result instanceof SendOutcome out
            && out.status() == SendOutcome.Status.SENT) {
          Duration lag = out.at() == null ? null
              : Duration.between(Instant.ofEpochMilli(info.getScheduledTimestamp()), out.at());
          metrics.emailSent(r.programId(), r.stepId(), lag);
        }
        for (Object arg : args) {
          if (arg instanceof JourneyTransition t) {
            count(t);
          } else if (arg instanceof Collection<?> list) {
            list.stream().filter(JourneyTransition.class::isInstance).map(JourneyTransition.class::cast)
                .forEach(this::count);
          }
        }
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(ActivityObservation.class)
            .warn("could not count activity {}: {}", info.getActivityType(), e.toString());
      }
    }

    private void count(JourneyTransition t) {
      Map<String, Object> d = t.detail() == null ? Map.of() : t.detail();
      switch (t.kind() == null ? "" : t.kind()) {
        case "send_failed" -> metrics.emailFailed(t.programId(), text(d.get("step")), text(d.get("reason")));
        case "handed_off" -> metrics.handOff(t.programId());
        case "sla_breached" -> metrics.slaBreach(t.programId(),
            d.get("level") instanceof Number n ? n.intValue() : 0);
        default -> { }
      }
    }
  }

  /** The lead an activity works for: from its input, else from a journey's workflow id. */
  static Optional<String> leadId(Object[] args, String workflowId) {
    for (Object arg : args) {
      String id = null;
      if (arg instanceof SendRequest r) {
        id = r.leadId();
      } else if (arg instanceof JourneyTransition t) {
        id = t.leadId();
      } else if (arg instanceof HandOff h) {
        id = h.leadId();
      } else if (arg instanceof OperatorAlert a) {
        id = a.leadId();
      } else if (arg instanceof ConfirmationRequest c) {
        id = c.leadId();
      } else if (arg instanceof Collection<?> list && !list.isEmpty()
          && list.iterator().next() instanceof JourneyTransition t) {
        id = t.leadId();
      }
      if (id != null && !id.isBlank()) {
        return Optional.of(id);
      }
    }
    if (workflowId != null && workflowId.startsWith(JOURNEY_ID_PREFIX)) {
      return Optional.of(workflowId.substring(JOURNEY_ID_PREFIX.length()));
    }
    return Optional.empty();
  }

  private static String text(Object o) {
    return o == null ? "" : o.toString();
  }

  private static void put(String key, String value) {
    if (value == null || value.isEmpty()) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
