package dev.switchboard.carrier.rcs;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;

/**
 * Fetches a file a peer sent from the provider's URL, refusing anything larger than the media
 * limit before it is all in memory.
 */
public final class FileDownloader {
    private final HttpClient client;
    private final long maxBytes;
    private final Duration timeout;

    public FileDownloader(Vertx vertx, long maxBytes, Duration timeout) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setTrustAll(false));
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    public Future<Buffer> download(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalArgumentException("not a URL"));
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"http".equalsIgnoreCase(uri.getScheme())) {
            return Future.failedFuture(new IllegalArgumentException("only http and https file URLs are fetched"));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setSsl(tls)
                .setTimeout(timeout.toMillis());
        return client.request(options).compose(req -> req.send()).compose(resp -> {
            if (resp.statusCode() / 100 != 2) {
                return Future.failedFuture(new IllegalStateException("file download answered HTTP " + resp.statusCode()));
            }
            Promise<Buffer> body = Promise.promise();
            Buffer buffer = Buffer.buffer();
            resp.handler(chunk -> {
                if (buffer.length() + chunk.length() > maxBytes) {
                    resp.request().connection().close();
                    body.tryFail(new IllegalStateException("file larger than " + maxBytes + " bytes"));
                } else {
                    buffer.appendBuffer(chunk);
                }
            });
            resp.exceptionHandler(body::tryFail);
            resp.endHandler(v -> body.tryComplete(buffer));
            return body.future();
        });
    }

    public void close() {
        client.close();
    }
}
