package com.nurture.api.logging;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.LayoutBase;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import io.dropwizard.request.logging.RequestLogFactory;
import io.dropwizard.request.logging.layout.LogbackAccessRequestLayoutFactory;
import java.util.TimeZone;

/**
 * The request log without email addresses. A request line carries whatever the path and query hold, and
 * some of Nurture's do hold an address ({@code PUT /v1/suppressions/{email}}, the console's lead search
 * {@code ?q=}, a Referer back to it), so every line any request-log appender writes, in whatever layout
 * (the default pattern, the operator's {@code logFormat}, JSON), has each address, plain or
 * percent-encoded, replaced by {@value #MASK} before it is written.
 */
public final class AddressFreeRequestLog {
  public static final String MASK = "[email]";
  private AddressFreeRequestLog() {}

  /** {@code text} with every address in it replaced by {@value #MASK}. */
  public static String mask(String text) {
    return com.nurture.activities.privacy.Addresses.mask(text, MASK);
  }

  /**
   * Gives every appender of the server's request log (Dropwizard's logback-access one) the masking
   * layout around the layout it would have used. Call before the server is built (in run()).
   */
  public static void install(RequestLogFactory<?> requestLog) {
    if (!(requestLog instanceof LogbackAccessRequestLogFactory access)) {
      return;
    }
    for (AppenderFactory<IAccessEvent> appender : access.getAppenders()) {
      if (appender instanceof AbstractAppenderFactory<IAccessEvent> configured
          && !(configured.getLayout() instanceof Masking)) {
        configured.setLayout(new Masking(configured.getLayout(), configured.getLogFormat()));
      }
    }
  }

  /** The layout factory put in front of the configured one (none: Dropwizard's default pattern). */
  static final class Masking implements DiscoverableLayoutFactory<IAccessEvent> {
    private final DiscoverableLayoutFactory<?> configured;
    private final String logFormat;

    Masking(DiscoverableLayoutFactory<?> configured, String logFormat) {
      this.configured = configured;
      this.logFormat = logFormat;
    }

    @Override
    @SuppressWarnings("unchecked")
    public LayoutBase<IAccessEvent> build(LoggerContext context, TimeZone timeZone) {
      LayoutBase<IAccessEvent> inner;
      if (configured == null) {
        var pattern = new LogbackAccessRequestLayoutFactory().build(context, timeZone);
        if (logFormat != null && !logFormat.isBlank()) {
          pattern.setPattern(logFormat);
        }
        inner = pattern;
      } else {
        inner = ((DiscoverableLayoutFactory<IAccessEvent>) configured).build(context, timeZone);
      }
      return new MaskingLayout(inner);
    }
  }

  /** Formats with the inner layout, then masks. */
  static final class MaskingLayout extends LayoutBase<IAccessEvent> {
    private final LayoutBase<IAccessEvent> inner;

    MaskingLayout(LayoutBase<IAccessEvent> inner) {
      this.inner = inner;
      setContext(inner.getContext());
    }

    @Override
    public String doLayout(IAccessEvent event) {
      return mask(inner.doLayout(event));
    }

    @Override
    public String getContentType() {
      return inner.getContentType();
    }

    @Override
    public void start() {
      if (!inner.isStarted()) {
        inner.start();
      }
      super.start();
    }

    @Override
    public void stop() {
      inner.stop();
      super.stop();
    }
  }
}
