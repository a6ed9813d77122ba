package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

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

  /**
   * SQLite pragmas for the dev server's state file ({@code --sqlite-pragma NAME=VALUE}; docs/operations.md,
   * "The dev server's SQLite"). The default, a write-ahead log synced at checkpoints, keeps every
   * committed write through a kill of any process (the log is in the file system at once); only a
   * crash of the machine itself may take back the last commits, never corrupting the file. The CLI's
   * own default (an empty list) is a rollback journal synced on every commit.
   */
  @NotNull
  @JsonProperty("temporal_sqlite_pragmas")
  public List<@NotNull @Pattern(regexp = "(" + PRAGMA_NAMES + ")=-?[A-Za-z0-9_]+",
      message = "must be NAME=VALUE, NAME one of " + PRAGMA_NAMES) String> temporalSqlitePragmas =
      List.of("journal_mode=wal", "synchronous=normal");

  /** The pragmas dev may set: the ones that tune speed and durability, nothing that changes the schema. */
  private static final String PRAGMA_NAMES = "journal_mode|synchronous|cache_size|mmap_size|temp_store|wal_autocheckpoint";
}
