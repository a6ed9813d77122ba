package com.nurture.activities.db;

/** Journeys of a program's entrants that ended in it, by final status and reason. */
public record ExitCountRow(String status, String reason, long leads) {}
