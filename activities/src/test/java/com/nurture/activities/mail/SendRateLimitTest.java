package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.LeadDao;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The configured send rate holds when many sends run at once: arrivals are counted per second at
 * the SMTP server (GreenMail), for the global limit and for a recipient domain's.
 */
class SendRateLimitTest {
  private final Jdbi jdbi = TestDatabase.jdbi();
  private GreenMail smtp;
  /** When each message reached the SMTP server, and its recipient's domain. */
  private record Arrival(long at, String domain) {}

  private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean watching = true;
  private Thread watcher;

  @BeforeEach
  void setUp() {
    smtp = TestSmtp.start();
    // Notes when each message reaches the SMTP server (polled every 10 ms).
    watcher = new Thread(() -> {
      int seen = 0;
      while (watching) {
        var received = smtp.getReceivedMessages();
        long now = System.currentTimeMillis();
        for (; seen < received.length; seen++) {
          try {
            String to = received[seen].getAllRecipients()[0].toString();
            arrivals.add(new Arrival(now, to.substring(to.indexOf('@') + 1).replace(">", "")));
          } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
          }
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    watcher.start();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    watching = false;
    watcher.join();
    smtp.stop();
  }

  private SmtpEmailActivities activities(SendRateLimiter.Limits limits) {
    return new SmtpEmailActivities(jdbi, new TemplateCatalog(), new UnsubscribeTokens(TestMail.SIGNING_KEY),
        TestMail.settings(URI.create("https://nurture.acme.example")),
        new SmtpServer("127.0.0.1", smtp.getSmtp().getPort(), "", "", "smtp").mailer(java.util.Optional.empty(),
            SmtpPool.DEFAULT, new SendRateLimiter(jdbi, limits, Duration.ofSeconds(30))), Clock.systemUTC());
  }

  private String lead(String domain) {
    String id = "rate-" + UUID.randomUUID();
    jdbi.onDemand(LeadDao.class).upsert(id, id + "@" + domain, "Europe/London", "opt_in", Map.of("first_name", "Pat"));
    return id;
  }

  /** Sends one email to each lead from 6 threads at once; answers when all were accepted. */
  private void sendAll(SmtpEmailActivities activities, List<String> leads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<SendOutcome>> sends = new ArrayList<>();
      for (String lead : leads) {
        sends.add(pool.submit(() -> activities.sendEmail(
            new SendRequest(lead, "run-1", "onboarding", 1, "welcome", 1, "onboarding-welcome"))));
      }
      for (Future<SendOutcome> f : sends) {
        assertThat(f.get().status()).isEqualTo(SendOutcome.Status.SENT);
      }
    } finally {
      pool.shutdownNow();
    }
    Thread.sleep(100);
  }

  /** How many arrived in each second of the clock (to {@code domain}, or all when null). */
  private Map<Long, Integer> perSecond(String domain) {
    Map<Long, Integer> buckets = new TreeMap<>();
    synchronized (arrivals) {
      arrivals.stream().filter(a -> domain == null || a.domain().equals(domain))
          .forEach(a -> buckets.merge(a.at() / 1000, 1, Integer::sum));
    }
    return buckets;
  }

  private Duration spread(String domain) {
    synchronized (arrivals) {
      List<Long> times = arrivals.stream().filter(a -> domain == null || a.domain().equals(domain)).map(Arrival::at).toList();
      return Duration.ofMillis(Collections.max(times) - Collections.min(times));
    }
  }

  @Test
  void theGlobalLimitSpreadsABurstOverSeconds() throws Exception {
    List<String> leads = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      leads.add(lead("example.com"));
    }
    sendAll(activities(new SendRateLimiter.Limits(4, Map.of())), leads);

    assertThat(arrivals).hasSize(12);
    // 12 sends at 4 a second need at least three seconds of the clock, so more than one second from first to last
    // (unlimited, the pooled connections deliver all 12 within a few hundred milliseconds).
    assertThat(perSecond(null)).as("arrivals per second").hasSizeGreaterThanOrEqualTo(3);
    assertThat(spread(null)).as("arrivals per second: " + perSecond(null)).isGreaterThan(Duration.ofMillis(1_000));
    // A send that took its slot at the very end of a second may reach the server in the next one: one over, at most.
    assertThat(perSecond(null).values()).as("arrivals per second").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(5));
  }

  @Test
  void aDomainLimitHoldsForThatDomainOnly() throws Exception {
    List<String> leads = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      leads.add(lead("slow.example"));
    }
    for (int i = 0; i < 6; i++) {
      leads.add(lead("fast.example"));
    }
    sendAll(activities(new SendRateLimiter.Limits(0, Map.of("slow.example", 1))), leads);

    assertThat(arrivals).hasSize(9);
    // 3 sends to slow.example at 1 a second land in three seconds of the clock; fast.example is not held back.
    assertThat(perSecond("slow.example")).as("slow.example per second").hasSizeGreaterThanOrEqualTo(3);
    assertThat(spread("slow.example")).as("slow.example per second: " + perSecond("slow.example"))
        .isGreaterThan(Duration.ofMillis(1_000));
    assertThat(perSecond("slow.example").values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
    assertThat(spread("fast.example")).as("fast.example per second: " + perSecond("fast.example"))
        .isLessThan(Duration.ofMillis(1_500));
  }
}
