package com.nurture.api.auth;

import com.nurture.api.config.ApiKeyConfig;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer API keys, checked against their configured SHA-256. Keys are high-entropy random strings,
 * so one unsalted hash is enough; the plain key is never stored or logged.
 */
public final class ApiKeys implements Authenticator<String, ApiKeyPrincipal>, Authorizer<ApiKeyPrincipal> {
  private final Map<String, ApiKeyPrincipal> byHash = new HashMap<>();

  public ApiKeys(List<ApiKeyConfig> keys) {
    for (ApiKeyConfig k : keys) {
      byHash.put(k.sha256, new ApiKeyPrincipal(k.name, Set.copyOf(k.roles)));
    }
  }

  /** Adds a key given in plain text (the NURTURE_API_KEY of dev and small set-ups), with every role. */
  public ApiKeys withPlainKey(String name, String key) {
    byHash.put(sha256(key), new ApiKeyPrincipal(name, Set.of(Roles.MA, Roles.SALES, Roles.OPERATOR)));
    return this;
  }

  public boolean isEmpty() {
    return byHash.isEmpty();
  }

  @Override
  public Optional<ApiKeyPrincipal> authenticate(String key) {
    return Optional.ofNullable(byHash.get(sha256(key)));
  }

  @Override
  public boolean authorize(ApiKeyPrincipal principal, String role, ContainerRequestContext request) {
    return principal.roles().contains(role);
  }

  public static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
