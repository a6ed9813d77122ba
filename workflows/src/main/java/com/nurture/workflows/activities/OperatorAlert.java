package com.nurture.workflows.activities;

import java.util.Map;

/** Something a person must look at (a reply, an unknown send outcome). Deduplicated by key. */
public record OperatorAlert(String leadId, String kind, String message, Map<String, Object> detail, String dedupeKey) {}
