package com.nurture.api.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The Temporal Web UI (temporal.ui_url, or dev's own) and the namespace the journeys run in. */
public record TemporalUi(String url, String namespace) {
  /** The page of one workflow: {ui}/namespaces/{namespace}/workflows/{workflowId}. */
  public static String workflowLink(TemporalUi ui, String workflowId) {
    return ui.url().replaceAll("/+$", "") + "/namespaces/" + URLEncoder.encode(ui.namespace(), StandardCharsets.UTF_8)
        + "/workflows/" + URLEncoder.encode(workflowId, StandardCharsets.UTF_8);
  }
}
