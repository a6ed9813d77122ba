package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.api.intake.IntakeSignatures;
import com.nurture.api.metrics.Scrape;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POST /v1/intake/{source} with each MA system's recorded payload shape (src/test/resources/intake),
 * mapped as api-test.yml's intake section says: the lead upserted, the event its form, campaign or
 * event name maps to, the enrolment; and a call without valid proof refused with 401, nothing stored.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MaIntakeTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);

  private static final TestApi API = new TestApi(APP);
  private static final Jdbi DB = TestDatabase.jdbi();
  private static final IntakeCalls INTAKE = new IntakeCalls(API);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static String unique() {
    return String.valueOf(ThreadLocalRandom.current().nextLong(10_000_000L, 99_999_999L));
  }

  private static int leadRows(String where, String value) {
    return DB.withHandle(h -> h.createQuery("SELECT count(*) FROM leads WHERE " + where + " = :v").bind("v", value)
        .mapTo(Integer.class).one());
  }

  private static JsonNode event(String leadId, String type) {
    return API.read(DB.withHandle(h -> h.createQuery("SELECT json_build_object('id', id, 'occurred_at', occurred_at, "
            + "'properties', properties)::text FROM events WHERE lead_id = :l AND type = :t").bind("l", leadId).bind("t", type)
        .mapTo(String.class).findOne().orElse("null")));
  }

  /** The workflow queries this app made, as the Temporal SDK's metrics report them (every 5 s). */
  private static double queriesReported() throws InterruptedException {
    Thread.sleep(6_000); // a report of the SDK's metrics after every call made before this one
    String text = API.client().target("http://localhost:" + APP.getAdminPort() + "/prometheus").request().get()
        .readEntity(String.class);
    return Scrape.parse(text).sum("temporal_request_total", Map.of("operation", "QueryWorkflow"));
  }

  @Test
  void aHubSpotWorkflowWebhookSignedV3UpsertsRecordsTheFormAndEnrols() throws Exception {
    String vid = unique();
    String email = "morgan." + vid + "@initech.example";
    String body = IntakeCalls.recorded("hubspot-workflow-contact.json").replace("3234574", vid)
        .replace("morgan.reyes@initech.example", email);
    long now = Instant.now().toEpochMilli();

    JsonNode answer = API.json(INTAKE.hubspot(body, IntakeCalls.hubspotSignature(body, now), now), 200);
    String leadId = "hubspot-" + vid;
    assertThat(answer.path("lead_id").asText()).isEqualTo(leadId);
    assertThat(answer.path("lead").asText()).isEqualTo("created");
    assertThat(answer.path("event").path("type").asText()).isEqualTo("content_downloaded");
    assertThat(answer.path("enrolment").path("program").asText()).isEqualTo("onboarding");
    assertThat(answer.path("enrolment").path("status").asInt()).isEqualTo(201);
    JsonNode lead = API.json(API.call("/v1/leads/" + leadId, MA).get(), 200);
    assertThat(lead.path("email").asText()).isEqualTo(email);
    assertThat(lead.path("attributes").path("first_name").asText()).isEqualTo("Morgan");
    assertThat(lead.path("attributes").path("role").asText()).isEqualTo("Head of Sales Operations");
    JsonNode stored = event(leadId, "content_downloaded");
    assertThat(Instant.parse(stored.path("occurred_at").asText().replace("+00:00", "Z")))
        .as("when HubSpot says the form was sent").isEqualTo(Instant.ofEpochMilli(1764500000000L));
    assertThat(stored.path("properties").path("name").asText()).isEqualTo("Pricing guide download");

    // HubSpot retries a call it thinks failed: the same contact JSON is the same event, and the same journey.
    double queries = queriesReported();
    long later = Instant.now().toEpochMilli();
    JsonNode again = API.json(INTAKE.hubspot(body, IntakeCalls.hubspotSignature(body, later), later), 200);
    assertThat(again.path("lead").asText()).isEqualTo("updated");
    assertThat(again.path("event").path("duplicate").asBoolean()).isTrue();
    assertThat(again.path("enrolment").path("status").asInt()).isEqualTo(200);
    // An enrolled lead's call asks its journey nothing (a query is a task for a worker); an operator's
    // view of the journey does, which shows the count sees queries.
    API.journey(leadId);
    assertThat(queriesReported() - queries).as("workflow queries: the view's only").isEqualTo(1.0);
  }

  @Test
  void aHubSpotCallWithABadOrStaleSignatureIsRefusedAndStoresNothing() throws Exception {
    String vid = unique();
    String body = IntakeCalls.recorded("hubspot-workflow-contact.json").replace("3234574", vid);
    long now = Instant.now().toEpochMilli();
    String forged = body.replace("Initech", "Evil Corp");

    Response tampered = INTAKE.hubspot(forged, IntakeCalls.hubspotSignature(body, now), now);
    assertThat(tampered.getStatus()).isEqualTo(401);
    assertThat(tampered.getMediaType().toString()).startsWith("application/problem+json");
    long stale = now - 6 * 60_000;
    assertThat(INTAKE.hubspot(body, IntakeCalls.hubspotSignature(body, stale), stale).getStatus()).as("older than 5 minutes").isEqualTo(401);
    assertThat(INTAKE.hubspot(body, "", now).getStatus()).isEqualTo(401);
    String otherSecret = IntakeSignatures.hubspotSignature("another-secret", "POST", IntakeCalls.HUBSPOT_URI,
        body.getBytes(StandardCharsets.UTF_8), String.valueOf(now));
    assertThat(INTAKE.hubspot(body, otherSecret, now).getStatus()).isEqualTo(401);
    assertThat(leadRows("id", "hubspot-" + vid)).isZero();
  }

  @Test
  void aMarketoWebhookWithTheSharedTokenMapsTheCampaignToAnEvent() throws Exception {
    String id = unique();
    String email = "kim." + id + "@globalparts.example";
    String body = IntakeCalls.recorded("marketo-webhook.json").replace("1048576", id).replace("kim.tanaka@globalparts.example", email);

    Response wrong = API.call("/v1/intake/marketo", null).header("X-Nurture-Token", "guess")
        .post(Entity.entity(body, "application/json"));
    assertThat(wrong.getStatus()).isEqualTo(401);
    assertThat(API.call("/v1/intake/marketo", null).post(Entity.entity(body, "application/json")).getStatus())
        .isEqualTo(401);
    assertThat(leadRows("id", "marketo-" + id)).isZero();

    JsonNode answer = API.json(API.call("/v1/intake/marketo", null).header("X-Nurture-Token", "marketo-token-for-tests")
        .post(Entity.entity(body, "application/json")), 200);
    assertThat(answer.path("lead_id").asText()).isEqualTo("marketo-" + id);
    assertThat(answer.path("event").path("type").asText()).isEqualTo("webinar_registered");
    assertThat(answer.has("enrolment")).isFalse();
    JsonNode lead = API.json(API.call("/v1/leads/marketo-" + id, MA).get(), 200);
    assertThat(lead.path("consent").asText()).isEqualTo("opt_in");
    assertThat(lead.path("attributes").path("company").asText()).isEqualTo("Global Parts");
    assertThat(event("marketo-" + id, "webinar_registered").path("properties").path("name").asText())
        .isEqualTo("Webinar Registration - Q4");

    // The token may ride on the URL instead (Marketo webhooks without a custom header).
    JsonNode ok = API.json(API.client().target("http://localhost:" + APP.getLocalPort()).path("/v1/intake/marketo")
        .queryParam("token", "marketo-token-for-tests").request()
        .post(Entity.entity(body.replace("Webinar Registration - Q4", "Unmapped campaign"), "application/json")), 200);
    assertThat(ok.path("lead").asText()).isEqualTo("updated");
    assertThat(ok.has("event")).as("a campaign the mapping does not name only updates the lead").isFalse();
  }

  @Test
  void anAccountEngagementFormHandlerForwardMergesIntoTheLeadWithThatAddress() throws Exception {
    String n = unique();
    String email = "ali." + n + "@northwind.example";
    String existing = API.lead(email, Map.of("attributes", Map.of("plan", "enterprise"), "timezone", "Asia/Tokyo"));
    String body = IntakeCalls.recorded("pardot-form-handler.txt").replace("ali.khan%40northwind.example", "ali." + n + "%40northwind.example");

    Response refused = API.client().target("http://localhost:" + APP.getLocalPort()).path("/v1/intake/pardot")
        .queryParam("token", "wrong").queryParam("form", "Pricing Guide").request()
        .post(Entity.entity(body, "application/x-www-form-urlencoded"));
    assertThat(refused.getStatus()).isEqualTo(401);

    JsonNode answer = API.json(API.client().target("http://localhost:" + APP.getLocalPort()).path("/v1/intake/pardot")
        .queryParam("token", "pardot-token-for-tests").queryParam("form", "Pricing Guide").request()
        .post(Entity.entity(body, "application/x-www-form-urlencoded")), 200);
    assertThat(answer.path("lead_id").asText()).as("the lead Nurture has for that address").isEqualTo(existing);
    assertThat(answer.path("event").path("type").asText()).isEqualTo("content_downloaded");
    JsonNode lead = API.json(API.call("/v1/leads/" + existing, MA).get(), 200);
    assertThat(lead.path("attributes").path("role").asText()).isEqualTo("IT Director");
    assertThat(lead.path("attributes").path("comments").asText()).isEqualTo("Please send the guide");
    assertThat(lead.path("attributes").path("plan").asText()).as("what the form did not carry is kept").isEqualTo("enterprise");
    assertThat(lead.path("timezone").asText()).isEqualTo("Asia/Tokyo");
    assertThat(leadRows("lower(email)", email)).isEqualTo(1);
  }

  @Test
  void segmentIdentifyAndTrackSignedWithTheSharedSecret() throws Exception {
    String user = "usr_" + unique();
    String identify = IntakeCalls.recorded("segment-identify.json").replace("usr_97980cfea0067", user)
        .replace("jo.smith@contoso.example", user + "@contoso.example");
    String track = IntakeCalls.recorded("segment-track.json").replace("usr_97980cfea0067", user)
        .replace("ajs-next-1732094101", "ajs-" + user);

    Response forged = INTAKE.segment(track, IntakeSignatures.segmentSignature("segment-shared-secret-for-tests", identify.getBytes(StandardCharsets.UTF_8)));
    assertThat(forged.getStatus()).isEqualTo(401);
    assertThat(INTAKE.segment(identify, "").getStatus()).isEqualTo(401);
    assertThat(leadRows("id", user)).isZero();

    JsonNode who = API.json(INTAKE.segment(identify, IntakeCalls.segmentSignature(identify)), 200);
    assertThat(who.path("lead_id").asText()).isEqualTo(user);
    assertThat(who.path("lead").asText()).isEqualTo("created");
    assertThat(who.has("event")).as("identify carries no event").isFalse();
    JsonNode lead = API.json(API.call("/v1/leads/" + user, MA).get(), 200);
    assertThat(lead.path("attributes").path("company").asText()).isEqualTo("Contoso");
    assertThat(lead.path("attributes").path("plan").asText()).isEqualTo("trial");

    JsonNode did = API.json(INTAKE.segment(track, IntakeCalls.segmentSignature(track)), 200);
    assertThat(did.path("lead").asText()).as("a track names no traits: the lead is left as it is").isEqualTo("unchanged");
    assertThat(did.path("event").path("type").asText()).isEqualTo("demo_requested");
    JsonNode e = event(user, "demo_requested");
    assertThat(e.path("id").asText()).isEqualTo("segment-ajs-" + user + "-8c2f6d1e-4b7a-4a39-9f0e-2d5c8b3a1e77");
    assertThat(e.path("properties").path("plan").asText()).isEqualTo("Pro");
    assertThat(e.path("properties").path("seats").asInt()).isEqualTo(25);
    assertThat(API.json(INTAKE.segment(track, IntakeCalls.segmentSignature(track)), 200).path("event").path("duplicate").asBoolean()).isTrue();

    String stranger = track.replace(user, "usr_" + unique());
    assertThat(API.problemFields(INTAKE.segment(stranger, IntakeCalls.segmentSignature(stranger))))
        .as("a track for a lead Nurture does not know, without an address").containsExactly("email");
    assertThat(API.call("/v1/intake/mailchimp", null).post(Entity.json("{}")).getStatus()).isEqualTo(404);
  }
}
