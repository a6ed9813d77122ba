package com.nurture.api.metrics;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.MDC;

/**
 * Puts the lead of a {@code /v1/leads/{leadId}/...} request (any path with a {@code leadId} parameter) in the SLF4J MDC as {@code lead_id} while
 * the request is handled, so every log line it causes (JSON lines carry the MDC) names the lead,
 * as the worker's activity lines do. Removed again when the response is written.
 */
@Provider
public final class LeadLogContext implements ContainerRequestFilter, ContainerResponseFilter {
  public static final String LEAD_ID = "lead_id";

  @Override
  public void filter(ContainerRequestContext request) {
    MDC.remove(LEAD_ID);
    String id = request.getUriInfo().getPathParameters().getFirst("leadId");
    if (id != null && !id.isBlank()) {
      MDC.put(LEAD_ID, id);
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    MDC.remove(LEAD_ID);
  }
}
