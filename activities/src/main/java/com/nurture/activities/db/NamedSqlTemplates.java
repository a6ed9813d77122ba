package com.nurture.activities.db;

import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.extension.ExtensionMethod;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * JDBI's template engine for every statement: JDBI's own ({@link DefinedAttributeTemplateEngine}),
 * each rendering prefixed, for a SQL object's method, by a comment naming it ("LeadDao.find", so
 * {@code pg_stat_activity} and the server's logs say which method a statement came from), as
 * Dropwizard's {@code NamePrependingTemplateEngine} does. Unlike that one, it is a {@link
 * TemplateEngine.Parsing} engine: JDBI parses each SQL text once and caches the result, where a
 * wrapper that only renders had every statement's SQL lexed again (JDBI's ANTLR lexer: 4% of the API's
 * request threads' CPU samples on an event, docs/benchmarks.md, "2026-12-06 11:36").
 */
public final class NamedSqlTemplates implements TemplateEngine.Parsing {
  private final DefinedAttributeTemplateEngine templates = new DefinedAttributeTemplateEngine();

  @Override
  public Optional<Function<StatementContext, String>> parse(String template, ConfigRegistry config) {
    return templates.parse(template, config).map(render -> ctx -> named(ctx.getExtensionMethod(), render.apply(ctx)));
  }

  /** {@code sql} prefixed by the comment naming {@code method}; as it is when no SQL object method ran it. */
  static String named(ExtensionMethod method, String sql) {
    if (method == null) {
      return sql;
    }
    String type = method.getType().getSimpleName();
    return "/* " + (type.isEmpty() ? "" : type + ".") + method.getMethod().getName() + " */ " + sql;
  }
}
