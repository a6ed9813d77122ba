package com.nurture.api.config;

import io.dropwizard.db.DataSourceFactory;

/**
 * Dropwizard's data source, validating each connection as it is borrowed (its validation query),
 * so a restarted PostgreSQL costs a reconnect instead of an error for every pooled connection it
 * killed. {@code checkConnectionOnBorrow: false} in config.yml still turns it off.
 */
public class ValidatingDataSourceFactory extends DataSourceFactory {
  public ValidatingDataSourceFactory() {
    setCheckConnectionOnBorrow(true);
  }
}
