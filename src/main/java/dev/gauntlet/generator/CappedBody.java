package dev.gauntlet.generator;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A response body kept in memory up to a limit. The first chunk past the limit, or any chunk
 * after the caller gave up, fails the write; the web client then fails the response and resets
 * the connection, so a huge or endless body is never read to the end.
 */
final class CappedBody implements BodyCodec<Buffer> {

  static final class TooLarge extends VertxException {
    TooLarge(long limit) {
      super("the answer is larger than max_response_bytes (" + limit + ")", true);
    }
  }

  static final class Abandoned extends VertxException {
    Abandoned() {
      super("the caller stopped waiting for the answer", true);
    }
  }

  private final long limit;
  private final Future<Void> abandoned;

  CappedBody(long limit, Future<Void> abandoned) {
    this.limit = limit;
    this.abandoned = abandoned;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Stream();
  }

  private final class Stream implements BodyStream<Buffer> {

    private final Buffer body = Buffer.buffer();
    private final Promise<Buffer> result = Promise.promise();

    @Override
    public Future<Void> write(Buffer data) {
      if (result.future().isComplete()) {
        return Future.failedFuture(result.future().cause());
      }
      if (abandoned.isComplete()) {
        result.tryFail(new Abandoned());
      } else if ((long) body.length() + data.length() > limit) {
        result.tryFail(new TooLarge(limit));
      } else {
        body.appendBuffer(data);
        return Future.succeededFuture();
      }
      return Future.failedFuture(result.future().cause());
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(body);
      return Future.succeededFuture();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
