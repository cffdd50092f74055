package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.MessageContent;

/**
 * A message a carrier brought in for a served number. {@code from} is the sender as the carrier
 * gave it (E.164 when it was international, else as given); {@code carrierRef} names it on the
 * carrier side, e.g. {@code smpp:<account>:<message id>}.
 */
public record InboundMessage(String to, String from, Channel channel, MessageContent content, String carrierRef) {}
