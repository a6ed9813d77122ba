package com.nurture.activities.privacy;

/** Where the payload codec gets its keys: one per lead, one shared, and any by id. */
public interface DataKeys {
  /** The lead's live key, made on first use. */
  DataKey forLead(String leadId);

  /** The key of payloads tied to no lead, made on first use. */
  DataKey shared();

  KeyLookup find(String keyId);
}
