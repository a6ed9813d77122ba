package com.nurture.api.cli;

import com.nurture.api.auth.ApiKeys;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.security.SecureRandom;
import java.util.Base64;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code api-key}: makes a new random API key and prints the SHA-256 to put in config.yml. */
public class ApiKeyCommand extends Command {
  public ApiKeyCommand() {
    super("api-key", "Generates an API key and the sha256 to configure for it");
  }

  @Override
  public void configure(Subparser subparser) {
    // no arguments
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String key = "nk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    System.out.println("key:    " + key + "   (give this to the client; it is not stored anywhere)");
    System.out.println("sha256: " + ApiKeys.sha256(key) + "   (put this in api_keys[].sha256)");
  }
}
