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
    String body = VERSION + SEP + kind + SEP + String.join(SEP, parts);
    String text = body + SEP + check(body);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The parts of a cursor {@link #encode}d for {@code kind} with {@code count} parts. */
  public static List<String> decode(String cursor, String kind, int count) {
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(cursor);
      // Only the spelling encode() gives out: base64 lets other spellings (a character added or
      // changed in the last group) decode to bytes too, which must not pass for a cursor.
      if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(cursor)) {
        throw invalid();
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      List<String> all = Arrays.asList(text.split(SEP, -1));
      if (all.size() == count + 3 && all.get(0).equals(VERSION) && all.get(1).equals(kind)) {
        String body = String.join(SEP, all.subList(0, count + 2));
        if (check(body).equals(all.get(count + 2))) {
          return all.subList(2, count + 2);
        }
      }
    } catch (IllegalArgumentException e) {
      // not base64: refused below
    }
    throw invalid();
  }

  /**
   * A check on the cursor's text (the first 8 hex digits of its SHA-256): not a secret, but a cursor
   * with a character changed or added decodes to other bytes, sometimes to another valid-looking
   * position (an appended base64 character can add a digit to an id), and must be refused.
   */
  private static String check(String body) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Refusal of a cursor whose parts do not parse. */
  public static ProblemException invalid() {
    return ProblemException.invalid("cursor", "must be a next_cursor this endpoint gave out");
  }
}
