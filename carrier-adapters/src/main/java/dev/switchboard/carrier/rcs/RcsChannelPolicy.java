package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.messages.ChannelPolicy;
import dev.switchboard.inbox.messages.RcsCapabilityStore;
import dev.switchboard.inbox.messages.RequestedChannel;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Chooses RCS or SMS for an off-net message from what is known when it is sent: the sender's
 * provider and the cached capability of the peer. Without a fresh capability an automatic message
 * is queued for RCS and the worker asks the provider; with one, it goes by what the peer supports.
 * A message bound for RCS that the provider would reject is refused here, naming the limit.
 */
public final class RcsChannelPolicy implements ChannelPolicy {
    private final RcsProviderSet providers;
    private final RcsCapabilityStore capabilities;

    public RcsChannelPolicy(RcsProviderSet providers, RcsCapabilityStore capabilities) {
        this.providers = providers;
        this.capabilities = capabilities;
    }

    @Override
    public Future<Decision> choose(Tx tx, String from, String to, RequestedChannel requested, MessageContent content) {
        Optional<RcsProviderSet.Entry> entry = providers.forNumber(from);
        if (requested == RequestedChannel.SMS || entry.isEmpty()) {
            return ChannelPolicy.SMS_ONLY.choose(tx, from, to, requested, content);
        }
        RcsProviderSettings settings = entry.get().settings();
        return capabilities.fresh(tx.conn(), settings.id(), to, tx.now()).compose(cached -> {
            Decision rcs = new Decision(Channel.RCS, requested == RequestedChannel.RCS, tx.now().plus(settings.fallbackDeadline()));
            if (requested == RequestedChannel.RCS) {
                if (cached.isPresent() && !cached.get().reachable()) {
                    return Future.failedFuture(new InboxException(InboxException.Kind.UNPROCESSABLE, "peer_not_reachable_over_rcs",
                            to + " is not reachable over RCS (provider " + settings.id() + "); send it as SMS or with channel auto"));
                }
                return withinLimits(content, rcs);
            }
            if (cached.isEmpty()) {
                return withinLimits(content, rcs);
            }
            boolean supported = cached.get().reachable() && cached.get().features().containsAll(RcsFeatures.required(content));
            return supported ? withinLimits(content, rcs) : Future.succeededFuture(new Decision(Channel.SMS, false, null));
        });
    }

    private static Future<Decision> withinLimits(MessageContent content, Decision decision) {
        return RcsLimits.check(content)
                .<Future<Decision>>map(v -> Future.failedFuture(new InboxException(InboxException.Kind.UNPROCESSABLE, v.limit(),
                        v.field() + ": " + v.message())))
                .orElseGet(() -> Future.succeededFuture(decision));
    }
}
