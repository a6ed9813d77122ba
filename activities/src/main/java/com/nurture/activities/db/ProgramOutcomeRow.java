package com.nurture.activities.db;

import java.util.List;
import java.util.Optional;

/**
 * A program's entrants in a period and how many became MQL (a hand-off to sales at or after entry),
 * split into the nurtured and the held-out (control) arm, and the exits of those whose journey ended
 * in the program (docs/analytics.md, "Definitions").
 */
public record ProgramOutcomeRow(
    long enrolled,
    long mql,
    Optional<Double> medianSecondsToMql,
    Optional<Double> p90SecondsToMql,
    long nurtured,
    long nurturedMql,
    long heldOut,
    long heldOutMql,
    List<ExitCountRow> exits) {}
