package com.nurture.api.core;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;

/**
 * A Temporal server inside this JVM, for {@code temporal.target: in-process}. The runnable jar
 * ships none (Temporal's test server is a test dependency): the API tests provide one, found with
 * {@link java.util.ServiceLoader} through {@code META-INF/services/com.nurture.api.core.InProcessTemporal}.
 */
public interface InProcessTemporal {
  /**
   * Starts a server and answers it with a client for {@code namespace}, whose SDK metrics go to
   * {@code metrics} and whose payloads go through {@code converter}.
   */
  Server start(String namespace, com.uber.m3.tally.Scope metrics, io.temporal.common.converter.DataConverter converter);

  /** A started in-process server; closing it stops the server and its client. */
  interface Server extends AutoCloseable {
    WorkflowServiceStubs service();

    WorkflowClient client();

    @Override
    void close();
  }
}
