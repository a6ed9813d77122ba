package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bulk intake (POST /v1/events:batch, PUT /v1/leads:batch) and the MA-system adapters posting to
 * /v1/intake/{source}: each source's secret and its mapping from their payload to our leads, events
 * and enrolments (docs/integrations.md). A source whose secret is empty answers 503.
 */
public class IntakeConfig {
  /** The most items one batch call may carry; more is a 413. */
  @Min(1)
  @Max(10_000)
  @JsonProperty("batch_max")
  public int batchMax = 1000;

  /**
   * How long a batch may talk to Temporal: items whose turn comes later are left to the event outbox
   * (202, {@code delivered: false}). Keep it below the connector's idle timeout
   * ({@code server.applicationConnectors[].idleTimeout}, 30 s by default): a request that outlives
   * that loses its answer (ConfigurationCheck refuses to start otherwise).
   */
  @NotNull
  @MinDuration(value = 1, unit = java.util.concurrent.TimeUnit.MILLISECONDS)
  @JsonProperty("batch_deadline")
  public io.dropwizard.util.Duration batchDeadline = io.dropwizard.util.Duration.seconds(20);

  /** Threads batches and adapters signal journeys on, shared by all calls. */
  @Min(1)
  @Max(64)
  @JsonProperty("threads")
  public int threads = 16;

  /** HubSpot workflows' "Send a webhook" action, signed (v3) with the app's client secret. */
  @Valid @NotNull
  @JsonProperty("hubspot")
  public HubSpot hubspot = new HubSpot();

  /** Marketo webhooks (a JSON template with lead tokens), with the secret in a header or the URL. */
  @Valid @NotNull
  @JsonProperty("marketo")
  public Marketo marketo = new Marketo();

  /** Salesforce Account Engagement (Pardot) form handlers forwarding their data, secret in the URL. */
  @Valid @NotNull
  @JsonProperty("pardot")
  public Pardot pardot = new Pardot();

  /** Segment-spec identify / track calls (Segment's webhook destination; X-Signature HMAC-SHA1). */
  @Valid @NotNull
  @JsonProperty("segment")
  public Segment segment = new Segment();

  /** HubSpot's contact JSON ("include all contact properties"): values as {"value": ...}, read through. */
  public static final class HubSpot extends IntakeSource {
    public HubSpot() {
      leadId = "vid";
      leadIdPrefix = "hubspot-";
      email = "properties.email";
      fields = fields("properties.firstname", "properties.lastname", "properties.company", "properties.jobtitle",
          "properties.industry");
      eventName = "properties.recent_conversion_event_name";
      occurredAt = "properties.recent_conversion_date";
    }
  }

  /** The JSON template docs/integrations.md gives for Marketo's webhook. */
  public static final class Marketo extends IntakeSource {
    public Marketo() {
      leadId = "id";
      leadIdPrefix = "marketo-";
      email = "email";
      fields = fields("first_name", "last_name", "company", "title", "industry");
      eventName = "campaign";
    }
  }

  /** A form handler's fields as Account Engagement forwards them; {@code form} from the URL. */
  public static final class Pardot extends IntakeSource {
    public Pardot() {
      leadId = "";
      leadIdPrefix = "pardot-";
      email = "email";
      fields = fields("first_name", "last_name", "company", "job_title", "industry");
      eventName = "form";
    }
  }

  /** Segment's spec: identify carries traits, track an event with properties. */
  public static final class Segment extends IntakeSource {
    public Segment() {
      leadId = "userId";
      leadIdPrefix = "";
      email = "traits.email|context.traits.email|properties.email";
      fields = fields("traits.firstName|traits.first_name", "traits.lastName|traits.last_name",
          "traits.company.name|traits.company", "traits.title", "traits.industry");
      eventName = "event";
      eventId = "messageId";
      eventProperties = "properties";
      occurredAt = "timestamp";
    }
  }

  static Map<String, String> fields(String firstName, String lastName, String company, String role, String industry) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("first_name", firstName);
    m.put("last_name", lastName);
    m.put("company", company);
    m.put("role", role);
    m.put("industry", industry);
    return m;
  }
}
