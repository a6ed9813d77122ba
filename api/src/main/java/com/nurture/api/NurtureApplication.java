package com.nurture.api;

import com.nurture.api.core.StrategicAccounts;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.db.Database;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.activities.mail.UnsubscribeTokens;
import com.nurture.api.auth.ApiKeyPrincipal;
import com.nurture.api.auth.ApiKeys;
import com.nurture.api.cli.AllCommand;
import com.nurture.api.cli.ApiKeyCommand;
import com.nurture.api.cli.DevCommand;
import com.nurture.api.cli.SimulateCommand;
import com.nurture.api.cli.WorkerCommand;
import com.nurture.api.core.BatchIntake;
import com.nurture.api.core.EventIntake;
import com.nurture.api.core.LeadIntake;
import com.nurture.api.core.MaIntake;
import com.nurture.api.core.JourneyCommands;
import com.nurture.api.core.JourneyMirror;
import com.nurture.api.core.JourneyService;
import com.nurture.api.core.Simulator;
import com.nurture.api.core.TemporalConnection;
import com.nurture.api.core.TriggerRouter;
import com.nurture.api.dev.DevServices;
import com.nurture.api.errors.ProblemMappers;
import com.nurture.api.health.TemporalHealthCheck;
import com.nurture.api.health.WorkerHealthCheck;
import com.nurture.activities.mail.SendRateLimiter;
import com.nurture.api.metrics.LeadLogContext;
import com.nurture.api.metrics.PrometheusMetrics;
import com.nurture.api.metrics.StatementNames;
import com.nurture.api.resources.AlertResource;
import com.nurture.api.resources.BatchResource;
import com.nurture.api.resources.IntakeResource;
import com.nurture.api.resources.ConfirmResource;
import com.nurture.api.resources.DevMailboxResource;
import com.nurture.api.resources.LeadResource;
import com.nurture.api.resources.ProgramResource;
import com.nurture.api.resources.TrackingResource;
import com.nurture.api.resources.SuppressionResource;
import com.nurture.api.resources.UnsubscribeResource;
import com.nurture.worker.NurtureWorker;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import ch.qos.logback.access.jetty.RequestLogImpl;
import com.nurture.api.logging.AddressFreeRequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One jar, four roles: {@code server} (REST API), {@code worker} (Temporal worker), {@code all}
 * (both in one process, on the configured services), {@code dev} (both, on embedded PostgreSQL,
 * Temporal and SMTP). Plus {@code api-key}, {@code simulate} and Dropwizard's {@code check}.
 */
public class NurtureApplication extends Application<NurtureConfiguration> {
  private static final Logger log = LoggerFactory.getLogger(NurtureApplication.class);

  /** Which parts this process runs; set by the command. */
  public enum Role {
    /** REST API only. */
    SERVER,
    /** Temporal worker only. */
    WORKER,
    /** API and worker in one process, on the configured services: the {@code all} command (sign-ups start eagerly), API tests. */
    ALL,
    /** API and worker on embedded services. */
    DEV;

    boolean servesApi() {
      return this != WORKER;
    }

    boolean runsWorker() {
      return this != SERVER;
    }
  }

  private Role role = Role.SERVER;
  private DevServices dev;
  private TemporalConnection temporal;
  private PrometheusMetrics metrics;

  public static void main(String[] args) throws Exception {
    new NurtureApplication().run(args);
  }

  @Override
  public String getName() {
    return "nurture";
  }

  public void role(Role role) {
    this.role = role;
  }

  /** This process's Temporal connection, once running (for tests that act on workflows directly). */
  public TemporalConnection temporal() {
    return temporal;
  }

  /** This process's metrics registry, once running (for tests that read what was counted). */
  public PrometheusMetrics metrics() {
    return metrics;
  }

  /** The embedded services of a {@code dev} process (for tests of the dev role). */
  public DevServices devServices() {
    return dev;
  }

  @Override
  public void initialize(Bootstrap<NurtureConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
        bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false, true)));
    bootstrap.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    // A misspelt field ("fist_name") is an error naming it, not silently dropped data.
    bootstrap.getObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    bootstrap.addCommand(new DevCommand(this));
    bootstrap.addCommand(new WorkerCommand(this));
    bootstrap.addCommand(new AllCommand(this));
    bootstrap.addCommand(new ApiKeyCommand());
    bootstrap.addCommand(new SimulateCommand());
    com.nurture.api.console.ConsoleAssets.<NurtureConfiguration>bundles().forEach(bootstrap::addBundle);
  }

  /**
   * logback-access prints its status at start, and its version check reads the versions of its
   * two jars from Dropwizard's subclass and a resource that one shaded jar does not keep apart, so
   * every start printed two false "versions are different" warnings. Its statuses stay in its
   * status manager; only the printing goes.
   */
  private static void quietRequestLogStatus(Environment env) {
    env.lifecycle().addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof Server server && server.getRequestLog() instanceof RequestLogImpl requestLog) {
          requestLog.setQuiet(true);
        }
      }
    });
  }

  @Override
  public void run(NurtureConfiguration config, Environment env) throws Exception {
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      server.setRegisterDefaultExceptionMappers(false);
      AddressFreeRequestLog.install(server.getRequestLogFactory());
    }
    quietRequestLogStatus(env);
    if (role == Role.DEV) {
      dev = DevServices.start(config);
      env.lifecycle().manage(dev);
    }

    // JdbiFactory manages (starts and stops) this data source.
    ManagedDataSource dataSource = config.database.build(env.metrics(), "postgresql");
    int migrations = Database.migrate(dataSource);
    log.info("database schema is current ({} migrations applied now)", migrations);
    Jdbi jdbi = Database.configure(new JdbiFactory(new StatementNames()).build(env, config.database, dataSource,
        "postgresql"));
    // The ledger's changes journalled by its trigger, folded into the statistics' counters every second
    // (V34; docs/analytics.md, "Rollup"). Managed after the data source, so it stops before it: its last
    // fold runs after the worker has stopped writing.
    env.lifecycle().manage(new io.dropwizard.lifecycle.AutoCloseableManager(
        com.nurture.activities.db.StepCountFolder.start(jdbi)));

    // GET /prometheus on the admin port: the SDK's, the JVM's, Dropwizard's and the business metrics.
    // Managed before the Temporal connection, so it stops after it (and flushes the SDK's last figures).
    PrometheusMetrics metrics = new PrometheusMetrics(env.metrics()).withJourneyCounts(jdbi);
    this.metrics = metrics;
    env.lifecycle().manage(metrics);
    env.admin().addServlet("prometheus", metrics.servlet()).addMapping(PrometheusMetrics.PATH);

    // Every payload this process sends to Temporal is encrypted with its lead's key (docs/privacy.md).
    com.nurture.activities.privacy.StoredDataKeys dataKeys = config.privacy.dataKeys(jdbi);
    com.nurture.activities.privacy.LeadPayloadCodec codec = new com.nurture.activities.privacy.LeadPayloadCodec(dataKeys);
    // Once now, so the first key lookup inside a workflow task does not pay for the first query's set-up.
    dataKeys.find("k-warm-up");
    TemporalConnection temporal = TemporalConnection.connect(config.temporal, metrics.temporalScope(),
        TemporalConnection.encrypting(codec), role.runsWorker() ? List.of(longSleepRelease(config, metrics)) : List.of());
    this.temporal = temporal;
    env.lifecycle().manage(temporal);
    env.healthChecks().register("temporal", new TemporalHealthCheck(temporal));

    MailSettings mail = config.inbound.replyDomain().map(config.mail.settings()::withReplyDomain)
        .orElseGet(config.mail::settings);
    com.nurture.activities.mail.SigningKeys signingKeys = config.mail.signingKeys();
    UnsubscribeTokens tokens = new UnsubscribeTokens(signingKeys);
    com.nurture.activities.consent.ConfirmationTokens confirmations =
        new com.nurture.activities.consent.ConfirmationTokens(signingKeys);
    log.info("links are signed with key {} ({} signing keys verify)", signingKeys.signer().id(), signingKeys.all().size());
    Clock clock = Clock.systemUTC();

    if (role.runsWorker()) {
      mail.dkim().ifPresentOrElse(
          d -> log.info("mail is DKIM-signed: {}; receivers find the key at TXT {}", d, d.dnsName()),
          () -> log.warn("mail.dkim is not configured: mail goes out without a DKIM signature, and Gmail and Yahoo "
              + "reject or junk unsigned bulk mail. Configure mail.dkim (domain, selector, private_key_file) and "
              + "publish its DNS record; see docs/deliverability.md"));
      // Every email the worker sends (journey emails, owners' hand-off notes) goes through this Mailer.
      NurtureWorker worker = new NurtureWorker(temporal.client(), jdbi, mail, tokens,
          confirmations,
          config.smtp.server().mailer(mail.dkim(), config.smtp.poolSettings(),
              new SendRateLimiter(jdbi, config.smtp.rateLimit.limits(), config.smtp.rateLimit.maxWait)),
          config.sales.settings(), metrics.business(), config.worker.tuning());
      env.lifecycle().manage(new Managed() {
        @Override
        public void start() {
          worker.start();
        }

        @Override
        public void stop() {
          worker.close();
        }
      });
      env.healthChecks().register("worker", new WorkerHealthCheck(worker));
      env.healthChecks().register("smtp", new com.nurture.api.health.SmtpHealthCheck(config.smtp.host, config.smtp.port,
          "smtps".equalsIgnoreCase(config.smtp.transport), java.time.Duration.ofSeconds(2)));
    }

    if (role.servesApi()) {
      ProgramCatalog programs = new ProgramCatalog(jdbi, new TemplateCatalog());
      programs.publishShipped().forEach(p -> log.info("program {} {}", p.program().ref(),
          p.newVersion() ? "published" : "is current"));
      JourneyMirror mirror = new JourneyMirror(temporal, jdbi, config.sales.defaultOwner);
      JourneyService journeys = new JourneyService(temporal, jdbi, programs, clock, config.journeySettings(), mirror);
      JourneyCommands commands = new JourneyCommands(temporal, jdbi, programs, env.getObjectMapper(), mirror);
      EventIntake intake = new EventIntake(jdbi, journeys, commands, new TriggerRouter(programs, journeys, jdbi),
          metrics.business(), temporal);
      // Events accepted and enrolments asked for while Temporal was away, handed over when it is back
      // (docs/operations.md, "The event outbox").
      com.nurture.api.core.OutboxDispatcher outbox = new com.nurture.api.core.OutboxDispatcher(jdbi, intake,
          journeys::enrolQueued, temporal, config.events.outboxInterval, config.events.outboxBatch, config.events.outboxThreads);
      env.lifecycle().manage(outbox);
      outbox.registerGauges(env.metrics());

      ApiKeys keys = new ApiKeys(config.apiKeys);
      String plainKey = role == Role.DEV ? dev.apiKey() : System.getenv("NURTURE_API_KEY");
      if (plainKey != null && !plainKey.isBlank()) {
        keys.withPlainKey("NURTURE_API_KEY", plainKey.trim());
      }
      if (keys.isEmpty()) {
        log.warn("no API keys are configured (api_keys or NURTURE_API_KEY): every /v1 request will be refused with 401");
      }
      env.jersey().register(new AuthDynamicFeature(new OAuthCredentialAuthFilter.Builder<ApiKeyPrincipal>()
          .setAuthenticator(keys)
          .setAuthorizer(keys)
          .setPrefix("Bearer")
          .setRealm("nurture")
          .setUnauthorizedHandler(new ProblemMappers.Unauthorized())
          .buildAuthFilter()));
      env.jersey().register(RolesAllowedDynamicFeature.class);
      env.jersey().register(new AuthValueFactoryProvider.Binder<>(ApiKeyPrincipal.class));
      ProblemMappers.all().forEach(env.jersey()::register);
      // Before Jersey reads anything: a body over limits.max_body_size is a 413, unread and unstored.
      env.servlets().addFilter("body-size-limit", new com.nurture.api.limits.BodySizeLimit(
              config.limits.maxBodySize.toBytes(), java.util.Map.of("/v1/webhooks/inbound/",
                  (long) com.nurture.api.resources.InboundResource.MAX_BYTES), env.getObjectMapper()))
          .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), true, "/*");
      env.jersey().register(new LeadLogContext());

      LeadIntake leads = new LeadIntake(jdbi, journeys, intake, new StrategicAccounts(config.sales.strategicAccounts, jdbi),
          clock, config.events.maxClockSkew, config.limits.payload());
      LeadResource leadResource = new LeadResource(jdbi, leads, commands,
          new com.nurture.api.core.LeadErasure(jdbi, temporal, dataKeys));
      env.jersey().register(leadResource);
      env.jersey().register(new com.nurture.api.resources.CodecResource(codec, config.privacy.codecCorsOrigins));
      java.util.concurrent.ExecutorService intakeThreads = env.lifecycle().executorService("intake-%d")
          .minThreads(config.intake.threads).maxThreads(config.intake.threads).build();
      env.jersey().register(new BatchResource(new BatchIntake(leads, env.getObjectMapper(), env.getValidator(),
          intakeThreads, config.intake.batchMax, clock, config.intake.batchDeadline.toJavaDuration())));
      env.jersey().register(new IntakeResource(new MaIntake(leads, jdbi, env.getObjectMapper(), env.getValidator()), config.intake, env.getObjectMapper(),
          config.mail.publicUrl, clock));
      ProgramResource programResource = new ProgramResource(programs, env.getObjectMapper(),
          new Simulator(new TemplateCatalog(), mail, programs::latest,
              Optional.of(com.nurture.activities.catalog.ProgramCatalog.shippedScoringModel())), commands, clock);
      env.jersey().register(programResource);
      AlertResource alerts = new AlertResource(jdbi, clock);
      env.jersey().register(alerts);
      env.jersey().register(new com.nurture.api.resources.JourneyListResource(jdbi));
      com.nurture.api.resources.HandOffResource handoffs =
          new com.nurture.api.resources.HandOffResource(jdbi, clock, config.sales.defaultOwner);
      env.jersey().register(handoffs);
      com.nurture.api.analytics.ResultCache stats = new com.nurture.api.analytics.ResultCache(clock);
      com.nurture.api.resources.ProgramStatsResource programStats = new com.nurture.api.resources.ProgramStatsResource(jdbi, clock, stats);
      env.jersey().register(programStats);
      com.nurture.api.resources.ProgramInFlightResource inFlight = new com.nurture.api.resources.ProgramInFlightResource(jdbi);
      env.jersey().register(inFlight);
      com.nurture.api.resources.FunnelResource funnel = new com.nurture.api.resources.FunnelResource(jdbi, clock, stats);
      env.jersey().register(funnel);
      com.nurture.api.resources.RevenueResource revenue = new com.nurture.api.resources.RevenueResource(jdbi, clock, stats);
      env.jersey().register(revenue);
      env.jersey().register(new com.nurture.api.resources.RevenueResource.All(revenue));
      env.jersey().register(new com.nurture.api.resources.SalesSpeedResource(jdbi, clock, stats, config.sales.defaultOwner));
      com.nurture.api.core.InboundReplies inbound = new com.nurture.api.core.InboundReplies(jdbi, intake);
      env.jersey().register(new com.nurture.api.resources.InboundResource(inbound,
          new com.nurture.api.inbound.InboundPayloads(config.inbound,
              java.util.Objects.requireNonNullElse(config.esp.mailgun.signingKey, ""),
              env.getObjectMapper(), snsSigningKeys()), clock));
      env.jersey().register(new com.nurture.api.resources.EspWebhookResource(
          new com.nurture.api.core.EspEvents(jdbi, intake), config.esp, env.getObjectMapper(),
          snsSigningKeys(), clock));
      smtpReplies(inbound, mail, clock).ifPresent(env.lifecycle()::manage);
      SuppressionResource suppressions = new SuppressionResource(jdbi, env.getObjectMapper());
      env.jersey().register(suppressions);
      env.jersey().register(new SuppressionResource.Import(jdbi));
      env.jersey().register(new UnsubscribeResource(jdbi, tokens, intake, mail.company(), clock));
      env.jersey().register(new ConfirmResource(jdbi, tokens, confirmations, intake, mail.company(), clock));
      env.jersey().register(new TrackingResource(jdbi, intake, config.tracking.classifier(),
          config.tracking.linkLifetime, config.tracking.deliverMachineOpens, env.metrics(), clock));
      if (role == Role.DEV) {
        env.jersey().register(new DevMailboxResource(dev.smtp(), dev.capture()));
      }
      console(env, keys, clock, jdbi, temporalUi(config),
          new com.nurture.api.console.ConsolePagesResource.Sources(funnel, alerts, handoffs, leadResource, suppressions),
          programResource);
      env.jersey().register(new com.nurture.api.console.programs.ConsoleProgramsResource(programs, programResource,
          programStats, inFlight, commands, env.getObjectMapper()));
      // Last: the description covers every resource registered above (and itself).
      java.util.concurrent.atomic.AtomicReference<String> openApi = new java.util.concurrent.atomic.AtomicReference<>();
      env.jersey().register(new com.nurture.api.openapi.OpenApiResource(openApi::get));
      openApi.set(com.nurture.api.openapi.ApiDescription.json(env.jersey().getResourceConfig(), apiVersion()));
    }

    if (role == Role.DEV) {
      env.lifecycle().addServerLifecycleListener(new ServerLifecycleListener() {
        @Override
        public void serverStarted(org.eclipse.jetty.server.Server server) {
          dev.printBanner(System.out, getLocalPort(server), getAdminPort(server), config.temporal.target);
        }
      });
    }
  }

  /** The version the API description states: the jar's, or {@code dev} when run from classes. */
  private static String apiVersion() {
    String v = NurtureApplication.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The web console at /console (docs/console.md): its door (session, language, CSRF) and its pages. */
  private void console(Environment env, ApiKeys keys, Clock clock, Jdbi jdbi,
      Optional<com.nurture.api.console.TemporalUi> temporalUi, com.nurture.api.console.ConsolePagesResource.Sources api,
      ProgramResource programs) {
    com.nurture.api.console.ConsoleSessions sessions = new com.nurture.api.console.ConsoleSessions(clock);
    com.nurture.api.console.ConsoleQueries queries = new com.nurture.api.console.ConsoleQueries(jdbi);
    env.jersey().register(new com.nurture.api.console.ConsoleGate(sessions));
    env.jersey().register(new com.nurture.api.console.ConsoleRefusal.Mapper());
    env.jersey().register(new com.nurture.api.console.ConsoleResource(keys, sessions));
    env.jersey().register(new com.nurture.api.console.ConsolePagesResource(api, queries, sessions, clock));
    env.jersey().register(new com.nurture.api.console.ConsoleLeadsResource(api.leads(), programs, queries, sessions,
        temporalUi));
  }

  /** The Temporal Web UI the console links to: temporal.ui_url, else dev's own UI, else none. */
  private Optional<com.nurture.api.console.TemporalUi> temporalUi(NurtureConfiguration config) {
    Optional<String> url = config.temporal.uiUrl == null || config.temporal.uiUrl.isBlank()
        ? (role == Role.DEV ? dev.temporalUiUrl() : Optional.empty())
        : Optional.of(config.temporal.uiUrl.trim());
    return url.map(u -> new com.nurture.api.console.TemporalUi(u, config.temporal.namespace));
  }

  /**
   * What reads replies sent over SMTP (besides the inbound webhook): in {@code dev}, the dev mail
   * server, whose replies reach the journeys as a webhook's would ({@link com.nurture.api.dev.DevReplies});
   * elsewhere nothing. The end-to-end suite points it at its own mail server.
   */
  protected Optional<Managed> smtpReplies(com.nurture.api.core.InboundReplies inbound, MailSettings mail, Clock clock) {
    return role == Role.DEV
        ? Optional.of(new com.nurture.api.dev.DevReplies(dev.smtp(), inbound, mail.fromAddress(), clock))
        : Optional.empty();
  }

  /** Where SNS signing certificates come from (amazon-ses delivery events): fetched over HTTPS; tests use their own. */
  protected com.nurture.api.esp.Sns.SigningKeys snsSigningKeys() {
    return new com.nurture.api.esp.Sns.FetchedKeys();
  }

  /**
   * The worker's interceptor that lets a journey going to sleep for long give up the sticky queue
   * (docs/operations.md, "Worker tuning"), counted as {@code nurture_worker_sticky_releases_total}.
   */
  private static io.grpc.ClientInterceptor longSleepRelease(NurtureConfiguration config, PrometheusMetrics metrics) {
    com.nurture.worker.LongSleepRelease release = config.worker.tuning().longSleepRelease();
    io.micrometer.core.instrument.FunctionCounter.builder("nurture.worker.sticky.releases", release,
            com.nurture.worker.LongSleepRelease::released)
        .description("workflow tasks that left their journey asleep past worker.sticky_max_sleep and gave up the sticky queue")
        .register(metrics.registry());
    return release;
  }
}
