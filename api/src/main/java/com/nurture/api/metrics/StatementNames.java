package com.nurture.api.metrics;

import com.codahale.metrics.jdbi3.strategies.DelegatingStatementNameStrategy;
import com.codahale.metrics.jdbi3.strategies.SmartNameStrategy;
import com.nurture.activities.db.FluentStatement;

/**
 * How Dropwizard names the timer of each JDBI statement: a fluent statement that stands in for a DAO
 * method (the send's and a lead's hot path: SendStatements, LeadReads) by the method it stands in
 * for, as its timer was named when it ran through the DAO; every other statement as Dropwizard's
 * default (SmartNameStrategy) names it.
 */
public final class StatementNames extends DelegatingStatementNameStrategy {
  public StatementNames() {
    super(ctx -> {
      Object name = ctx.getAttribute(FluentStatement.TIMER);
      return name == null ? null : name.toString();
    }, new SmartNameStrategy());
  }
}
