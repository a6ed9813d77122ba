package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.Test;

/**
 * Every Jdbi the service builds renders a SQL object's statement with the comment naming its method,
 * leaves other statements as written, still fills JDBI's defined attributes, and is an engine whose
 * parse JDBI caches (one parse a SQL text, not one per execution).
 */
class NamedSqlTemplatesTest {
  interface Probe {
    @SqlQuery("SELECT :word || '!'")
    String shout(@Bind("word") String word);

    @SqlQuery("SELECT count(*) FROM <table> WHERE false")
    int none(@Define("table") String table);
  }

  @Test
  void namesEachSqlObjectStatementsMethodWithAnEngineJdbiCaches() {
    Jdbi jdbi = Database.open(TestDatabase.database().dataSource());
    List<String> rendered = new ArrayList<>();
    jdbi.setSqlLogger(new SqlLogger() {
      @Override
      public void logAfterExecution(StatementContext ctx) {
        rendered.add(ctx.getRenderedSql());
      }
    });

    assertThat(jdbi.getConfig(SqlStatements.class).getTemplateEngine()).isInstanceOf(TemplateEngine.Parsing.class);
    String hi = jdbi.withExtension(Probe.class, p -> p.shout("hi"));
    String again = jdbi.withExtension(Probe.class, p -> p.shout("again"));
    int none = jdbi.withExtension(Probe.class, p -> p.none("leads"));
    int two = jdbi.withHandle(h -> h.createQuery("SELECT 2").mapTo(Integer.class).one());
    assertThat(List.of(hi, again)).containsExactly("hi!", "again!");
    assertThat(none).isZero();
    assertThat(two).isEqualTo(2);

    assertThat(rendered).containsExactly(
        "/* Probe.shout */ SELECT :word || '!'",
        "/* Probe.shout */ SELECT :word || '!'",
        "/* Probe.none */ SELECT count(*) FROM leads WHERE false",
        "SELECT 2");
  }
}
