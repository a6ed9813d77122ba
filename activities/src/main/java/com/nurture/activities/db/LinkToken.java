package com.nurture.activities.db;

/** A tracked link's token, its kind (click, open, honeypot) and original URL: one of a message's links. */
public record LinkToken(String token, String kind, String url) {}
