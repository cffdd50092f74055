package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.gateway.support.Browser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class BrowserSmokeTest {
    @Test
    void systemChromiumHasTheWebCryptoAlgorithmsTheWebInboxNeeds() throws Exception {
        // WebCrypto exists only in secure contexts; http://127.0.0.1 is one, a data: URL is not.
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>blank</title>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try (Browser browser = Browser.open()) {
            browser.driver().get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Object result = browser.driver().executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    (async () => {
                      const ed = await crypto.subtle.generateKey({name: 'Ed25519'}, false, ['sign', 'verify']);
                      const x = await crypto.subtle.generateKey({name: 'X25519'}, false, ['deriveBits']);
                      const sig = await crypto.subtle.sign({name: 'Ed25519'}, ed.privateKey, new Uint8Array([1, 2, 3]));
                      const ok = await crypto.subtle.verify({name: 'Ed25519'}, ed.publicKey, sig, new Uint8Array([1, 2, 3]));
                      return ok && x.publicKey.algorithm.name === 'X25519' ? 'ok' : 'bad';
                    })().then(done, e => done('error: ' + e));""");
            assertEquals("ok", result);
        } finally {
            server.stop(0);
        }
    }
}
