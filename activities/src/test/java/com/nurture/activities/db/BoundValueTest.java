package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.junit.jupiter.api.Test;

/** A {@link BoundValue} binds what JDBI's own factories bind, and JDBI looks no factory up for it. */
class BoundValueTest {
  private static final String READ_BACK = "SELECT CAST(:text AS text) AS text, CAST(:none AS text) IS NULL AS none,"
      + " CAST(:number AS integer) + 1 AS number, array_to_string(CAST(:texts AS text[]), '|') AS texts,"
      + " cardinality(CAST(:empty AS text[])) AS empty";

  private record Row(String text, boolean none, int number, String texts, int empty) {}

  /** Counts every argument factory lookup JDBI makes for a statement, and finds none itself. */
  private static final class CountingFactory implements ArgumentFactory.Preparable {
    final AtomicInteger lookups = new AtomicInteger();

    @Override
    public Optional<Function<Object, Argument>> prepare(Type type, ConfigRegistry config) {
      lookups.incrementAndGet();
      return Optional.empty();
    }

    @Override
    public Optional<Argument> build(Type type, Object value, ConfigRegistry config) {
      lookups.incrementAndGet();
      return Optional.empty();
    }
  }

  @Test
  void boundValuesReadBackAsJdbisOwnArgumentsAndNeedNoFactory() {
    CountingFactory counting = new CountingFactory();
    Jdbi jdbi = Database.open(TestDatabase.database().dataSource()).registerArgument(counting);

    Row own = jdbi.withHandle(h -> h.createQuery(READ_BACK).bind("text", "Grüße, 'quoted'").bind("none", (String) null)
        .bind("number", 41).bind("texts", new String[] {"a", "b,c", ""}).bind("empty", new String[0])
        .map((rs, ctx) -> new Row(rs.getString("text"), rs.getBoolean("none"), rs.getInt("number"),
            rs.getString("texts"), rs.getInt("empty"))).one());
    assertThat(counting.lookups.get()).as("JDBI looks plain values' factories up").isPositive();

    counting.lookups.set(0);
    Row bound = jdbi.withHandle(h -> h.createQuery(READ_BACK).bind("text", BoundValue.text("Grüße, 'quoted'"))
        .bind("none", BoundValue.text(null)).bind("number", BoundValue.integer(41))
        .bind("texts", BoundValue.texts(new String[] {"a", "b,c", ""})).bind("empty", BoundValue.texts(new String[0]))
        .map((rs, ctx) -> new Row(rs.getString("text"), rs.getBoolean("none"), rs.getInt("number"),
            rs.getString("texts"), rs.getInt("empty"))).one());
    assertThat(counting.lookups.get()).as("a BoundValue is applied as it is").isZero();

    assertThat(bound).isEqualTo(own).isEqualTo(new Row("Grüße, 'quoted'", true, 42, "a|b,c|", 0));
  }

  @Test
  void aBoundValueShowsItsValueAsJdbisArgumentsDoInAnError() {
    assertThat(List.of(BoundValue.text("k/1"), BoundValue.text(null), BoundValue.integer(3),
        BoundValue.texts(new String[] {"x", "y"}))).extracting(Object::toString)
        .containsExactly("k/1", "null", "3", "[x, y]");
    assertThat(BoundValue.texts(new String[] {"x"})).isEqualTo(BoundValue.texts(new String[] {"x"}))
        .hasSameHashCodeAs(BoundValue.texts(new String[] {"x"}));
  }
}
