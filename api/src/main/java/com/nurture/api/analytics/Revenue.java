package com.nurture.api.analytics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.ConversionTouchRow;
import com.nurture.api.analytics.RevenueAttribution.Model;
import com.nurture.api.analytics.RevenueAttribution.Touch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * GET /v1/programs/{id}/revenue and GET /v1/revenue: conversion revenue credited to the touches
 * before it under the four models of {@link RevenueAttribution}, per step and variant of one
 * program, or per program (docs/analytics.md, "Revenue attribution"). Amounts are decimals in the
 * currency's major unit, one line per currency (no exchange rates).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Revenue(String program, Instant from, Instant to, long lookbackDays, double halfLifeDays,
    Instant computedAt, long conversionsWithoutAmount, List<Total> totals, List<Credit> credits) {

  /** A credit under each model. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Models(BigDecimal firstTouch, BigDecimal lastTouch, BigDecimal linear, BigDecimal timeDecay) {}

  /**
   * Per currency: the conversions counted (for a program, those with a touch of it), their revenue,
   * the part with no touch at all (overall only; null for a program) and what the models credit.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Total(String currency, long conversions, BigDecimal revenue, BigDecimal unattributed, Models credited) {}

  /** One program (overall) or one step and variant (a program's): conversions it touched, its touches, its credit. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Credit(String program, String step, String variant, String currency, long conversions, long touches,
      Models credit) {}

  /** Sums in minor units under one key. */
  private static final class Sum {
    final long[] minor = new long[Model.values().length];
    final java.util.Set<String> conversions = new java.util.HashSet<>();
    long touches;
    long revenue;
    long unattributed;
  }

  private record Key(String program, String step, String variant, String currency) {}

  /**
   * The report over the DAO's rows (each conversion's touches, conversions in time order), for
   * {@code program} (per step and variant) or every program (per program).
   */
  public static Revenue of(Optional<String> program, Instant from, Instant to, java.time.Duration lookback,
      Instant computedAt, List<ConversionTouchRow> rows) {
    Map<String, List<ConversionTouchRow>> byConversion = new LinkedHashMap<>();
    rows.forEach(r -> byConversion.computeIfAbsent(r.leadId() + "\u001f" + r.eventId(), k -> new ArrayList<>()).add(r));
    Map<Key, Sum> credits = new TreeMap<>(Comparator.comparing(Key::program).thenComparing(Key::step)
        .thenComparing(Key::variant).thenComparing(Key::currency));
    Map<String, Sum> totals = new TreeMap<>();
    long withoutAmount = 0;
    for (Map.Entry<String, List<ConversionTouchRow>> c : byConversion.entrySet()) {
      ConversionTouchRow first = c.getValue().get(0);
      Optional<ConversionAmount> amount = amount(first);
      if (amount.isEmpty()) {
        withoutAmount++;
        continue;
      }
      String currency = amount.get().currency();
      List<Touch> touches = c.getValue().stream().flatMap(r -> r.touch().stream()).map(Revenue::touch)
          .sorted(RevenueAttribution.ORDER).toList();
      boolean counted = program.isEmpty() || touches.stream().anyMatch(t -> t.program().equals(program.get()));
      if (!counted) {
        continue;
      }
      Sum total = totals.computeIfAbsent(currency, k -> new Sum());
      total.conversions.add(c.getKey());
      total.revenue += amount.get().minor();
      if (touches.isEmpty()) {
        total.unattributed += amount.get().minor();
      }
      for (Model model : Model.values()) {
        long[] credit = RevenueAttribution.credit(model, first.convertedAt(), amount.get().minor(), touches);
        for (int i = 0; i < credit.length; i++) {
          Touch t = touches.get(i);
          if (program.isPresent() && !t.program().equals(program.get())) {
            continue;
          }
          Key key = program.isPresent() ? new Key(t.program(), t.step(), t.variant(), currency)
              : new Key(t.program(), "", "", currency);
          Sum sum = credits.computeIfAbsent(key, k -> new Sum());
          sum.minor[model.ordinal()] += credit[i];
          sum.conversions.add(c.getKey());
          if (model == Model.LINEAR) {
            sum.touches++;
          }
          total.minor[model.ordinal()] += credit[i];
        }
      }
    }
    List<Total> totalList = totals.entrySet().stream().map(e -> new Total(e.getKey(), e.getValue().conversions.size(),
        major(e.getValue().revenue, e.getKey()),
        program.isPresent() ? null : major(e.getValue().unattributed, e.getKey()), models(e.getValue(), e.getKey())))
        .toList();
    List<Credit> creditList = credits.entrySet().stream().map(e -> new Credit(e.getKey().program(),
        program.isPresent() ? e.getKey().step() : null, program.isPresent() ? e.getKey().variant() : null,
        e.getKey().currency(), e.getValue().conversions.size(), e.getValue().touches,
        models(e.getValue(), e.getKey().currency()))).toList();
    return new Revenue(program.orElse(null), from, to, lookback.toDays(),
        RevenueAttribution.HALF_LIFE.toHours() / 24.0, computedAt, withoutAmount, totalList, creditList);
  }

  /** The conversion's amount; empty when it has none or one stored before amounts were checked. */
  private static Optional<ConversionAmount> amount(ConversionTouchRow r) {
    Map<String, Object> properties = new LinkedHashMap<>();
    r.amount().ifPresent(a -> properties.put("amount", a));
    r.currency().ifPresent(c -> properties.put("currency", c));
    try {
      return ConversionAmount.of(properties);
    } catch (ConversionAmount.RefusedAmount e) {
      return Optional.empty();
    }
  }

  private static Touch touch(ConversionTouchRow.Touch t) {
    return new Touch(t.programId(), t.stepId(), t.variant(), t.at(),
        RevenueAttribution.Kind.valueOf(t.kind().toUpperCase(Locale.ROOT)));
  }

  private static Models models(Sum s, String currency) {
    return new Models(major(s.minor[0], currency), major(s.minor[1], currency), major(s.minor[2], currency),
        major(s.minor[3], currency));
  }

  private static BigDecimal major(long minor, String currency) {
    return new ConversionAmount(currency, minor).major();
  }
}
