package com.nurture.activities.mail;

import java.util.Optional;

/**
 * An email template: Mustache sources for the subject, the plain-text part and, optionally, the
 * HTML part (without one, the HTML part is made from the text).
 */
public record EmailTemplate(String id, String subject, String text, Optional<String> html) {}
