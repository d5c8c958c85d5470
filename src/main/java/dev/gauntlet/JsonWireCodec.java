package dev.gauntlet;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * A codec for Gauntlet's typed event-bus messages: passed as the same object within a process,
 * written as length-prefixed JSON across a cluster.
 */
public abstract class JsonWireCodec<T> implements MessageCodec<T, T> {

  private final String name;

  protected JsonWireCodec(String name) {
    this.name = name;
  }

  protected abstract JsonObject toJson(T value);

  protected abstract T fromJson(JsonObject json);

  @Override
  public final void encodeToWire(Buffer buffer, T value) {
    Buffer encoded = toJson(value).toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public final T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
  }

  @Override
  public final T transform(T value) {
    return value;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
