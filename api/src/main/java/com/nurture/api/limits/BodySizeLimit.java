package com.nurture.api.limits;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.api.errors.Problem;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Refuses a request body larger than {@code limits.max_body_size} with 413 problem+json before
 * anything reads it: a declared Content-Length over the limit is refused unread; a body without
 * one (chunked) is read up to one byte past the limit (so at most the limit is ever held) and
 * refused there, or handed on from memory. Nothing behind this filter sees a larger body. Paths
 * that take larger documents by design (inbound email with attachments) have their own limit.
 */
public final class BodySizeLimit implements Filter {
  private final long maxBytes;
  private final Map<String, Long> largerUnder;
  private final ObjectMapper json;

  /** @param largerUnder path prefixes with a limit of their own */
  public BodySizeLimit(long maxBytes, Map<String, Long> largerUnder, ObjectMapper json) {
    this.maxBytes = maxBytes;
    this.largerUnder = Map.copyOf(largerUnder);
    this.json = json;
  }

  long limitFor(String path) {
    return largerUnder.entrySet().stream().filter(e -> path != null && path.startsWith(e.getKey()))
        .mapToLong(Map.Entry::getValue).findFirst().orElse(maxBytes);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    long maxBytes = limitFor(request.getRequestURI());
    long declared = request.getContentLengthLong();
    if (declared > maxBytes) {
      boolean drained = declared <= maxBytes * DRAIN_FACTOR && drain(request.getInputStream(), maxBytes * DRAIN_FACTOR);
      refuse((HttpServletResponse) res, maxBytes, drained);
      return;
    }
    if (declared >= 0 || !hasBody(request)) {
      chain.doFilter(req, res);
      return;
    }
    byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (body.length > maxBytes) {
      refuse((HttpServletResponse) res, maxBytes, drain(request.getInputStream(), maxBytes * DRAIN_FACTOR));
      return;
    }
    chain.doFilter(new Buffered(request, body), res);
  }

  private static boolean hasBody(HttpServletRequest request) {
    String te = request.getHeader("Transfer-Encoding");
    return te != null && !te.isBlank();
  }

  /**
   * A body at most this many times the limit is read to its end and thrown away (never held) before
   * the 413, so a client that sends its whole body before reading the answer gets the answer; a
   * larger one is answered at once and the connection closed.
   */
  static final long DRAIN_FACTOR = 4;

  /** Reads and discards the rest of a body, up to {@code cap} bytes. @return whether it ended within the cap */
  private static boolean drain(InputStream in, long cap) throws IOException {
    byte[] sink = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(sink)) >= 0) {
      total += n;
      if (total > cap) {
        return false;
      }
    }
    return true;
  }

  private void refuse(HttpServletResponse res, long maxBytes, boolean drained) throws IOException {
    Problem p = Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the request body is larger than " + maxBytes
        + " bytes (limits.max_body_size); send less, or split it into several requests", List.of());
    res.setStatus(413);
    res.setContentType(Problem.MEDIA_TYPE);
    if (!drained) {
      res.setHeader("Connection", "close");
    }
    json.writeValue(res.getOutputStream(), p);
  }

  /** The request with its (already read, bounded) body served from memory. */
  private static final class Buffered extends HttpServletRequestWrapper {
    private final byte[] body;

    Buffered(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
      InputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return body.length == 0 || available() == 0;
        }

        @Override
        public int available() {
          try {
            return in.available();
          } catch (IOException e) {
            return 0;
          }
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body is already read");
        }
      };
    }
  }
}
