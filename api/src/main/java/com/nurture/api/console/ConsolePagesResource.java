package com.nurture.api.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** The console's pages. */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsolePagesResource {
  @GET
  @Path("overview")
  public OverviewPage overview(@Context ContainerRequestContext request) {
    ConsoleContext context = ConsoleContext.of(request);
    ConsoleAccess.requireOperator(context);
    return new OverviewPage(context);
  }
}
