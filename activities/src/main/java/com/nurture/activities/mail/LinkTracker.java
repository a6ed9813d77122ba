package com.nurture.activities.mail;

import java.util.Optional;

/**
 * What the renderer asks for while rewriting an email's links: the tracked URL standing for an
 * original one, the open pixel and the honeypot link. {@link #NONE} leaves every link as written
 * (previews, held-out sends).
 */
public interface LinkTracker {
  /** The URL a reader's click goes through instead of {@code url} ({@code {public_url}/t/c/{token}}). */
  String click(String url);

  /** The 1x1 image appended to the HTML part ({@code {public_url}/t/o/{token}}), if opens are tracked. */
  Optional<String> openPixel();

  /** A link no person sees (hidden in the HTML part): whoever follows it is a machine. */
  Optional<String> honeypot();

  /** Whether {@code url} is one of ours that must never be rewritten (unsubscribe, tracking). */
  default boolean untouchable(String url) {
    return false;
  }

  LinkTracker NONE = new LinkTracker() {
    @Override
    public String click(String url) {
      return url;
    }

    @Override
    public Optional<String> openPixel() {
      return Optional.empty();
    }

    @Override
    public Optional<String> honeypot() {
      return Optional.empty();
    }
  };
}
