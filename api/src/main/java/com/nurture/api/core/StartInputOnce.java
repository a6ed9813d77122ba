package com.nurture.api.core;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.context.SerializationContext;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A data converter that decodes a workflow's input once where the SDK decodes it twice: for the
 * {@code @WorkflowInit} constructor and again, from the same {@link Payloads} instance of the start
 * event, for the workflow method. Every replay of a journey (each wake-up its worker's cache no
 * longer holds) did both, decrypting the input and reading its JSON each time: about a sixth of the
 * workflow threads' samples in a burst's flight recording (docs/benchmarks.md, "2026-12-07 09:51-11:12").
 *
 * <p>Only for the argument types named ({@code types}), whose workflow method does not read the
 * argument its constructor took (the journey's {@code run} carries on from the state the
 * constructor built): the second decode hands back the very objects the first returned, which the
 * constructor may have changed. The memory is by identity, not by content (two journeys with
 * equal inputs never share objects), forgotten on its second use, and bounded: at most {@link
 * #REMEMBERED} inputs waiting for their second decode (a decode whose second never comes, such as a
 * constructor that failed, leaves when newer ones push it out).
 *
 * <p>It is the delegate's {@link PayloadCodec} too (none: payloads pass unchanged), as the console's
 * history reads the client's converter ({@link JourneyHistory}).
 */
public final class StartInputOnce implements DataConverter, PayloadCodec {
  /** Inputs awaiting their workflow method: each is there only while its first workflow task runs. */
  static final int REMEMBERED = 256;

  private final DataConverter delegate;
  private final Set<Class<?>> types;
  private final Map<Identity, Object[]> firstDecodes;

  public StartInputOnce(DataConverter delegate, Set<Class<?>> types) {
    this(delegate, types, new LinkedHashMap<>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Identity, Object[]> eldest) {
        return size() > REMEMBERED;
      }
    });
  }

  private StartInputOnce(DataConverter delegate, Set<Class<?>> types, Map<Identity, Object[]> firstDecodes) {
    this.delegate = delegate;
    this.types = Set.copyOf(types);
    this.firstDecodes = firstDecodes;
  }

  /** The payloads object itself: equal contents are different keys. */
  private record Identity(Payloads payloads) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Identity that && that.payloads == payloads;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(payloads);
    }
  }

  @Override
  public Object[] fromPayloads(Optional<Payloads> content, Class<?>[] parameterTypes, Type[] genericParameterTypes)
      throws DataConverterException {
    if (content.isEmpty() || parameterTypes.length == 0 || !Arrays.stream(parameterTypes).allMatch(types::contains)) {
      return delegate.fromPayloads(content, parameterTypes, genericParameterTypes);
    }
    Identity key = new Identity(content.get());
    Object[] first;
    synchronized (firstDecodes) {
      first = firstDecodes.remove(key);
    }
    if (first != null && first.length == parameterTypes.length) {
      return first.clone();
    }
    Object[] decoded = delegate.fromPayloads(content, parameterTypes, genericParameterTypes);
    synchronized (firstDecodes) {
      firstDecodes.put(key, decoded.clone());
    }
    return decoded;
  }

  /** The same memory under every context: the SDK binds the workflow's context before decoding its input. */
  @Override
  public StartInputOnce withContext(SerializationContext context) {
    return new StartInputOnce(delegate.withContext(context), types, firstDecodes);
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return delegate instanceof PayloadCodec codec ? codec.encode(payloads) : payloads;
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return delegate instanceof PayloadCodec codec ? codec.decode(payloads) : payloads;
  }

  @Override
  public <T> Optional<Payload> toPayload(T value) throws DataConverterException {
    return delegate.toPayload(value);
  }

  @Override
  public <T> T fromPayload(Payload payload, Class<T> valueClass, Type valueType) throws DataConverterException {
    return delegate.fromPayload(payload, valueClass, valueType);
  }

  @Override
  public Optional<Payloads> toPayloads(Object... values) throws DataConverterException {
    return delegate.toPayloads(values);
  }

  @Override
  public <T> T fromPayloads(int index, Optional<Payloads> content, Class<T> valueType, Type valueGenericType)
      throws DataConverterException {
    return delegate.fromPayloads(index, content, valueType, valueGenericType);
  }

  @Override
  public RuntimeException failureToException(Failure failure) {
    return delegate.failureToException(failure);
  }

  @Override
  public Failure exceptionToFailure(Throwable throwable) {
    return delegate.exceptionToFailure(throwable);
  }
}
