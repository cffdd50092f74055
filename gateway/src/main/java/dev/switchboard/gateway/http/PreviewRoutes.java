package dev.switchboard.gateway.http;

import dev.switchboard.carrier.sms.Segmenter;
import dev.switchboard.carrier.sms.SmsPreview;
import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.json.StrictJson;
import dev.switchboard.inbox.model.PhoneNumber;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /v1/messages/preview}: how a text would travel — on-net, or as SMS with its encoding
 * and segment count ("2 SMS, UCS-2"), which a composer shows while the user types.
 */
final class PreviewRoutes {
    private final NumberService numbers;
    private final Segmenter segmenter = new Segmenter();

    PreviewRoutes(NumberService numbers) { this.numbers = numbers; }

    void mount(Router router, Authenticator auth) {
        router.post("/v1/messages/preview").handler(auth::requireDevice).handler(Replies.of(this::preview));
    }

    private Future<Reply> preview(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, Set.of("to", "text"));
        String to = PhoneNumber.require("to", body.requiredString("to", 32));
        String text = body.requiredString("text", 65_536);
        SmsPreview sms = segmenter.preview(text);
        return numbers.isServed(to).map(onnet -> {
            JsonObject answer = new JsonObject().put("channel", onnet ? "onnet" : "sms");
            if (!onnet) {
                answer.put("encoding", sms.encoding().name().toLowerCase(Locale.ROOT).replace("ucs2", "ucs-2"))
                        .put("segments", sms.segments())
                        .put("units", sms.units())
                        .put("sendable", sms.sendable());
            }
            return Reply.ok(answer);
        });
    }
}
