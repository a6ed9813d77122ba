package com.nurture.activities.db;

/** How many journeys of a program's version are at a step with a status, not ended. */
public record InFlightRow(int programVersion, String currentStep, String status, long leads) {}
