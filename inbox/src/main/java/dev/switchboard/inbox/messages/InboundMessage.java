package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.SmsDetails;

/**
 * A message a carrier brought in for a served number. {@code from} is the sender as the carrier
 * gave it (E.164 when it was international, else as given); {@code carrierRef} names it on the
 * carrier side, e.g. {@code smpp:<account>:<message id>}.
 *
 * <p>{@code sms} says how an SMS travelled (segments, encoding, the path it came by, e.g.
 * {@code smpp:<account>}); null when the adapter does not know, and for other channels.
 */
public record InboundMessage(String to, String from, Channel channel, MessageContent content, String carrierRef, SmsDetails sms) {

    /** A message without SMS details. */
    public InboundMessage(String to, String from, Channel channel, MessageContent content, String carrierRef) {
        this(to, from, channel, content, carrierRef, null);
    }
}
