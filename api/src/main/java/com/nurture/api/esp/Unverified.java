package com.nurture.api.esp;

/** A delivery that is missing its proof, forged or stale: answered 401, nothing stored. */
public final class Unverified extends RuntimeException {
  public Unverified(String detail) {
    super(detail);
  }
}
