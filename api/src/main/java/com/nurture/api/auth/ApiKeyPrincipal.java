package com.nurture.api.auth;

import java.security.Principal;
import java.util.Set;

/** The caller, named by its configured key name (never the key). */
public record ApiKeyPrincipal(String name, Set<String> roles) implements Principal {
  @Override
  public String getName() {
    return name;
  }
}
