package com.nurture.api.core;

import com.nurture.api.errors.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Opaque page cursors: where a page ended (e.g. a sort key and an id), base64url-encoded so
 * clients pass them back as given and rely on nothing inside. A cursor that does not decode to
 * what the endpoint gave out is a 422 naming {@code cursor}.
 */
public final class PageCursor {
  private static final String SEP = "\u001f";
  private static final String VERSION = "c1";

  private PageCursor() {}

  public static String encode(String kind, String... parts) {
    String text = VERSION + SEP + kind + SEP + String.join(SEP, parts);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The parts of a cursor {@link #encode}d for {@code kind} with {@code count} parts. */
  public static List<String> decode(String cursor, String kind, int count) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      List<String> all = Arrays.asList(text.split(SEP, -1));
      if (all.size() == count + 2 && all.get(0).equals(VERSION) && all.get(1).equals(kind)) {
        return all.subList(2, all.size());
      }
    } catch (IllegalArgumentException e) {
      // not base64: refused below
    }
    throw invalid();
  }

  /** Refusal of a cursor whose parts do not parse. */
  public static ProblemException invalid() {
    return ProblemException.invalid("cursor", "must be a next_cursor this endpoint gave out");
  }
}
