package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/** PUT /v1/leads/{id}: the lead as the MA system knows it. Custom fields go in {@code attributes}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeadRequest(
    @NotBlank @Email @Size(max = 254) String email,
    @Size(max = 100) String firstName,
    @Size(max = 100) String lastName,
    @Size(max = 200) String company,
    @Size(max = 100) String role,
    @Size(max = 100) String industry,
    @PositiveOrZero Integer employees,
    @TimeZoneId String timezone,
    @Size(max = 100) String source,
    @Pattern(regexp = "opt_in|double_opt_in|legitimate_interest|none",
        message = "must be one of opt_in, double_opt_in, legitimate_interest, none") String consent,
    Map<@Size(max = 64) String, Object> attributes) {

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
    return all;
  }

  private static void put(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
