package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nurture.activities.mail.SmtpServer;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

public class SmtpConfig {
  @NotBlank
  @JsonProperty
  public String host = "localhost";

  @Min(1)
  @Max(65535)
  @JsonProperty
  public int port = 25;

  @JsonProperty
  public String username = "";

  @JsonProperty
  public String password = "";

  /** smtp (plain), starttls or smtps. */
  @Pattern(regexp = "smtp|starttls|smtps")
  @JsonProperty
  public String transport = "starttls";

  public SmtpServer server() {
    return new SmtpServer(host, port, username == null ? "" : username, password == null ? "" : password, transport);
  }
}
