package com.nurture.activities.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Templates shipped on the classpath under {@code nurture/templates/<id>.yaml}, loaded on first use. */
public final class TemplateCatalog {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,99}");
  /** Lead attributes that select a template variant, most specific first. */
  static final java.util.List<String> SEGMENT_ATTRIBUTES = java.util.List.of("industry", "persona");
  private final YAMLMapper yaml = new YAMLMapper();
  private final Map<String, Optional<EmailTemplate>> cache = new ConcurrentHashMap<>();
  private final ClassLoader loader;

  public TemplateCatalog() {
    this(TemplateCatalog.class.getClassLoader());
  }

  TemplateCatalog(ClassLoader loader) {
    this.loader = loader;
  }

  public boolean exists(String id) {
    return find(id).isPresent();
  }

  /**
   * The template for a lead. In the lead's language first, when its {@code locale} names one other
   * than English and templates exist in it ({@code onboarding-welcome.ja}); then in English. In
   * each language, the segment variant when one exists ({@code case-study.manufacturing} for the
   * lead's industry, then {@code case-study.executive} for its persona), else the base.
   */
  public Optional<EmailTemplate> forLead(String id, Map<String, Object> attributes) {
    Optional<String> language = language(attributes.get("locale")).filter(l -> !l.equals("en"));
    if (language.isPresent()) {
      Optional<EmailTemplate> localised = segmentOrBase(id, attributes, "." + language.get());
      if (localised.isPresent()) {
        return localised;
      }
    }
    return segmentOrBase(id, attributes, "");
  }

  private Optional<EmailTemplate> segmentOrBase(String id, Map<String, Object> attributes, String languageSuffix) {
    for (String attribute : SEGMENT_ATTRIBUTES) {
      Object value = attributes.get(attribute);
      if (value != null) {
        Optional<EmailTemplate> variant = find(id + "." + segment(String.valueOf(value)) + languageSuffix);
        if (variant.isPresent()) {
          return variant;
        }
      }
    }
    return find(id + languageSuffix);
  }

  /** The language of a locale ("ja-JP", "ja_JP", "JA" -> "ja"), when it names one. */
  static Optional<String> language(Object locale) {
    if (locale == null) {
      return Optional.empty();
    }
    String tag = String.valueOf(locale).trim().toLowerCase(java.util.Locale.ROOT).split("[-_]")[0];
    return tag.matches("[a-z]{2,3}") ? Optional.of(tag) : Optional.empty();
  }

  /** "Financial Services" becomes "financial-services". */
  static String segment(String value) {
    return value.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }

  public Optional<EmailTemplate> find(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    return cache.computeIfAbsent(id, this::load);
  }

  private Optional<EmailTemplate> load(String id) {
    String path = "nurture/templates/" + id + ".yaml";
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        return Optional.empty();
      }
      JsonNode node = yaml.readTree(in);
      String subject = node.path("subject").asText("");
      String text = node.path("text").asText("");
      if (subject.isBlank() || text.isBlank()) {
        throw new IllegalStateException(path + " needs a subject and a text part");
      }
      Optional<String> html = node.hasNonNull("html") ? Optional.of(node.get("html").asText()) : Optional.empty();
      return Optional.of(new EmailTemplate(id, subject.trim(), text, html));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template " + path, e);
    }
  }
}
