package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile input is refused cheaply: a body over limits.max_body_size (1 MiB) is a 413 before it is
 * read, declared or chunked, and nothing is stored; free-form objects over their caps and
 * occurred_at outside [2000, now + 5 min] are 422s naming the field and the limit.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HostileInputTest {
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);
  private static final TestApi API = new TestApi(APP);
  private static final Jdbi DB = TestDatabase.jdbi();
  private static final int MIB = 1024 * 1024;

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static int storedEvents(String leadId) {
    return DB.withHandle(h -> h.createQuery("SELECT count(*) FROM events WHERE lead_id = :id").bind("id", leadId)
        .mapTo(Integer.class).one());
  }

  /** A 20 MB event whose Content-Length says so: 413 problem+json after the client sent 64 KiB of it. */
  @Test
  void aTwentyMegabyteBodyIs413UnreadAndNothingIsStored() throws IOException {
    String id = API.lead(TestApi.newId("huge") + "@example.com", Map.of());
    String start = "{\"id\":\"big-1\",\"type\":\"page_visited\",\"properties\":{\"blob\":\"";
    int length = 20 * 1000 * 1000;
    Raw answer = raw("POST /v1/leads/" + id + "/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + MA
        + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n", out -> {
          out.write(start.getBytes(StandardCharsets.UTF_8));
          out.write("x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII));
        });
    assertThat(answer.status()).as(answer.text()).isEqualTo(413);
    assertThat(answer.text()).contains("application/problem+json").contains("\"status\":413")
        .contains(MIB + " bytes").contains("limits.max_body_size");
    assertThat(storedEvents(id)).isZero();
  }

  @Test
  void aChunkedBodyIsCountedAndRefusedPastTheLimit() throws IOException {
    String id = API.lead(TestApi.newId("chunked") + "@example.com", Map.of());
    String head = "POST /v1/leads/" + id + "/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + MA
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    Raw tooBig = raw(head, out -> {
      chunk(out, "{\"id\":\"chunk-1\",\"type\":\"page_visited\",\"properties\":{\"blob\":\"");
      for (int i = 0; i < 17; i++) {
        chunk(out, "x".repeat(64 * 1024));
      }
      chunk(out, "\"}}");
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    });
    assertThat(tooBig.status()).as(tooBig.text()).isEqualTo(413);
    assertThat(tooBig.text()).contains("application/problem+json");
    assertThat(storedEvents(id)).isZero();

    Raw small = raw(head, out -> {
      chunk(out, "{\"id\":\"chunk-2\",\"type\":");
      chunk(out, "\"page_visited\"}");
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    });
    assertThat(small.status()).as("a chunked body under the limit is taken: " + small.text()).isEqualTo(202);
    assertThat(storedEvents(id)).isEqualTo(1);
  }

  @Test
  void eventPropertiesOverTheirCapsAre422NamingFieldAndLimit() {
    String id = API.lead(TestApi.newId("caps") + "@example.com", Map.of());
    Map<String, Object> many = new LinkedHashMap<>();
    for (int i = 0; i < 101; i++) {
      many.put("p" + i, i);
    }
    assertThat(refused(id, Map.of("id", "e1", "type", "page_visited", "properties", many)))
        .containsExactly("properties");
    Map<String, Object> deep = Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", Map.of("f", 1))))));
    assertThat(refused(id, Map.of("id", "e2", "type", "page_visited", "properties", deep)))
        .containsExactly("properties.a.b.c.d.e");
    assertThat(refused(id, Map.of("id", "e3", "type", "page_visited", "properties", Map.of("note", "n".repeat(10_001)))))
        .containsExactly("properties.note");
    assertThat(refused(id, Map.of("id", "e4", "type", "page_visited", "properties", Map.of("k", Map.of("x".repeat(65), 1)))))
        .containsExactly("properties.k.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...");
    assertThat(storedEvents(id)).isZero();
  }

  @Test
  void occurredAtIsBoundedToThisCentury() {
    String id = API.lead(TestApi.newId("when") + "@example.com", Map.of());
    assertThat(refused(id, Map.of("id", "old", "type", "page_visited", "occurred_at", "1999-12-31T23:59:59Z")))
        .containsExactly("occurred_at");
    assertThat(refused(id, Map.of("id", "future", "type", "page_visited", "occurred_at", "2099-01-01T00:00:00Z")))
        .containsExactly("occurred_at");
    API.json(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of("id", "y2k", "type", "page_visited",
        "occurred_at", "2000-01-01T00:00:00Z"))), 202);
    assertThat(storedEvents(id)).isEqualTo(1);
  }

  @Test
  void leadAttributesHaveTheSameCapsSingleAndInABatch() {
    String id = TestApi.newId("attrs");
    Map<String, Object> deep = Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", Map.of("f", 1))))));
    assertThat(API.problemFields(API.call("/v1/leads/" + id, MA).put(Entity.json(Map.of("email", id + "@example.com",
        "consent", "opt_in", "attributes", deep))))).containsExactly("attributes.a.b.c.d.e");
    JsonNode batch = API.json(API.call("/v1/leads:batch", MA).put(Entity.json(Map.of("leads", List.of(
        Map.of("id", id, "email", id + "@example.com", "consent", "opt_in", "attributes", deep),
        Map.of("id", id + "-ok", "email", id + "-ok@example.com", "consent", "opt_in"))))), 200);
    assertThat(batch.path("results").get(0).path("status").asInt()).isEqualTo(422);
    assertThat(batch.path("results").get(0).path("problem").path("errors").get(0).path("field").asText())
        .isEqualTo("attributes.a.b.c.d.e");
    assertThat(batch.path("results").get(1).path("status").asInt()).isEqualTo(201);
    API.json(API.call("/v1/leads/" + id, MA).get(), 404);
  }

  private static List<String> refused(String leadId, Map<String, Object> event) {
    return API.problemFields(API.call("/v1/leads/" + leadId + "/events", MA).post(Entity.json(event)));
  }

  private static void chunk(OutputStream out, String data) throws IOException {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** An HTTP answer read off the socket: its status and the whole text (headers and body). */
  private record Raw(int status, String text) {}

  /** One request over a plain socket; the server may close while the body is still being sent. */
  private static Raw raw(String head, Body body) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), APP.getLocalPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        body.write(out);
        out.flush();
      } catch (SocketException e) {
        // the server answered and closed before taking the rest: read its answer
      }
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[16 * 1024];
      StringBuilder text = new StringBuilder();
      int n;
      while (!text.toString().contains("\r\n\r\n") || !complete(text)) {
        n = in.read(buffer);
        if (n < 0) {
          break;
        }
        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      String answer = text.toString();
      return new Raw(Integer.parseInt(answer.substring(9, 12)), answer);
    }
  }

  /** Whether the answer's body is all there (by Content-Length, or the end of a chunked body). */
  private static boolean complete(StringBuilder text) {
    String s = text.toString();
    int end = s.indexOf("\r\n\r\n");
    String headers = s.substring(0, end).toLowerCase();
    int at = headers.indexOf("content-length:");
    if (at >= 0) {
      int length = Integer.parseInt(headers.substring(at + 15).split("\r\n")[0].trim());
      return s.length() - end - 4 >= length;
    }
    return s.endsWith("0\r\n\r\n");
  }
}
