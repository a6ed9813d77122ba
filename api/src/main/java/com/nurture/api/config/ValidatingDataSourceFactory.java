package com.nurture.api.config;

import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;

/**
 * Dropwizard's data source, validating each connection as it is borrowed (its validation query),
 * so a restarted PostgreSQL costs a reconnect instead of an error for every pooled connection it
 * killed. Dropwizard's default validation interval (30 s) would skip connections validated in the
 * last 30 s, so right after a restart the pool would hand out each of those dead; the interval is
 * the least Dropwizard allows (50 ms), shorter than any restart. {@code checkConnectionOnBorrow:
 * false} or {@code validationInterval} in config.yml still override either.
 */
public class ValidatingDataSourceFactory extends DataSourceFactory {
  public ValidatingDataSourceFactory() {
    setCheckConnectionOnBorrow(true);
    setValidationInterval(Duration.milliseconds(50));
  }
}
