package com.nurture.activities.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.LeadDao;
import com.nurture.workflows.activities.SendRequest;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;
import org.simplejavamail.api.mailer.config.TransportStrategy;

/**
 * The SMTP stage of a send, beside raw baselines on the same SMTP server (GreenMail) in the same
 * run (bench/smtp-stage.sh): Nurture's SendEmail activity (ledger claim, render, DKIM-free send
 * over the pool, ledger outcome: what a journey's send costs apart from Temporal) from 4 threads,
 * a raw Simple Java Mail loop on one pooled connection, a raw loop over 4 pooled connections from
 * 4 threads, and a raw loop opening a connection per email (how Nurture sent before pooling).
 */
public final class SmtpStageBench {
  private SmtpStageBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    GreenMail smtp = TestSmtp.start();
    int port = smtp.getSmtp().getPort();
    Jdbi jdbi = TestDatabase.jdbi();
    try {
      SmtpServer server = new SmtpServer("127.0.0.1", port, "", "", "smtp");
      // Warm-up: JIT, the pool, the template cache.
      rawLoop(server.mailer(Optional.empty(), new SmtpPool(0, 1, java.time.Duration.ofSeconds(30),
          java.time.Duration.ofSeconds(30))), 200, 1);
      double onePooled = rawLoop(server.mailer(Optional.empty(), new SmtpPool(0, 1, java.time.Duration.ofSeconds(30),
          java.time.Duration.ofSeconds(30))), n, 1);
      double fourPooled = rawLoop(server.mailer(Optional.empty(), SmtpPool.DEFAULT), n, 4);
      double perEmail = rawLoop(connectionPerEmail(port), Math.min(n, 500), 1);
      double nurture = activityLoop(jdbi, server.mailer(Optional.empty(), SmtpPool.DEFAULT), n, 4);
      System.out.printf("SMTP stage, %d emails each (GreenMail on this machine):%n", n);
      System.out.printf("  raw loop, one pooled connection, 1 thread      %8.0f emails/s%n", onePooled);
      System.out.printf("  raw loop, 4 pooled connections, 4 threads     %8.0f emails/s%n", fourPooled);
      System.out.printf("  raw loop, a new connection per email          %8.0f emails/s%n", perEmail);
      System.out.printf("  Nurture SendEmail activity, pool of 4, 4 thr. %8.0f emails/s  = %.2fx the raw pooled loop (4 threads),"
          + " %.2fx one connection%n", nurture, nurture / fourPooled, nurture / onePooled);
    } finally {
      smtp.stop();
    }
    System.exit(0);
  }

  private static Mailer connectionPerEmail(int port) {
    // The batch module is on the classpath, so a plain Mailer pools too: a pool that never keeps a
    // connection past its email (expire after 1 ms, core 0) is the old behaviour.
    return MailerBuilder.withSMTPServer("127.0.0.1", port).withTransportStrategy(TransportStrategy.SMTP)
        .withConnectionPoolCoreSize(0).withConnectionPoolMaxSize(1).withConnectionPoolExpireAfterMillis(1)
        .buildMailer();
  }

  private static double rawLoop(Mailer mailer, int n, int threads) throws Exception {
    return timed(n, threads, i -> SmtpEmailActivities.sendAndWait(mailer, EmailBuilder.startingBlank()
        .from("Ana", "ana@acme.example").to("lead-" + i + "@example.com").withSubject("Welcome - what to expect")
        .withPlainText("Hi,\n\nA raw baseline email of about the size of a nurture email.\n".repeat(20))
        .withHTMLText("<p>Hi,</p>" + "<p>A raw baseline email of about the size of a nurture email.</p>".repeat(20))
        .buildEmail()));
  }

  private static double activityLoop(Jdbi jdbi, Mailer mailer, int n, int threads) throws Exception {
    SmtpEmailActivities activities = new SmtpEmailActivities(jdbi, new TemplateCatalog(),
        new UnsubscribeTokens(TestMail.SIGNING_KEY), TestMail.settings(URI.create("https://nurture.acme.example")),
        mailer, Clock.systemUTC());
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> leads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "bench-" + run + "-" + i;
      jdbi.onDemand(LeadDao.class).upsert(id, id + "@example.com", "Europe/London", "opt_in", Map.of("first_name", "Pat"));
      leads.add(id);
    }
    return timed(n, threads, i -> activities.sendEmail(
        new SendRequest(leads.get(i), "run-1", "onboarding", 1, "welcome", 1, "onboarding-welcome")));
  }

  private interface Send {
    void send(int i) throws Exception;
  }

  private static double timed(int n, int threads, Send send) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      all.add(pool.submit(() -> {
        send.send(k);
        return null;
      }));
    }
    for (Future<?> f : all) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return n / seconds;
  }
}
