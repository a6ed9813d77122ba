package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.mail.DkimSigning;
import com.nurture.api.dev.DevServices;
import com.nurture.workflows.journey.JourneySettings;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationParsingException;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.core.setup.Bootstrap;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configurations the repository ships parse and validate, and bad settings are named. */
class ConfigurationTest {
  /** The factory the application itself binds config.yml with (its object mapper, strict about unknown keys). */
  private final ConfigurationFactory<NurtureConfiguration> factory = applicationFactory();

  private static ConfigurationFactory<NurtureConfiguration> applicationFactory() {
    NurtureApplication app = new NurtureApplication();
    Bootstrap<NurtureConfiguration> bootstrap = new Bootstrap<>(app);
    app.initialize(bootstrap);
    return bootstrap.getConfigurationFactoryFactory().create(NurtureConfiguration.class,
        bootstrap.getValidatorFactory().getValidator(), bootstrap.getObjectMapper(), "dw");
  }

  private static StringSubstitutor env(Map<String, String> vars) {
    StringSubstitutor s = new StringSubstitutor(vars);
    s.setEnableSubstitutionInVariables(true);
    return s;
  }

  @Test
  void theBundledDevConfigurationIsValidOnDefaults() throws Exception {
    NurtureConfiguration c = factory.build(new SubstitutingSourceProvider(new ResourceConfigurationSourceProvider(),
        env(Map.of())), "nurture-dev.yml");
    assertThat(c.mail.publicUrl).isEqualTo("http://localhost:8080");
    assertThat(c.mail.signingKey).isEqualTo(DevServices.GENERATED_KEY);
    assertThat(c.privacy.masterKey).as("dev makes its master key").isEqualTo(DevServices.GENERATED_KEY);
    assertThat(c.dev.smtpPort).isEqualTo(2525);
    assertThat(c.dev.dataDir).isEqualTo(".nurture");
    assertThat(c.events.maxClockSkew).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.dev.temporalSqlitePragmas).containsExactly("journal_mode=wal", "synchronous=normal");
  }

  @Test
  void theDevServersSqlitePragmasFollowTheEnvironmentAndABadOneIsNamed() throws Exception {
    NurtureConfiguration cliDefaults = factory.build(new SubstitutingSourceProvider(
        new ResourceConfigurationSourceProvider(), env(Map.of("NURTURE_DEV_TEMPORAL_SQLITE_PRAGMAS", ""))),
        "nurture-dev.yml");
    assertThat(cliDefaults.dev.temporalSqlitePragmas).as("empty: the CLI's own journal").isEmpty();
    NurtureConfiguration set = factory.build(new SubstitutingSourceProvider(new ResourceConfigurationSourceProvider(),
        env(Map.of("NURTURE_DEV_TEMPORAL_SQLITE_PRAGMAS", "journal_mode=wal, synchronous=full, cache_size=-20000"))),
        "nurture-dev.yml");
    assertThat(set.dev.temporalSqlitePragmas).containsExactly("journal_mode=wal", "synchronous=full", "cache_size=-20000");
    assertThatThrownBy(() -> fromText("dev: { temporal_sqlite_pragmas: [journal_mode=wal, foreign_keys=off] }\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("dev.temporalSqlitePragmas[1]")
        .hasMessageContaining("must be NAME=VALUE");
    assertThatThrownBy(() -> fromText("dev: { temporal_sqlite_pragmas: ['synchronous=normal; drop'] }\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("must be NAME=VALUE");
  }

  @Test
  void theDevPortsAndPublicUrlFollowTheEnvironment() throws Exception {
    NurtureConfiguration c = factory.build(new SubstitutingSourceProvider(new ResourceConfigurationSourceProvider(),
        env(Map.of("NURTURE_PORT", "9090"))), "nurture-dev.yml");
    assertThat(c.mail.publicUrl).isEqualTo("http://localhost:9090");
  }

  @Test
  void theExamplesInboundSettingsAreOffUntilSetAndTheReplyDomainMustBeADomain() throws Exception {
    Path example = Path.of("..", "config.example.yml");
    NurtureConfiguration off = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40)))), example.toString());
    assertThat(off.inbound.replyDomain()).isEmpty();
    assertThat(off.inbound.sendgrid.user).isEmpty();
    assertThat(off.inbound.mailgun.signingKey).isEmpty();
    assertThat(off.inbound.amazonSes.topicArn).isEmpty();
    assertThat(off.inbound.postmark.password).isEmpty();
    NurtureConfiguration on = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_INBOUND_REPLY_DOMAIN", "reply.acme.example",
            "NURTURE_INBOUND_POSTMARK_USER", "pm"))), example.toString());
    assertThat(on.inbound.replyDomain()).contains("reply.acme.example");
    assertThat(on.inbound.postmark.user).isEqualTo("pm");
    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_INBOUND_REPLY_DOMAIN", "reply@acme.example"))),
        example.toString()))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("inbound.replyDomain must be a domain name");
  }

  @Test
  void theExampleNeedsTheMasterKeyAndNamesItsVariable() throws Exception {
    Path example = Path.of("..", "config.example.yml");
    NurtureConfiguration without = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40)))), example.toString());
    assertThatThrownBy(without.privacy::masterKeys).hasMessageContaining("NURTURE_MASTER_KEY");
    String key = com.nurture.activities.privacy.MasterKeys.generate();
    NurtureConfiguration with = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_MASTER_KEY", key, "NURTURE_MASTER_KEY_ID", "2026-12"))),
        example.toString());
    assertThat(with.privacy.masterKeys().activeId()).isEqualTo("2026-12");
    assertThat(with.privacy.codecCorsOrigins).containsExactly("http://localhost:8233");
  }

  @Test
  void theExampleConfigurationIsValidOnceTheSigningKeyIsSet() throws Exception {
    Path example = Path.of("..", "config.example.yml");
    NurtureConfiguration c = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40)))), example.toString());
    assertThat(c.apiKeys).extracting(k -> k.name).containsExactly("marketing-automation", "sales", "operators");
    assertThat(c.smtp.transport).isEqualTo("starttls");
    assertThat(c.events.maxClockSkew).isEqualTo(Duration.ofMinutes(5));
    // The example's tracking section spells out the defaults, and means the same as leaving it out.
    com.nurture.api.config.TrackingConfig defaults = new com.nurture.api.config.TrackingConfig();
    assertThat(c.tracking.minClickDelay).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.tracking.linkLifetime).isEqualTo(Duration.ofDays(365));
    assertThat(c.tracking.scannerUserAgents).isEqualTo(defaults.scannerUserAgents);
    assertThat(c.tracking.scannerNetworks).isEqualTo(defaults.scannerNetworks);
    assertThat(c.tracking.proxyUserAgents).isEqualTo(defaults.proxyUserAgents);
    assertThat(c.tracking.proxyNetworks).isEqualTo(defaults.proxyNetworks);
    assertThat(c.tracking.deliverMachineOpens).isFalse();
    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_TRACKING_MIN_CLICK_DELAY", "ten seconds"))),
        example.toString()))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("tracking.min_click_delay");
    NurtureConfiguration skewed = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_EVENTS_MAX_CLOCK_SKEW", "90s"))), example.toString());
    assertThat(skewed.events.maxClockSkew).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_EVENTS_MAX_CLOCK_SKEW", "2d"))), example.toString()))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("events.maxClockSkew");
    assertThat(c.database.getCheckConnectionOnBorrow()).isTrue();
    assertThat(c.database.getValidationInterval()).isEqualTo(io.dropwizard.util.Duration.milliseconds(50));
    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_INACTIVITY", "3 weeks"))), example.toString()))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("Failed to parse configuration at: journeys.inactivity; '3 weeks' is not a duration");

    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "short", "NURTURE_PUBLIC_URL", "http://nurture.example.com"))), example.toString()))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("mail.signingKey must be at least 32 characters")
        .hasMessageContaining("mail.publicUrl must be an https URL");
  }

  @Test
  void theIntakeSectionKeepsEachSourcesDefaultsAndNamesABadMapping(@TempDir Path dir) throws Exception {
    Path example = Path.of("..", "config.example.yml");
    NurtureConfiguration off = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40)))), example.toString());
    assertThat(off.intake.batchMax).isEqualTo(1000);
    assertThat(off.intake.hubspot.configured()).as("off until its secret is set").isFalse();
    assertThat(off.intake.segment.configured()).isFalse();
    NurtureConfiguration on = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_INTAKE_BATCH_MAX", "250",
            "NURTURE_INTAKE_HUBSPOT_SECRET", "client-secret"))), example.toString());
    assertThat(on.intake.batchMax).isEqualTo(250);
    assertThat(on.intake.hubspot.configured()).isTrue();
    assertThat(on.intake.hubspot.email).as("a secret alone keeps HubSpot's default mapping").isEqualTo("properties.email");
    assertThat(on.intake.hubspot.leadIdPrefix).isEqualTo("hubspot-");
    assertThat(on.intake.segment.eventId).isEqualTo("messageId");
    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_INTAKE_BATCH_MAX", "0"))), example.toString()))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("intake.batchMax");

    String base = Files.readString(example);
    Path typo = dir.resolve("typo.yml");
    Files.writeString(typo, base.replace("    secret: ${NURTURE_INTAKE_SEGMENT_SECRET:-}",
        "    secret: s\n    event_map: {\"Demo Requested\": demo_request}"));
    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40)))), typo.toString()))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("intake.segment")
        .hasMessageContaining("must be event types");
    Path unknown = dir.resolve("unknown.yml");
    Files.writeString(unknown, base.replace("    secret: ${NURTURE_INTAKE_SEGMENT_SECRET:-}",
        "    secret: s\n    event_mapping: {}"));
    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40)))), unknown.toString()))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("event_mapping");
  }

  @Test
  void theExampleConfigurationSignsWithDkimOnlyWhenTheKeyIsGivenAndRefusesHalfAKey(@TempDir Path dir) throws Exception {
    Path example = Path.of("..", "config.example.yml");
    NurtureConfiguration unsigned = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40)))), example.toString());
    assertThat(unsigned.mail.dkimConfigured()).isFalse();
    assertThat(unsigned.mail.settings().dkim()).isEmpty();

    Path key = dir.resolve("dkim.pem");
    Files.writeString(key, DkimSigning.generatePrivateKeyPem());
    NurtureConfiguration signed = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_DKIM_DOMAIN", "example.com",
            "NURTURE_DKIM_PRIVATE_KEY_FILE", key.toString()))), example.toString());
    DkimSigning dkim = signed.mail.settings().dkim().orElseThrow();
    assertThat(dkim.domain()).isEqualTo("example.com");
    assertThat(dkim.selector()).isEqualTo("nurture1");
    assertThat(dkim.dnsName()).isEqualTo("nurture1._domainkey.example.com");

    NurtureConfiguration inline = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_DKIM_DOMAIN", "example.com",
            "NURTURE_DKIM_SELECTOR", "s2026", "NURTURE_DKIM_PRIVATE_KEY", Files.readString(key)))), example.toString());
    assertThat(inline.mail.settings().dkim().orElseThrow().publicKey()).isEqualTo(dkim.publicKey());

    NurtureConfiguration noKey = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_DKIM_DOMAIN", "example.com"))), example.toString());
    assertThatThrownBy(noKey.mail::settings).hasMessageContaining("mail.dkim needs exactly one of private_key_file");
    NurtureConfiguration missingFile = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_DKIM_DOMAIN", "example.com",
            "NURTURE_DKIM_PRIVATE_KEY_FILE", dir.resolve("absent.pem").toString()))), example.toString());
    assertThatThrownBy(missingFile.mail::settings).hasMessageContaining("mail.dkim.private_key_file")
        .hasMessageContaining("cannot be read");
    NurtureConfiguration misaligned = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_DKIM_DOMAIN", "other.example",
            "NURTURE_DKIM_PRIVATE_KEY_FILE", key.toString()))), example.toString());
    assertThatThrownBy(misaligned.mail::settings).hasMessageContaining("mail.dkim")
        .hasMessageContaining("DMARC alignment");
  }

  /** A minimal valid configuration, plus {@code extra} top-level sections. */
  private NurtureConfiguration fromText(String extra) throws Exception {
    String yaml = """
        database: { driverClass: org.postgresql.Driver, url: "jdbc:postgresql://localhost/nurture", user: nurture }
        mail:
          from_address: hello@example.com
          from_name: Sam
          company: Example Co
          product: Example Pipeline
          postal_address: 1 Example Street
          public_url: https://nurture.example.com
          unsubscribe_mailto: unsubscribe@example.com
          resource_url: https://example.com/resources
          signing_key: a-signing-key-that-is-long-enough-0123456789
        """ + extra;
    return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "bad.yml");
  }

  @Test
  void journeyTimingsAreDurationsBoundAtStartInOneSettingsValue() throws Exception {
    NurtureConfiguration defaults = fromText("");
    assertThat(defaults.journeySettings()).isEqualTo(JourneySettings.DEFAULTS);

    NurtureConfiguration c = fromText("""
        journeys:
          reply_resume_after: 1d12h
          inactivity: 26w
          reentry_cooldown: PT36H
          send_retry_limit: 90m
          confirm_within: 3d
        sales: { sla: 4h }
        events: { max_clock_skew: 30s }
        """);
    assertThat(c.journeys.inactivity).isEqualTo(Duration.ofDays(182));
    assertThat(c.events.maxClockSkew).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.journeySettings()).isEqualTo(new JourneySettings(Duration.ofHours(36), Duration.ofDays(182),
        Duration.ofHours(36), Duration.ofHours(4), Duration.ofMinutes(90), JourneySettings.DEFAULTS.historyLimit(),
        Duration.ofDays(3)));

    NurtureConfiguration never = fromText("journeys: { inactivity: 0s, reply_resume_after: 0s }\n");
    assertThat(never.journeySettings().inactivity()).isZero();
    assertThat(never.journeySettings().replyResumeAfter()).isZero();
  }

  @Test
  void aBadDurationRefusesTheConfigurationAndNamesItsKey() throws Exception {
    assertThatThrownBy(() -> fromText("journeys: { inactivity: 3 weeks }\n"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("journeys.inactivity")
        .hasMessageContaining("'3 weeks' is not a duration; write e.g. 3d, 12h or 1d12h");
    assertThatThrownBy(() -> fromText("tracking: { scanner_networks: [10.0.0.0/33], proxy_user_agents: ['(unclosed'] }\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("tracking.everyPatternAndNetworkValid");
    assertThat(fromText("tracking: { min_click_delay: 0s, burst_window: 2s }\n").tracking.classifier().settings()
        .burstWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> fromText("journeys:\n  reply_resume_after: soon\n"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("journeys.reply_resume_after")
        .hasMessageContaining("'soon' is not a duration");
    assertThatThrownBy(() -> fromText("journeys: { reentry_cooldown: -P1D }\n"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("journeys.reentry_cooldown")
        .hasMessageContaining("'-P1D' is negative");
    assertThatThrownBy(() -> fromText("journeys: { send_retry_limit: { hours: 24 } }\n"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("journeys.send_retry_limit");
    assertThatThrownBy(() -> fromText("sales: { sla: 24 }\n"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("sales.sla")
        .hasMessageContaining("'24' is not a duration");
    assertThatThrownBy(() -> fromText("events: { max_clock_skew: 5 minutes }\n"))
        .isInstanceOf(ConfigurationParsingException.class)
        .hasMessageContaining("events.max_clock_skew")
        .hasMessageContaining("'5 minutes' is not a duration");
  }

  @Test
  void durationsOutOfRangeAndUnknownKeysAreRefusedToo() throws Exception {
    assertThatThrownBy(() -> fromText("journeys: { send_retry_limit: 0s }\nsales: { sla: 0s }\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("journeys.sendRetryLimit must be longer than zero")
        .hasMessageContaining("sales.sla must be longer than zero");
    assertThatThrownBy(() -> fromText("events: { max_clock_skew: 2d }\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("events.maxClockSkew must be at most 1d");
    assertThatThrownBy(() -> fromText("intake: { batch_deadline: 30s }\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("intake.batch_deadline must be shorter than the idleTimeout");
    assertThat(fromText("intake: { batch_deadline: 29s }\n").isBatchDeadlineWithinIdleTimeout()).isTrue();
    assertThatThrownBy(() -> fromText("worker: { deadlock_detection_timeout: 10s }\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("worker.deadlockDetectionTimeout must be under 10s, the workflow task's timeout");
    assertThat(fromText("worker: { deadlock_detection_timeout: 9s }\n").worker.tuning().deadlockDetectionTimeout())
        .isEqualTo(Duration.ofSeconds(9));
    assertThatThrownBy(() -> fromText("journeys: { inactivty: 90d }\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inactivty");
  }
}
