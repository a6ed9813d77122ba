package com.nurture.api.openapi;

import com.nurture.api.representations.MailAddress;
import com.nurture.api.representations.NoControlChars;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.annotation.Annotation;
import java.util.Iterator;

/**
 * The API's own constraints on representation fields, in the description: swagger-core reads Bean
 * Validation's ({@code @Size}, {@code @Pattern}, {@code @Min}...) but not ours. A text field with
 * {@link NoControlChars} gets a pattern refusing C0 and C1 controls and DEL, one with
 * {@link MailAddress} the {@code email} format, so clients (and the fuzz run) know them up front.
 */
final class ConstraintsAsSchema implements ModelConverter {
  /** No C0 control, DEL or C1 control: what {@link NoControlChars} accepts (anchored by ApiDescription). */
  static final String NO_CONTROLS = "[^\\x00-\\x1F\\x7F-\\x9F]*";

  @Override
  public Schema<?> resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
    if (!chain.hasNext()) {
      return null;
    }
    Schema<?> schema = chain.next().resolve(type, context, chain);
    if (schema == null || schema.get$ref() != null || type.getCtxAnnotations() == null || !text(schema)) {
      return schema;
    }
    for (Annotation a : type.getCtxAnnotations()) {
      if (a instanceof NoControlChars && schema.getPattern() == null) {
        schema.setPattern(NO_CONTROLS);
      } else if (a instanceof MailAddress) {
        schema.setFormat("email");
      }
    }
    return schema;
  }

  private static boolean text(Schema<?> schema) {
    return "string".equals(schema.getType()) || (schema.getTypes() != null && schema.getTypes().contains("string"));
  }
}
