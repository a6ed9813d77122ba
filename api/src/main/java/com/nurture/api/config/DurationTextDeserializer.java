package com.nurture.api.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.nurture.workflows.program.DurationText;
import java.io.IOException;
import java.time.Duration;

/**
 * Binds a config.yml duration with {@link DurationText}, the one duration parser programs and the
 * scoring model use too: put {@code @JsonDeserialize(using = DurationTextDeserializer.class)} on a
 * {@code java.time.Duration} field. A bad value is a mapping error at the field's path, so the
 * configuration is refused at start-up with the key it is under ({@code journeys.inactivity}) and
 * why ({@code '3 weeks' is not a duration; write e.g. 3d, 12h or 1d12h}).
 */
public final class DurationTextDeserializer extends StdScalarDeserializer<Duration> {
  public DurationTextDeserializer() {
    super(Duration.class);
  }

  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
    }
    String text = p.getText();
    try {
      return DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      // A plain input mismatch, not Jackson's "weird string": Dropwizard then shows this message with the key.
      return (Duration) ctxt.reportInputMismatch(this, "%s", e.getMessage());
    }
  }
}
