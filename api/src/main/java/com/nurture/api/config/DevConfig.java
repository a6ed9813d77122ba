package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Only read by the {@code dev} command: where its embedded services keep data and listen. */
public class DevConfig {
  /** Where PostgreSQL data, the Temporal database and the signing key are kept. */
  @JsonProperty("data_dir")
  public String dataDir = ".nurture";

  @JsonProperty("postgres_port")
  public int postgresPort = 0;

  @JsonProperty("smtp_port")
  public int smtpPort = 2525;

  @JsonProperty("temporal_port")
  public int temporalPort = 7233;

  @JsonProperty("temporal_ui_port")
  public int temporalUiPort = 8233;

  /** How many captured emails dev keeps in memory (the newest; older ones are dropped). */
  @JsonProperty("mailbox_keep")
  public int mailboxKeep = 1000;

  /**
   * A Temporal frontend ({@code host:port}) to use instead of starting the temporal CLI's dev server
   * (empty: start it). The benchmarks use it to run dev against the real server on PostgreSQL.
   */
  @JsonProperty("temporal_target")
  public String temporalTarget = "";
}
