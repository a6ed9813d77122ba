package com.nurture.activities.db;

import java.util.Optional;

/**
 * How fast sales answered the hand-offs made in a period, for one owner, or for everyone when
 * {@code total} (docs/analytics.md, "Sales speed"). Seconds from the hand-off to sales' answer.
 */
public record SalesSpeedRow(
    boolean total,
    String owner,
    long handoffs,
    long answered,
    long answeredWithinSla,
    long accepted,
    Optional<Double> medianSecondsToAnswer,
    Optional<Double> p90SecondsToAnswer,
    Optional<Double> medianSecondsToAcceptance) {}
