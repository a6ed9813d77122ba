package com.nurture.activities.mail;

import jakarta.mail.util.StreamProvider;

/**
 * Names Jakarta Mail's stream provider once, so the API does not search the class path for it.
 * Jakarta Mail 2.1 looks the provider up through a {@link java.util.ServiceLoader} scan each time it
 * builds a MIME part, a header block or an encoder (jakartaee/mail-api#699, #861): several scans per
 * email, 15% of the send activity's execution samples when profiled. Its lookup reads the system property named
 * after the interface first, so naming Angus Mail's provider there turns each scan into one class
 * load. A property the operator set is left as it is.
 */
final class JakartaMailStreams {
  static final String PROPERTY = StreamProvider.class.getName();
  static final String ANGUS_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

  private JakartaMailStreams() {}

  static void nameTheProvider() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, ANGUS_PROVIDER);
    }
  }
}
