package dev.switchboard.carrier.rcs;

import dev.switchboard.carrier.MediaLinks;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renders a rich-model message as provider messages, one per part, because an RBM message carries
 * exactly one body. The message's suggestions ride on the last one, where the user's eye ends up.
 */
public final class RcsContentMapper {
    private final MediaLinks links;

    public RcsContentMapper(MediaLinks links) {
        this.links = Objects.requireNonNull(links, "links");
    }

    public List<RcsContent> map(MessageContent content) {
        List<Part> parts = content.parts();
        List<RcsContent> units = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            List<Suggestion> suggestions = i == parts.size() - 1 ? content.suggestions() : List.of();
            units.add(new RcsContent(body(parts.get(i)), suggestions));
        }
        return List.copyOf(units);
    }

    private RcsContent.Body body(Part part) {
        if (part instanceof Part.Text text) {
            return new RcsContent.Text(text.text());
        } else if (part instanceof Part.Media media) {
            return new RcsContent.File(links.link(media.mediaId()), media.contentType(), media.size(), media.fileName());
        } else if (part instanceof Part.RichCard card) {
            return new RcsContent.StandaloneCard(card(card));
        } else if (part instanceof Part.Carousel carousel) {
            return new RcsContent.CarouselCard(carousel.cards().stream().map(this::card).toList());
        } else if (part instanceof Part.Location location) {
            // RBM cannot send a location; a maps link opens on every handset.
            String label = location.label() == null ? "" : location.label() + " ";
            return new RcsContent.Text(label + "https://maps.google.com/?q=" + coordinate(location.latitude()) + ","
                    + coordinate(location.longitude()));
        }
        throw new IllegalArgumentException("unknown part " + part.getClass().getSimpleName());
    }

    private RcsContent.Card card(Part.RichCard card) {
        String mediaUrl = card.mediaId() == null ? null : links.link(card.mediaId());
        // The model keeps no content type for a card's media; the provider sniffs it from the download.
        return new RcsContent.Card(card.title(), card.description(), mediaUrl, null, card.suggestions());
    }

    /** Plain decimal: Double.toString would write small values as 1.0E-4, which maps do not read. */
    private static String coordinate(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
