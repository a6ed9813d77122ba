package com.nurture.api.representations;

import com.nurture.activities.mail.MailAddresses;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An address Nurture can mail ({@link MailAddresses}: the validator Simple Java Mail applies when
 * sending, plus no whitespace or control characters, no display name, an ASCII local part and a
 * domain that may be internationalised). Spaces around the address are ignored. null is allowed
 * (not given; pair with NotBlank).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = MailAddress.Validator.class)
public @interface MailAddress {
  String message() default "must be an email address such as pat@example.com";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  final class Validator implements ConstraintValidator<MailAddress, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null || value.isEmpty()) {
        return true;
      }
      // Surrounding spaces are forgiven (the resource trims them, as it always has); any other
      // whitespace, and every control character, is refused.
      return MailAddresses.problem(trimSpaces(value)).map(why -> {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(why.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
            .replace("$", "\\$")).addConstraintViolation();
        return false;
      }).orElse(true);
    }

    private static String trimSpaces(String s) {
      int from = 0;
      int to = s.length();
      while (from < to && s.charAt(from) == ' ') {
        from++;
      }
      while (to > from && s.charAt(to - 1) == ' ') {
        to--;
      }
      return s.substring(from, to);
    }
  }
}
