package com.nurture.activities.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.Test;

class JakartaMailStreamsTest {
  @Test
  void theFirstMailServerNamesAngusMailsStreamProviderWhereJakartaMailLooksFirst() {
    new SmtpServer("127.0.0.1", 2525, "", "", "smtp"); // its class initialiser names the provider

    assertEquals(JakartaMailStreams.ANGUS_PROVIDER, System.getProperty(JakartaMailStreams.PROPERTY));
    // Found through the property: naming a class that is not there (a provider renamed by an upgrade)
    // makes this lookup throw, as it would make every send fail.
    assertEquals(JakartaMailStreams.ANGUS_PROVIDER, StreamProvider.provider().getClass().getName());
  }
}
