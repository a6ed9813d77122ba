package com.nurture.api.representations;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.api.errors.Problem;
import java.util.List;

/**
 * The answer to a batch (HTTP 200 however many items failed): one result per item, in the order
 * sent. {@code status} is what the single call would have answered (201, 200, 202, 404, 422, 503);
 * a failed item carries its problem document. Fields that do not apply are left out.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BatchResult(int succeeded, int failed, List<Item> results) {
  public static BatchResult of(List<Item> results) {
    int ok = (int) results.stream().filter(r -> r.status() < 300).count();
    return new BatchResult(ok, results.size() - ok, results);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Item(int index, String id, String leadId, int status, Boolean duplicate, Boolean deliveredToJourney,
      Boolean delivered, Problem problem) {
    public static Item failed(int index, String id, String leadId, Problem problem) {
      return new Item(index, id, leadId, problem.status(), null, null, null, problem);
    }
  }
}
