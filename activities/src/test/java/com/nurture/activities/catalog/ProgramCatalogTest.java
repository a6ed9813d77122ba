package com.nurture.activities.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nurture.activities.TestDatabase;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.workflows.program.InvalidProgramException;
import com.nurture.workflows.program.SendStep;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProgramCatalogTest {
  private final ProgramCatalog catalog = new ProgramCatalog(TestDatabase.jdbi(), new TemplateCatalog());

  @Test
  void publishesANewVersionOnlyWhenTheSourceChanges() {
    String id = "p-" + UUID.randomUUID().toString().substring(0, 8);
    String v1 = "id: " + id + "\nsteps:\n  - { id: a, send: { template: onboarding-welcome } }\n";
    ProgramCatalog.Published first = catalog.publish(v1);
    assertThat(first.newVersion()).isTrue();
    assertThat(first.program().version()).isEqualTo(1);
    assertThat(catalog.publish(v1).newVersion()).isFalse();

    String v2 = v1 + "  - { id: b, wait: 2d }\n  - { id: c, send: { template: onboarding-problem } }\n";
    assertThat(catalog.publish(v2).program().version()).isEqualTo(2);
    assertThat(catalog.latest(id)).hasValueSatisfying(p -> assertThat(p.steps()).hasSize(3));
    assertThat(catalog.version(id, 1)).hasValueSatisfying(p -> assertThat(p.steps()).containsExactly(
        new SendStep("a", "onboarding-welcome")));
    assertThat(catalog.latest("no-such-program")).isEmpty();
  }

  @Test
  void refusesUnknownTemplates() {
    InvalidProgramException e = catchThrowableOfType(InvalidProgramException.class,
        () -> catalog.publish("id: bad\nsteps:\n  - { id: a, send: { template: nope } }\n"));
    assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.path()).isEqualTo("steps[0].send.template"));
  }

  @Test
  void publishesTheShippedPrograms() {
    catalog.publishShipped();
    assertThat(catalog.listLatest()).extracting(p -> p.id()).contains("onboarding");
    assertThat(catalog.publishShipped()).allSatisfy(p -> assertThat(p.newVersion()).isFalse());
  }
}
