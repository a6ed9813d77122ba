package com.nurture.activities.db;

import java.util.Optional;

/**
 * The lifecycle funnel of the leads that entered nurture in a period (docs/analytics.md,
 * "Funnel"): how many reached each stage, and the median seconds from the stage before.
 */
public record FunnelRow(
    long enrolled,
    long engaged,
    long mql,
    long handedOff,
    long accepted,
    long graduated,
    long customers,
    Optional<Double> enrolledToEngaged,
    Optional<Double> engagedToMql,
    Optional<Double> mqlToHandedOff,
    Optional<Double> handedOffToAccepted,
    Optional<Double> acceptedToGraduated,
    Optional<Double> graduatedToCustomer,
    Optional<Double> enrolledToMql) {}
