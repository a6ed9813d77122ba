package com.nurture.api.resources;

import jakarta.ws.rs.core.Response;

/** The plain pages the public endpoints a lead opens answer with (unsubscribe, confirmation). */
final class PublicPages {
  private PublicPages() {}

  static Response page(Response.Status status, String title, String body) {
    String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + esc(title) + "</title></head>"
        + "<body style=\"font-family:Arial,Helvetica,sans-serif;max-width:32em;margin:3em auto;padding:0 1em\">"
        + "<h1 style=\"font-size:1.4em\">" + esc(title) + "</h1>" + body + "</body></html>";
    return Response.status(status).entity(html).build();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** A user agent as evidence: no control characters, at most 512 characters. */
  static String userAgent(String s) {
    if (s == null) {
      return null;
    }
    String c = s.replaceAll("[\\p{Cntrl}]", "?");
    return c.length() > 512 ? c.substring(0, 512) : c;
  }
}
