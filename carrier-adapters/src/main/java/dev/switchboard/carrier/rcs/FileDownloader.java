package dev.switchboard.carrier.rcs;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches a file a peer sent from the URL in a provider's webhook. The URL comes from outside, so
 * the fetch is fenced: from the provider's own host, or over https from a host whose every address
 * is public (no loopback, private, link-local or metadata addresses); redirects are not followed;
 * the whole exchange has a deadline; and anything larger than the media limit is refused before it
 * is all in memory.
 */
public final class FileDownloader {
    private final Vertx vertx;
    private final HttpClient client;
    private final long maxBytes;
    private final Duration timeout;

    public FileDownloader(Vertx vertx, long maxBytes, Duration timeout) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis()));
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /** @param providerHost the host of the provider's base URL, trusted whatever its address */
    public Future<Buffer> download(String url, String providerHost) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalArgumentException("the file URL is not a URL"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = uri.getHost();
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Future.failedFuture(new IllegalArgumentException("only http and https file URLs are fetched"));
        }
        boolean provider = host.equalsIgnoreCase(providerHost);
        if (!provider && !scheme.equals("https")) {
            return Future.failedFuture(new IllegalArgumentException("files from other hosts than the provider's are fetched over https only"));
        }
        Future<Void> allowed = provider ? Future.succeededFuture() : publicOnly(host);
        return allowed.compose(v -> fetch(url, scheme.equals("https")));
    }

    /** Name resolution blocks, so it runs on a worker thread. */
    private Future<Void> publicOnly(String host) {
        return vertx.executeBlocking(() -> {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                        || a.isMulticastAddress() || isUniqueLocal(a)) {
                    throw new IllegalArgumentException("the file host resolves to a non-public address");
                }
            }
            return null;
        }, false);
    }

    private static boolean isUniqueLocal(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc;
    }

    private Future<Buffer> fetch(String url, boolean tls) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setSsl(tls).setFollowRedirects(false);
        Promise<Buffer> result = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        // A deadline over the whole exchange: an idle timeout alone lets a server drip bytes forever.
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (result.tryFail("file download took longer than " + timeout.toSeconds() + " s")) {
                HttpClientRequest request = sent.get();
                if (request != null) {
                    request.reset();
                }
            }
        });
        client.request(options).compose(req -> {
            sent.set(req);
            return req.send();
        }).onSuccess(resp -> {
            if (resp.statusCode() / 100 != 2) {
                result.tryFail("file download answered HTTP " + resp.statusCode());
                resp.request().reset();
                return;
            }
            Buffer buffer = Buffer.buffer();
            resp.handler(chunk -> {
                if (buffer.length() + chunk.length() > maxBytes) {
                    result.tryFail("file larger than " + maxBytes + " bytes");
                    resp.request().reset();
                } else {
                    buffer.appendBuffer(chunk);
                }
            });
            resp.exceptionHandler(result::tryFail);
            resp.endHandler(v -> result.tryComplete(buffer));
        }).onFailure(result::tryFail);
        return result.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    public void close() {
        client.close();
    }
}
