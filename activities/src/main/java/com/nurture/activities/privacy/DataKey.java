package com.nurture.activities.privacy;

import javax.crypto.SecretKey;

/** A data key (AES-256) and the id payloads name it by in their metadata. */
public record DataKey(String keyId, SecretKey key) {}
