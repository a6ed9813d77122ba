package com.nurture.activities.inbound;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an inbound email is: a person's reply (which pauses the journey), an auto-reply (recorded,
 * not acted on: RFC 3834 Auto-Submitted, X-Autoreply, X-Autorespond, Precedence bulk / auto_reply /
 * list, out-of-office subjects in English and Japanese), or a delivery status notification (a
 * multipart/report: a bounce, hard for a 5.x.x status). A reply's text loses the quoted history.
 */
public final class ReplyClassifier {
  /** What the email is. */
  public sealed interface Kind {
    record Reply(String text) implements Kind {}

    record AutoReply(String reason) implements Kind {}

    record Bounce(boolean hard, String status, String diagnostic) implements Kind {}
  }

  /** Out-of-office subjects (lower-cased), English and Japanese. */
  private static final List<String> OUT_OF_OFFICE = List.of("out of office", "out-of-office", "automatic reply",
      "auto reply", "auto-reply", "autoreply", "away from the office", "on vacation", "on leave", "ooo:",
      "不在", "自動返信", "自動応答", "休暇中", "外出中");
  private static final Pattern STATUS = Pattern.compile("(?im)^Status:\\s*([245]\\.\\d{1,3}\\.\\d{1,3})");
  private static final Pattern DIAGNOSTIC = Pattern.compile("(?im)^Diagnostic-Code:\\s*(.+)$");
  /** Where quoted history starts: "On ... wrote:", Outlook's separators, Japanese mailers' lines. */
  private static final Pattern HISTORY = Pattern.compile(
      "(?m)^(On .{4,200}wrote:\\s*$|-{2,}\\s*Original Message\\s*-{2,}|_{10,}\\s*$|From: .+$"
          + "|.{0,120}(さんは書きました|のメッセージ|wrote)\\s*[:：]\\s*$|-{2,}\\s*元のメッセージ\\s*-{2,}"
          // a mailer's attribution line in any language: a date (2026年3月3日, 3 Mar 2026...) or an
          // address in angle brackets, ending with a colon
          + "|\\d{4}年\\d{1,2}月\\d{1,2}日.{0,160}[:：]\\s*$|.{0,200}<[^<>@\\s]+@[^<>\\s]+>\\s*[:：]\\s*$)");
  static final int TEXT_KEPT = 2_000;

  private ReplyClassifier() {}

  public static Kind classify(InboundMail mail) {
    if (mail.report()) {
      Matcher status = STATUS.matcher(mail.deliveryStatus());
      String code = status.find() ? status.group(1) : "";
      Matcher diagnostic = DIAGNOSTIC.matcher(mail.deliveryStatus());
      return new Kind.Bounce(code.startsWith("5"), code, diagnostic.find() ? diagnostic.group(1).trim() : "");
    }
    Optional<String> auto = autoReply(mail);
    if (auto.isPresent()) {
      return new Kind.AutoReply(auto.get());
    }
    return new Kind.Reply(withoutHistory(mail.text()));
  }

  private static Optional<String> autoReply(InboundMail mail) {
    String submitted = mail.headers().getOrDefault("auto-submitted", "no").toLowerCase(Locale.ROOT);
    if (!submitted.startsWith("no")) {
      return Optional.of("Auto-Submitted: " + submitted);
    }
    if (mail.headers().containsKey("x-autoreply")) {
      return Optional.of("X-Autoreply");
    }
    if (mail.headers().containsKey("x-autorespond")) {
      return Optional.of("X-Autorespond");
    }
    String precedence = mail.headers().getOrDefault("precedence", "").toLowerCase(Locale.ROOT);
    if (List.of("bulk", "auto_reply", "list", "junk").contains(precedence)) {
      return Optional.of("Precedence: " + precedence);
    }
    String subject = mail.subject().toLowerCase(Locale.ROOT);
    return OUT_OF_OFFICE.stream().filter(subject::contains).findFirst().map(s -> "out-of-office subject (" + s + ")");
  }

  /** The reply without the history it quotes (quoted lines, and everything from "On ... wrote:" on). */
  static String withoutHistory(String text) {
    String body = text.replace("\r\n", "\n");
    Matcher history = HISTORY.matcher(body);
    if (history.find()) {
      body = body.substring(0, history.start());
    }
    StringBuilder kept = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      if (!line.stripLeading().startsWith(">")) {
        kept.append(line).append('\n');
      }
    }
    String reply = kept.toString().strip();
    return reply.length() > TEXT_KEPT ? reply.substring(0, TEXT_KEPT) + "..." : reply;
  }
}
