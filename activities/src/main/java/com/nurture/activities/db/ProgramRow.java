package com.nurture.activities.db;

import java.time.Instant;

/** One published version of a program: its source text and the parsed definition as JSON. */
public record ProgramRow(String id, int version, String name, String source, String definition, String checksum,
    Instant publishedAt) {}
