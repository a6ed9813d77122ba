package com.nurture.api.config;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.util.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dropwizard's data source, validating each connection as it is borrowed (its validation query),
 * so a restarted PostgreSQL costs a reconnect instead of an error for every pooled connection it
 * killed. Dropwizard's default validation interval (30 s) would skip connections validated in the
 * last 30 s, so right after a restart the pool would hand out each of those dead; the interval is
 * the least Dropwizard allows (50 ms), shorter than any restart. {@code checkConnectionOnBorrow:
 * false} or {@code validationInterval} in config.yml still override either.
 *
 * <p>Every wait on the database is bounded (docs/operations.md, "Timeouts"): a connection from the
 * pool within {@code maxWaitForConnection} (1 s, Dropwizard's default), its validation within 1 s,
 * and the driver's {@link #DRIVER_DEFAULTS}: connecting within 1 s, logging in within 2 s, no read
 * on the socket longer than 60 s. A PostgreSQL that is down or unreachable is so a 503 within
 * about 2 s, never a hang. Keys under {@code database.properties} override each.
 */
public class ValidatingDataSourceFactory extends DataSourceFactory {
  /** PostgreSQL JDBC driver properties, in seconds. */
  public static final Map<String, String> DRIVER_DEFAULTS = Map.of(
      "connectTimeout", "1",
      "loginTimeout", "2",
      "socketTimeout", "60");

  public ValidatingDataSourceFactory() {
    setCheckConnectionOnBorrow(true);
    setValidationInterval(Duration.milliseconds(50));
    setValidationQueryTimeout(Duration.seconds(1));
    setMaxWaitForConnection(Duration.seconds(1));
  }

  @Override
  public ManagedDataSource build(MetricRegistry metricRegistry, String name) {
    Map<String, String> properties = new LinkedHashMap<>(DRIVER_DEFAULTS);
    properties.putAll(getProperties());
    setProperties(properties);
    return super.build(metricRegistry, name);
  }
}
