package com.nurture.api.bench;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.nurture.activities.TestMail;
import com.nurture.activities.mail.EmailRenderer;
import com.nurture.activities.mail.EmailTemplate;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.MessageLinks;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.activities.mail.UnsubscribeTokens;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a send's rendering costs the thread that sends, without a database or SMTP server (not run by
 * the suite; docs/benchmarks.md, "2026-12-07 15:07-15:40"): the SMTP stage's email
 * ({@code onboarding-welcome}, as {@code SmtpStageBench} sends it) rendered as the send activity does,
 * with its unsubscribe token, its tracked links and footer, beside the raw baseline of Mustache alone
 * executing the same template's three parts with the same values. Rounds alternate the two; each prints
 * the calling thread's CPU time a call.
 *
 * <pre>cd api && java -cp "$BENCH_CP" com.nurture.api.bench.RenderBench [CALLS] [ROUNDS]</pre>
 */
public final class RenderBench {
  private RenderBench() {}

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    MailSettings settings = TestMail.settings(URI.create("https://nurture.acme.example"));
    EmailRenderer renderer = new EmailRenderer(settings);
    UnsubscribeTokens tokens = new UnsubscribeTokens(TestMail.SIGNING_KEY);
    EmailTemplate template = new TemplateCatalog().forLead("onboarding-welcome", Map.of()).orElseThrow();
    Map<String, Object> lead = Map.of("first_name", "Pat", "lead_id", "bench-lead", "email", "lead-1@example.com");
    // The baseline's values: the lead's, and what the renderer adds (its own sender map, so the baseline
    // does not run the code it is measured against).
    Map<String, Object> scope = new HashMap<>(lead);
    scope.put("greeting_name", lead.get("first_name"));
    scope.put("sender", Map.of("name", settings.fromName(), "company", settings.company(),
        "product", settings.product(), "postal_address", settings.postalAddress(), "resource_url",
        settings.resourceUrl()));
    scope.put("unsubscribe_url", settings.unsubscribeUrl("u3.k1.token"));
    DefaultMustacheFactory factory = new DefaultMustacheFactory();
    List<Mustache> parts = new ArrayList<>();
    parts.add(factory.compile(new StringReader(template.subject()), "subject"));
    parts.add(factory.compile(new StringReader(template.text()), "text"));
    template.html().ifPresent(h -> parts.add(factory.compile(new StringReader(h), "html")));

    Call nurture = i -> {
      String token = tokens.issue("bench-lead", "lead-1@example.com");
      MessageLinks links = new MessageLinks(new MessageLinks.Message("key-" + i, "<m" + i + "@acme.example>",
          "bench-lead", "onboarding", 1, "welcome", template.id(), ""), settings.publicUrl().toString(),
          settings.resourceUrl());
      return renderer.render(template, lead, settings.unsubscribeUrl(token), links).html().length();
    };
    Call raw = i -> {
      int length = 0;
      for (Mustache part : parts) {
        StringWriter out = new StringWriter();
        part.execute(out, List.of(scope));
        length += out.toString().length();
      }
      return length;
    };
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double[] nurtureMicros = new double[rounds];
    double[] rawMicros = new double[rounds];
    timed(cpu, nurture, calls); // warm-up, untimed
    timed(cpu, raw, calls);
    for (int r = 0; r < rounds; r++) {
      boolean rawFirst = r % 2 == 0;
      if (rawFirst) {
        rawMicros[r] = timed(cpu, raw, calls);
      }
      nurtureMicros[r] = timed(cpu, nurture, calls);
      if (!rawFirst) {
        rawMicros[r] = timed(cpu, raw, calls);
      }
      System.out.printf("  round %d: Nurture's render %.1f us of CPU a call, Mustache alone %.1f us%n", r,
          nurtureMicros[r], rawMicros[r]);
    }
    Arrays.sort(nurtureMicros);
    Arrays.sort(rawMicros);
    System.out.printf("render, %d calls a round, %d rounds: Nurture's render min %.1f / median %.1f us of CPU a call;"
        + " Mustache alone min %.1f / median %.1f us; Nurture's median %.2fx Mustache's%n", calls, rounds,
        nurtureMicros[0], nurtureMicros[rounds / 2], rawMicros[0], rawMicros[rounds / 2],
        nurtureMicros[rounds / 2] / rawMicros[rounds / 2]);
  }

  interface Call {
    int call(int i);
  }

  /** The calling thread's CPU time a call, in microseconds. */
  private static double timed(ThreadMXBean cpu, Call call, int calls) {
    long sink = 0;
    long start = cpu.getCurrentThreadCpuTime();
    for (int i = 0; i < calls; i++) {
      sink += call.call(i);
    }
    long spent = cpu.getCurrentThreadCpuTime() - start;
    if (sink == 0) {
      throw new IllegalStateException("nothing rendered");
    }
    return spent / 1e3 / calls;
  }
}
