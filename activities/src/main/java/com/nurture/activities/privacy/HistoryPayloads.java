package com.nurture.activities.privacy;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Every {@link Payload} inside a Temporal message (a history, an event), replaced by a function of
 * it: how a history read straight from the service is decrypted for reading. Search attributes are
 * left alone (the SDK never encodes them with the codec).
 */
public final class HistoryPayloads {
  private HistoryPayloads() {}

  @SuppressWarnings("unchecked")
  public static <M extends Message> M map(M message, UnaryOperator<Payload> f) {
    return (M) walk(message, f);
  }

  private static Message walk(Message message, UnaryOperator<Payload> f) {
    if (message instanceof Payload p) {
      return f.apply(p);
    }
    if (message instanceof SearchAttributes) {
      return message;
    }
    Message.Builder b = null;
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor d = field.getKey();
      if (d.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (b == null) {
        b = message.toBuilder();
      }
      if (d.isRepeated()) {
        List<?> values = (List<?>) field.getValue();
        for (int i = 0; i < values.size(); i++) {
          b.setRepeatedField(d, i, walk((Message) values.get(i), f));
        }
      } else {
        b.setField(d, walk((Message) field.getValue(), f));
      }
    }
    return b == null ? message : b.build();
  }
}
