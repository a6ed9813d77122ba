package com.nurture.activities.mail;

/** An email ready to send: subject, plain text and HTML, both with the compliance footer. */
public record RenderedEmail(String subject, String text, String html) {}
