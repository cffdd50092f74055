package dev.switchboard.carrier.sms;

import dev.switchboard.carrier.MediaLinks;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Any message as the plain text an SMS can carry.
 *
 * <ul>
 *   <li>Parts in order, one after the other on new lines; a part that renders to nothing (an empty
 *       text) is left out rather than leaving a stray blank line.
 *   <li>Text as is. Media as {@code <fileName or "Attachment">: <link>}.
 *   <li>A rich card as its title, description and media link, each on its own line (those it has).
 *       A carousel as its cards with a blank line between them.
 *   <li>A location as {@code <label> https://maps.google.com/?q=<lat>,<lng>} (no label: the link alone).
 *   <li>Then, when the message has suggestions ({@link MessageContent#numberedSuggestions()}: the cards'
 *       first, then the message's own), a blank line and one line per suggestion {@code N. <text>},
 *       with its target for actions: a dial's {@code (<phoneNumber>)}, an open-URL's {@code (<url>)},
 *       a show-location's {@code (<maps link>)}, a calendar event's {@code (<title>, <startTime>)}. A
 *       reply and a share-location add nothing. When any suggestion is a reply, a last line
 *       "Reply with a number." invites the numbered answer that {@code NumberedReplies} maps back.
 * </ul>
 *
 * <p>Coordinates are written as plain decimals with no exponent and no trailing zeros
 * ({@code 41.9}, {@code 12}, {@code 0.00001}, {@code -33.8688}): the shortest decimal that reads back
 * as the same double ({@link Double#toString}), without its scientific notation.
 */
public final class SmsRendering {
    static final String REPLY_HINT = "Reply with a number.";
    private static final String MAPS = "https://maps.google.com/?q=";

    private final MediaLinks links;

    public SmsRendering(MediaLinks links) {
        this.links = Objects.requireNonNull(links, "links");
    }

    /** The whole message as SMS text; empty only when nothing in it renders. */
    public String render(MessageContent content) {
        List<String> blocks = new ArrayList<>();
        for (Part part : content.parts()) {
            String rendered = part(part);
            if (!rendered.isEmpty()) {
                blocks.add(rendered);
            }
        }
        String body = String.join("\n", blocks);
        List<Suggestion> suggestions = content.numberedSuggestions();
        if (suggestions.isEmpty()) {
            return body;
        }
        StringBuilder out = new StringBuilder(body);
        if (!body.isEmpty()) {
            out.append("\n\n");
        }
        boolean anyReply = false;
        for (int i = 0; i < suggestions.size(); i++) {
            Suggestion s = suggestions.get(i);
            anyReply |= s instanceof Suggestion.Reply;
            if (i > 0) {
                out.append('\n');
            }
            out.append(i + 1).append(". ").append(s.text()).append(target(s));
        }
        if (anyReply) {
            out.append('\n').append(REPLY_HINT);
        }
        return out.toString();
    }

    private String part(Part part) {
        if (part instanceof Part.Text t) {
            return t.text();
        } else if (part instanceof Part.Media m) {
            String name = m.fileName() == null || m.fileName().isBlank() ? "Attachment" : m.fileName();
            return name + ": " + links.link(m.mediaId());
        } else if (part instanceof Part.RichCard card) {
            return card(card);
        } else if (part instanceof Part.Carousel carousel) {
            List<String> cards = new ArrayList<>();
            for (Part.RichCard card : carousel.cards()) {
                String rendered = card(card);
                if (!rendered.isEmpty()) {
                    cards.add(rendered);
                }
            }
            return String.join("\n\n", cards);
        } else if (part instanceof Part.Location l) {
            String link = mapsLink(l.latitude(), l.longitude());
            return l.label() == null || l.label().isBlank() ? link : l.label() + " " + link;
        }
        throw new IllegalArgumentException("unknown part " + part);
    }

    private String card(Part.RichCard card) {
        List<String> lines = new ArrayList<>();
        if (card.title() != null && !card.title().isEmpty()) {
            lines.add(card.title());
        }
        if (card.description() != null && !card.description().isEmpty()) {
            lines.add(card.description());
        }
        if (card.mediaId() != null) {
            lines.add(links.link(card.mediaId()));
        }
        return String.join("\n", lines);
    }

    private static String target(Suggestion s) {
        if (s instanceof Suggestion.Dial d) {
            return " (" + d.phoneNumber() + ")";
        } else if (s instanceof Suggestion.OpenUrl u) {
            return " (" + u.url() + ")";
        } else if (s instanceof Suggestion.ShowLocation l) {
            return " (" + mapsLink(l.latitude(), l.longitude()) + ")";
        } else if (s instanceof Suggestion.CalendarEvent c) {
            return c.title() == null ? " (" + c.startTime() + ")" : " (" + c.title() + ", " + c.startTime() + ")";
        }
        return ""; // Reply, ShareLocation: the text says it all.
    }

    static String mapsLink(double latitude, double longitude) {
        return MAPS + decimal(latitude) + "," + decimal(longitude);
    }

    /** A plain decimal, no exponent, no trailing zeros: 41.9, 12, 0.00001. */
    static String decimal(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return "0"; // also -0.0
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
