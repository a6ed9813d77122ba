package com.nurture.api.representations;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Text that may reach a mail header or a template holds no control character: no C0 control
 * (U+0000-U+001F: NUL, tab, LF, CR...), no DEL (U+007F) and no C1 control (U+0080-U+009F, among
 * them NEL). A CR or LF in a first name ends up in the To header and the send fails for ever; a
 * NUL cannot even be stored in PostgreSQL text. Tab is refused too: it has no place in a name or
 * an attribute, and would break the header or template line it lands on.
 *
 * <p>On a String it checks the string. On a map (lead {@code attributes}, event {@code properties})
 * it checks every key and, recursively through nested maps and lists, every string value; each
 * violation names the entry, {@code attributes.title} or {@code attributes.address.lines[1]}. null
 * is allowed (not given).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = NoControlChars.Validator.class)
public @interface NoControlChars {
  String message() default "must not contain control characters (line breaks, tabs, NUL...)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  final class Validator implements ConstraintValidator<NoControlChars, Object> {
    /** The first control character in {@code s}, as U+XXXX at its position, or empty when there is none. */
    public static Optional<String> firstControl(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
          return Optional.of(String.format("U+%04X at position %d", (int) c, i));
        }
      }
      return Optional.empty();
    }

    @Override
    public boolean isValid(Object value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      if (value instanceof String s) {
        return firstControl(s).map(where -> {
          violation(context, null, "must not contain control characters (line breaks, tabs, NUL...); found " + where);
          return false;
        }).orElse(true);
      }
      return walk(value, "", context);
    }

    /** @return false when a violation was reported under {@code path} (relative to the annotated map) */
    private static boolean walk(Object value, String path, ConstraintValidatorContext context) {
      boolean ok = true;
      if (value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String key = String.valueOf(e.getKey());
          Optional<String> badKey = firstControl(key);
          if (badKey.isPresent()) {
            violation(context, path.isEmpty() ? null : path,
                "has a key with a control character (" + badKey.get() + "); keys must be plain text");
            ok = false;
            continue;
          }
          ok &= walk(e.getValue(), path.isEmpty() ? key : path + "." + key, context);
        }
      } else if (value instanceof Collection<?> items) {
        int i = 0;
        // Not List.copyOf: a JSON array may hold nulls ([null, "x"]), which it refuses with an exception (a 500).
        for (Object item : items) {
          ok &= walk(item, path + "[" + i++ + "]", context);
        }
      } else if (value instanceof String s) {
        Optional<String> where = firstControl(s);
        if (where.isPresent()) {
          violation(context, path, "must not contain control characters (line breaks, tabs, NUL...); found " + where.get());
          ok = false;
        }
      }
      return ok;
    }

    /**
     * Reports a violation at {@code path} below the annotated element, as one container-element
     * node: the problem mapper prints it verbatim (map keys are not re-cased) after the property's name.
     */
    private static void violation(ConstraintValidatorContext context, String path, String message) {
      context.disableDefaultConstraintViolation();
      ConstraintValidatorContext.ConstraintViolationBuilder b =
          context.buildConstraintViolationWithTemplate(escape(message));
      if (path == null || path.isEmpty()) {
        b.addConstraintViolation();
      } else {
        b.addContainerElementNode(path, Map.class, 1).addConstraintViolation();
      }
    }

    /** A message is a template: its braces, dollars and backslashes must not be interpolated. */
    private static String escape(String message) {
      return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
  }
}
