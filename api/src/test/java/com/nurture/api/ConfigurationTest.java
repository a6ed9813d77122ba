package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.api.dev.DevServices;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;

/** The configurations the repository ships parse and validate, and bad settings are named. */
class ConfigurationTest {
  private final YamlConfigurationFactory<NurtureConfiguration> factory =
      new YamlConfigurationFactory<>(NurtureConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

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
    assertThat(c.dev.smtpPort).isEqualTo(2525);
    assertThat(c.dev.dataDir).isEqualTo(".nurture");
    assertThat(c.events.maxClockSkew()).isEqualTo(java.time.Duration.ofMinutes(5));
  }

  @Test
  void theDevPortsAndPublicUrlFollowTheEnvironment() throws Exception {
    NurtureConfiguration c = factory.build(new SubstitutingSourceProvider(new ResourceConfigurationSourceProvider(),
        env(Map.of("NURTURE_PORT", "9090"))), "nurture-dev.yml");
    assertThat(c.mail.publicUrl).isEqualTo("http://localhost:9090");
  }

  @Test
  void theExampleConfigurationIsValidOnceTheSigningKeyIsSet() throws Exception {
    Path example = Path.of("..", "config.example.yml");
    NurtureConfiguration c = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40)))), example.toString());
    assertThat(c.apiKeys).extracting(k -> k.name).containsExactly("marketing-automation", "sales", "operators");
    assertThat(c.smtp.transport).isEqualTo("starttls");
    assertThat(c.events.maxClockSkew()).isEqualTo(java.time.Duration.ofMinutes(5));
    NurtureConfiguration skewed = factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_EVENTS_MAX_CLOCK_SKEW", "90s"))), example.toString());
    assertThat(skewed.events.maxClockSkew()).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "k".repeat(40), "NURTURE_EVENTS_MAX_CLOCK_SKEW", "2d"))), example.toString()))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("events.maxClockSkew");
    assertThat(c.database.getCheckConnectionOnBorrow()).isTrue();
    assertThat(c.database.getValidationInterval()).isEqualTo(io.dropwizard.util.Duration.milliseconds(50));

    assertThatThrownBy(() -> factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
        env(Map.of("NURTURE_SIGNING_KEY", "short", "NURTURE_PUBLIC_URL", "http://nurture.example.com"))), example.toString()))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("mail.signingKey must be at least 32 characters")
        .hasMessageContaining("mail.publicUrl must be an https URL");
  }
}
