package com.nurture.workflows.condition;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * One comparison: {@code eq}, {@code gte}, {@code lte} or {@code in}. Numbers compare as numbers
 * (so "250" from a CRM is 250), text case-insensitively; a missing or non-numeric value never
 * satisfies {@code gte} or {@code lte}.
 */
public record Comparison(Op op, List<String> values) {
  public enum Op { EQ, GTE, LTE, IN }

  public boolean holdsFor(Object actual) {
    if (actual == null) {
      return false;
    }
    String a = String.valueOf(actual);
    return switch (op) {
      case EQ -> equal(a, values.get(0));
      case IN -> values.stream().anyMatch(v -> equal(a, v));
      case GTE -> number(a) != null && number(values.get(0)) != null && number(a).compareTo(number(values.get(0))) >= 0;
      case LTE -> number(a) != null && number(values.get(0)) != null && number(a).compareTo(number(values.get(0))) <= 0;
    };
  }

  private static boolean equal(String a, String b) {
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    if (x != null && y != null) {
      return x.compareTo(y) == 0;
    }
    return a.trim().toLowerCase(Locale.ROOT).equals(b.trim().toLowerCase(Locale.ROOT));
  }

  static BigDecimal number(String s) {
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
