package com.nurture.api.analytics;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The revenue a {@code converted_to_customer} event carries (docs/analytics.md, "Revenue
 * attribution"): {@code amount}, a decimal in the currency's major unit (a JSON number or a string
 * such as "1200.50", at most the currency's minor digits, more than 0), and {@code currency}, an ISO
 * 4217 code. Held in minor units (cents) so credits add up exactly.
 */
public record ConversionAmount(String currency, long minor) {
  /** The largest amount taken: a trillion in major units. */
  static final BigDecimal MAX = new BigDecimal("1000000000000");

  /** Why a property is refused: the property and the message. */
  public record Refusal(String property, String message) {}

  /** The minor digits of {@code currency} (2 for USD, 0 for JPY). */
  public static int digits(String currency) {
    return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
  }

  /** The amount in major units, as a decimal with the currency's minor digits. */
  public BigDecimal major() {
    return BigDecimal.valueOf(minor, digits(currency));
  }

  /**
   * The event's amount, empty when it carries none ({@code amount} absent): a conversion still, of
   * no stated revenue. A refusal names the property that is wrong.
   */
  public static Optional<ConversionAmount> of(Map<String, Object> properties) {
    Object amount = properties.get("amount");
    Object currency = properties.get("currency");
    if (amount == null) {
      if (currency != null) {
        throw new RefusedAmount(new Refusal("amount", "is required with currency"));
      }
      return Optional.empty();
    }
    if (!(currency instanceof String code) || !code.matches("[A-Za-z]{3}") || !known(code)) {
      throw new RefusedAmount(new Refusal("currency", "is required with amount: an ISO 4217 code such as USD, EUR, JPY"));
    }
    String c = code.toUpperCase(Locale.ROOT);
    BigDecimal value;
    try {
      value = amount instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(amount.toString().trim());
    } catch (NumberFormatException e) {
      throw new RefusedAmount(new Refusal("amount", "must be a decimal number such as 1200.50"));
    }
    if (value.signum() <= 0 || value.compareTo(MAX) > 0) {
      throw new RefusedAmount(new Refusal("amount", "must be more than 0 and at most " + MAX.toPlainString()));
    }
    int digits = digits(c);
    if (value.stripTrailingZeros().scale() > digits) {
      throw new RefusedAmount(new Refusal("amount", "has more decimals than " + c + " has (" + digits + ")"));
    }
    return Optional.of(new ConversionAmount(c, value.movePointRight(digits).longValueExact()));
  }

  private static boolean known(String code) {
    try {
      Currency.getInstance(code.toUpperCase(Locale.ROOT));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A refused amount or currency. */
  public static final class RefusedAmount extends RuntimeException {
    private final transient Refusal refusal;

    RefusedAmount(Refusal refusal) {
      super(refusal.property() + " " + refusal.message());
      this.refusal = refusal;
    }

    public Refusal refusal() {
      return refusal;
    }
  }
}
