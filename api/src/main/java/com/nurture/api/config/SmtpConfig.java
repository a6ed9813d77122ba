package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.nurture.activities.mail.SendRateLimiter;
import com.nurture.activities.mail.SmtpPool;
import com.nurture.activities.mail.SmtpServer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

public class SmtpConfig {
  @NotBlank
  @JsonProperty
  public String host = "localhost";

  @Min(1)
  @Max(65535)
  @JsonProperty
  public int port = 25;

  @JsonProperty
  public String username = "";

  @JsonProperty
  public String password = "";

  /** smtp (plain), starttls or smtps. */
  @Pattern(regexp = "smtp|starttls|smtps")
  @JsonProperty
  public String transport = "starttls";

  /** The connection pool every Mailer keeps (Simple Java Mail's batch module). */
  @Valid @NotNull
  @JsonProperty
  public Pool pool = new Pool();

  /** Sends per second, over all workers (0 / none: no limit). */
  @Valid @NotNull
  @JsonProperty("rate_limit")
  public RateLimit rateLimit = new RateLimit();

  public static class Pool {
    /** Connections kept open while idle. */
    @Min(0) @Max(100)
    @JsonProperty("core_size")
    public int coreSize = SmtpPool.DEFAULT.coreSize();

    /** The most connections open to the server at once, per worker. */
    @Min(1) @Max(100)
    @JsonProperty("max_size")
    public int maxSize = SmtpPool.DEFAULT.maxSize();

    /** How long a send waits for a free connection before it fails (and is retried). */
    @NotNull
    @DurationMin(seconds = 1, message = "must be at least 1s")
    @JsonDeserialize(using = DurationTextDeserializer.class)
    @JsonProperty("claim_timeout")
    public Duration claimTimeout = SmtpPool.DEFAULT.claimTimeout();

    /** An idle connection is closed after this long. */
    @NotNull
    @DurationMin(seconds = 1, message = "must be at least 1s")
    @JsonDeserialize(using = DurationTextDeserializer.class)
    @JsonProperty("expire_after")
    public Duration expireAfter = SmtpPool.DEFAULT.expireAfter();
  }

  public static class RateLimit {
    /** Sends per second over all recipients and workers (0: no limit). */
    @Min(0)
    @JsonProperty("per_second")
    public int perSecond;

    /** Sends per second to one recipient domain, e.g. {gmail.com: 20}. */
    @NotNull
    @JsonProperty("per_domain")
    public Map<@NotBlank String, @Min(1) Integer> perDomain = new LinkedHashMap<>();

    /** How long a send waits for a slot before it fails as transient (Temporal retries it). */
    @NotNull
    @DurationMin(seconds = 1, message = "must be at least 1s")
    @JsonDeserialize(using = DurationTextDeserializer.class)
    @JsonProperty("max_wait")
    public Duration maxWait = Duration.ofSeconds(20);

    public SendRateLimiter.Limits limits() {
      Map<String, Integer> domains = new LinkedHashMap<>();
      perDomain.forEach((d, v) -> domains.put(d.trim().toLowerCase(java.util.Locale.ROOT), v));
      return new SendRateLimiter.Limits(perSecond, domains);
    }
  }

  public SmtpPool poolSettings() {
    return new SmtpPool(pool.coreSize, pool.maxSize, pool.claimTimeout, pool.expireAfter);
  }

  public SmtpServer server() {
    return new SmtpServer(host, port, username == null ? "" : username, password == null ? "" : password, transport);
  }
}
