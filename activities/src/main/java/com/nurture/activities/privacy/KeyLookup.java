package com.nurture.activities.privacy;

/** What a key id named in a payload's metadata stands for. */
public sealed interface KeyLookup {
  /** The key, usable. */
  record Found(DataKey key) implements KeyLookup {}

  /** The key existed and was destroyed: its lead was erased, its payloads are unreadable for good. */
  record Destroyed(String keyId) implements KeyLookup {}

  /** No such key here (another deployment's, or a corrupted payload). */
  record Unknown(String keyId) implements KeyLookup {}
}
