package com.nurture.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import io.dropwizard.testing.ResourceHelpers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The jar the build made carries no Temporal test server (the preview runs the journey core, and
 * {@code in-process} is for the API tests only), previews from the command line without any
 * service, and refuses {@code temporal.target: in-process} with the way out.
 */
class RunnableJarE2E {
  private static final Path JAR = Path.of(System.getProperty("nurture.jar", "target/nurture.jar")).toAbsolutePath();

  private record Run(int exit, String output) {}

  private static Run java(String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished: " + String.join(" ", args)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void theJarHasNoTemporalTestServer() throws IOException {
    try (ZipFile jar = new ZipFile(JAR.toFile())) {
      // temporal-testing (TestWorkflowEnvironment) and temporal-test-server (the server itself); the
      // client's own io/temporal/internal/testservice gRPC helpers stay, they are temporal-serviceclient.
      assertThat(jar.stream().map(ZipEntry::getName)
          .filter(n -> n.startsWith("io/temporal/testing/") || n.startsWith("io/temporal/testserver/")))
          .isEmpty();
      assertThat(jar.getEntry("io/temporal/internal/testservice/TestWorkflowService.class")).isNull();
      assertThat(jar.getEntry("io/temporal/client/WorkflowClient.class")).as("the SDK is still there").isNotNull();
    }
  }

  @Test
  void simulateRunsFromTheJarWithNoServices() throws Exception {
    Run run = java("simulate", "onboarding");
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("onboarding@").contains("simulated in");
  }

  @Test
  void inProcessTemporalIsRefusedWithTheWayOut() throws Exception {
    Path config = JAR.getParent().resolve("e2e-in-process.yml");
    Files.writeString(config, Files.readString(Path.of(ResourceHelpers.resourceFilePath("api-test.yml")))
        .replace("url: set-by-test", "url: " + TestDatabase.database().jdbcUrl()));
    Run run = java("worker", config.toString());
    assertThat(run.exit()).as(run.output()).isNotZero();
    assertThat(run.output()).contains("temporal.target is 'in-process'").contains("temporal server start-dev");
  }
}
