package com.nurture.activities.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import com.nurture.activities.db.SuppressionDao;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class PersonalDataTest {
  private final Jdbi jdbi = TestDatabase.jdbi();

  @Test
  void everyTableWithALeadIdIsListedWithWhatErasureDoesToIt() {
    List<String> withLead = jdbi.withHandle(h -> h.createQuery("""
        SELECT DISTINCT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'lead_id' ORDER BY table_name""").mapTo(String.class).list());
    List<String> listed = PersonalData.TABLES.stream().map(PersonalData.Table::name).toList();
    assertThat(listed).as("add the new table to PersonalData.TABLES and docs/privacy.md").containsAll(withLead);
    PersonalData.TABLES.forEach(t -> assertThat(t.onErasure()).isNotBlank());
  }

  @Test
  void anErasedAddressStaysSuppressedByItsHashOnly() {
    String lead = "pd-" + UUID.randomUUID();
    String email = lead + "@Example.COM";
    jdbi.useHandle(h -> h.execute("INSERT INTO leads (id, email, attributes) VALUES (?, ?, '{\"first_name\":\"Ada\"}')", lead, email));
    assertThat(jdbi.onDemand(SuppressionDao.class).find(email)).isEmpty();

    jdbi.useTransaction(h -> PersonalData.erase(h, lead, email));

    List<String> kept = jdbi.withHandle(h -> h.createQuery("SELECT email FROM suppressions WHERE lead_id = :id")
        .bind("id", lead).mapTo(String.class).list());
    assertThat(kept).hasSize(1);
    assertThat(kept.get(0)).startsWith("sha256:").doesNotContainIgnoringCase(lead);
    assertThat(jdbi.onDemand(SuppressionDao.class).find(email.toLowerCase())).isPresent();
    assertThat(jdbi.onDemand(SuppressionDao.class).find(email)).as("any case of the address").isPresent();
    assertThat(jdbi.onDemand(SuppressionDao.class).find("someone-else@example.com")).isEmpty();
  }
}
