package com.nurture.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nurture.api.config.ApiKeyConfig;
import com.nurture.api.config.DevConfig;
import com.nurture.api.config.EventsConfig;
import com.nurture.api.config.JourneysConfig;
import com.nurture.api.config.MailConfig;
import com.nurture.api.config.SalesConfig;
import com.nurture.api.config.SmtpConfig;
import com.nurture.api.config.TemporalConfig;
import com.nurture.api.config.TrackingConfig;
import com.nurture.workflows.journey.JourneySettings;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/** config.yml, bound with ${ENV_VAR:-default} substitution. See config.example.yml. */
public class NurtureConfiguration extends Configuration {
  @Valid @NotNull
  @JsonProperty
  public com.nurture.api.config.InboundConfig inbound = new com.nurture.api.config.InboundConfig();
  @Valid @NotNull
  @JsonProperty
  public com.nurture.api.config.EspConfig esp = new com.nurture.api.config.EspConfig();

  @Valid @NotNull
  @JsonProperty
  public com.nurture.api.config.ValidatingDataSourceFactory database = new com.nurture.api.config.ValidatingDataSourceFactory();

  @Valid @NotNull
  @JsonProperty
  public TemporalConfig temporal = new TemporalConfig();

  @Valid @NotNull
  @JsonProperty
  public SmtpConfig smtp = new SmtpConfig();

  @Valid @NotNull
  @JsonProperty
  public MailConfig mail = new MailConfig();

  @Valid @NotNull
  @JsonProperty
  public SalesConfig sales = new SalesConfig();

  @Valid @NotNull
  @JsonProperty
  public JourneysConfig journeys = new JourneysConfig();

  @Valid @NotNull
  @JsonProperty
  public EventsConfig events = new EventsConfig();

  /** Bulk intake and the MA-system adapters (/v1/intake/{source}). */
  @Valid @NotNull
  @JsonProperty
  public com.nurture.api.config.IntakeConfig intake = new com.nurture.api.config.IntakeConfig();

  /** What the API takes from a client: body size, the shape of free-form objects. */
  @Valid @NotNull
  @JsonProperty
  public com.nurture.api.config.LimitsConfig limits = new com.nurture.api.config.LimitsConfig();

  /** The master key of the payload encryption, the key cache, the codec endpoint's CORS origins. */
  @Valid @NotNull
  @JsonProperty
  public com.nurture.api.config.PrivacyConfig privacy = new com.nurture.api.config.PrivacyConfig();

  @Valid @NotNull
  @JsonProperty
  public TrackingConfig tracking = new TrackingConfig();

  @Valid @NotNull
  @JsonProperty("api_keys")
  public List<@Valid ApiKeyConfig> apiKeys = new ArrayList<>();

  @Valid @NotNull
  @JsonProperty
  public DevConfig dev = new DevConfig();

  /** The Temporal worker's capacity (slots, pollers, workflow cache). */
  @Valid @NotNull
  @JsonProperty
  public com.nurture.api.config.WorkerConfig worker = new com.nurture.api.config.WorkerConfig();

  /**
   * A batch answers before its connection's idle timeout (a request that outlives it loses its
   * answer): {@code intake.batch_deadline} is shorter than every application connector's.
   */
  @com.fasterxml.jackson.annotation.JsonIgnore
  @io.dropwizard.validation.ValidationMethod(message = "intake.batch_deadline must be shorter than the idleTimeout"
      + " of every server application connector (30 s by default): a batch still working then loses its answer")
  public boolean isBatchDeadlineWithinIdleTimeout() {
    List<io.dropwizard.jetty.ConnectorFactory> connectors = List.of();
    if (getServerFactory() instanceof io.dropwizard.core.server.DefaultServerFactory d) {
      connectors = d.getApplicationConnectors();
    } else if (getServerFactory() instanceof io.dropwizard.core.server.SimpleServerFactory simple) {
      connectors = List.of(simple.getConnector());
    }
    return connectors.stream().filter(c -> c instanceof io.dropwizard.jetty.HttpConnectorFactory)
        .map(c -> ((io.dropwizard.jetty.HttpConnectorFactory) c).getIdleTimeout().toJavaDuration())
        .allMatch(idle -> intake.batchDeadline.toJavaDuration().compareTo(idle) < 0);
  }

  /**
   * The settings every new journey starts with, built in this one place from the typed
   * {@code journeys} and {@code sales.sla} (already read and validated when the file was bound).
   */
  public JourneySettings journeySettings() {
    return JourneySettings.DEFAULTS
        .withReplyResumeAfter(journeys.replyResumeAfter)
        .withInactivity(journeys.inactivity)
        .withReentryCooldown(journeys.reentryCooldown)
        .withSendRetryLimit(journeys.sendRetryLimit)
        .withConfirmWithin(journeys.confirmWithin)
        .withHandOffSla(sales.sla);
  }
}
