package com.nurture.api.openapi;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.function.Supplier;

/** {@code GET /openapi.json}: the API's OpenAPI 3.1 description (public, the same for everyone). */
@Path("/openapi.json")
public class OpenApiResource {
  private final Supplier<String> document;

  /** @param document the description, generated once the application has registered every resource */
  public OpenApiResource(Supplier<String> document) {
    this.document = document;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String get() {
    return document.get();
  }
}
