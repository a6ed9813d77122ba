package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PUT /v1/leads/{id}: the lead as the MA system knows it. Custom fields go in {@code attributes}.
 * Every text here can reach a mail header or a template, so none may hold a control character
 * ({@link NoControlChars}), and the address must be one the sender can mail ({@link MailAddress}):
 * bad data is refused here, naming the field, rather than failing every send later.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeadRequest(
    @NotBlank @MailAddress @Size(max = 254) String email,
    @NoControlChars @Size(max = 100) String firstName,
    @NoControlChars @Size(max = 100) String lastName,
    @NoControlChars @Size(max = 200) String company,
    @NoControlChars @Size(max = 100) String role,
    @NoControlChars @Size(max = 100) String industry,
    @PositiveOrZero Integer employees,
    @NoControlChars @TimeZoneId String timezone,
    @NoControlChars @Size(max = 100) String source,
    @Pattern(regexp = "[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*",
        message = "must be a language tag such as en, ja or ja-JP") String locale,
    @NoControlChars @Pattern(regexp = "opt_in|pending|double_opt_in|legitimate_interest|none",
        message = "must be one of opt_in, pending, double_opt_in, legitimate_interest, none") String consent,
    @NoControlChars Map<@Size(max = 64) String, Object> attributes) {

  /** Everything templates and (later) conditions may read, known fields over custom ones. */
  public Map<String, Object> allAttributes() {
    Map<String, Object> all = new LinkedHashMap<>(attributes == null ? Map.of() : attributes);
    put(all, "first_name", firstName);
    put(all, "last_name", lastName);
    put(all, "company", company);
    put(all, "role", role);
    put(all, "industry", industry);
    put(all, "employees", employees);
    put(all, "source", source);
    put(all, "locale", locale);
    return all;
  }

  private static void put(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
