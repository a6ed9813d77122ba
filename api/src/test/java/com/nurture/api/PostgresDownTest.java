package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.FreePort;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.EmbeddedDatabase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL stops under the API (the server role, on its own embedded PostgreSQL): every call
 * answers 503 problem+json with Retry-After at once (the pool's and the driver's bounded waits),
 * never a 500 or a hang; the health check names the database; when it is back, so is the API.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PostgresDownTest {
  private static final Logger log = LoggerFactory.getLogger(PostgresDownTest.class);
  private static final Path PG_DATA = TestApi.tempDirectory("nurture-pg-down");
  private static final int PG_PORT = FreePort.take();
  private static volatile EmbeddedDatabase postgres = EmbeddedDatabase.persistent(PG_DATA, PG_PORT);
  private static final GreenMail SMTP = TestSmtp.start();

  /** The API alone, as production runs it. */
  public static class ServerOnly extends NurtureApplication {
    public ServerOnly() {
      role(Role.SERVER);
    }
  }

  static final DropwizardAppExtension<NurtureConfiguration> APP = new DropwizardAppExtension<>(ServerOnly.class,
      ResourceHelpers.resourceFilePath("api-test.yml"),
      ConfigOverride.config("database.url", postgres.jdbcUrl()),
      ConfigOverride.config("smtp.port", String.valueOf(SMTP.getSmtp().getPort())));
  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() throws IOException {
    API.close();
    SMTP.stop();
    postgres.close();
    try (Stream<Path> files = Files.walk(PG_DATA)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void withPostgresDownEveryCallIsA503WithRetryAfterAndTheHealthCheckSaysSo() {
    String id = TestApi.newId("pg-down");
    API.json(API.call("/v1/leads/" + id, MA).put(Entity.json(Map.of("email", id + "@example.com", "consent", "opt_in"))),
        201);

    postgres.close();
    Map<String, Function<Invocation.Builder, Response>> calls = new LinkedHashMap<>();
    calls.put("GET /v1/leads/" + id, b -> b.get());
    calls.put("PUT /v1/leads/" + id, b -> b.put(Entity.json(Map.of("email", id + "@example.com", "consent", "opt_in"))));
    calls.put("POST /v1/leads/" + id + "/events", b -> b.post(Entity.json(Map.of("id", "e1", "type", "page_visited"))));
    calls.put("POST /v1/leads/" + id + "/journey", b -> b.post(Entity.json(Map.of("program", "onboarding"))));
    calls.put("GET /v1/journeys", b -> b.get());
    calls.put("GET /v1/alerts", b -> b.get());
    calls.put("GET /v1/leads/" + id + "/timeline", b -> b.get());
    for (Map.Entry<String, Function<Invocation.Builder, Response>> call : calls.entrySet()) {
      String path = call.getKey().substring(call.getKey().indexOf(' ') + 1);
      String key = call.getKey().startsWith("GET") ? OPS : MA;
      Instant asked = Instant.now();
      Response r = call.getValue().apply(API.call(path, key));
      String body = r.readEntity(String.class);
      log.info("{} with PostgreSQL down: {} in {} ms", call.getKey(), r.getStatus(),
          Duration.between(asked, Instant.now()).toMillis());
      assertThat(r.getStatus()).as(call.getKey() + ": " + body).isEqualTo(503);
      assertThat(r.getMediaType().toString()).as(call.getKey()).startsWith("application/problem+json");
      assertThat(r.getHeaderString("Retry-After")).as(call.getKey()).isEqualTo("5");
      assertThat(API.read(body).path("status").asInt()).isEqualTo(503);
    }
    JsonNode batch = API.json(API.call("/v1/events:batch", MA).post(Entity.json(Map.of("events", List.of(
        Map.of("lead_id", id, "id", "b1", "type", "page_visited"))))), 200);
    assertThat(batch.path("results").get(0).path("status").asInt()).as(batch.toString()).isEqualTo(503);

    JsonNode health = API.read(API.client().target("http://localhost:" + APP.getAdminPort() + "/healthcheck")
        .request().get().readEntity(String.class));
    assertThat(health.path("postgresql").path("healthy").asBoolean()).as(health.toString()).isFalse();
    assertThat(health.path("temporal").path("healthy").asBoolean()).as(health.toString()).isTrue();

    postgres = EmbeddedDatabase.persistent(PG_DATA, PG_PORT);
    await().atMost(Duration.ofSeconds(10)).until(() -> API.call("/v1/leads/" + id, OPS).get().getStatus() == 200);
    API.json(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of("id", "e1", "type", "page_visited"))),
        202);
  }


}
