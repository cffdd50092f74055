package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.model.Suggestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Steps provider content down the ladder "carousel, then standalone cards, then text" when a
 * handset lacks a rich-card feature, one rung per call, so a sender retries with the richest
 * content the handset may still show before falling back to SMS.
 */
public final class RcsDegrader {
    private RcsDegrader() {}

    /** The content one rung lower, or empty when it is already plain (text and files). */
    public static Optional<List<RcsContent>> degrade(List<RcsContent> units) {
        if (units.stream().anyMatch(u -> u.body() instanceof RcsContent.CarouselCard)) {
            return Optional.of(units.stream().flatMap(RcsDegrader::splitCarousel).toList());
        }
        if (units.stream().anyMatch(u -> u.body() instanceof RcsContent.StandaloneCard)) {
            return Optional.of(units.stream().map(RcsDegrader::cardToText).toList());
        }
        return Optional.empty();
    }

    private static Stream<RcsContent> splitCarousel(RcsContent unit) {
        if (!(unit.body() instanceof RcsContent.CarouselCard carousel)) {
            return Stream.of(unit);
        }
        List<RcsContent> cards = new ArrayList<>();
        List<RcsContent.Card> list = carousel.cards();
        for (int i = 0; i < list.size(); i++) {
            List<Suggestion> suggestions = i == list.size() - 1 ? unit.suggestions() : List.of();
            cards.add(new RcsContent(new RcsContent.StandaloneCard(list.get(i)), suggestions));
        }
        return cards.stream();
    }

    private static RcsContent cardToText(RcsContent unit) {
        if (!(unit.body() instanceof RcsContent.StandaloneCard standalone)) {
            return unit;
        }
        RcsContent.Card card = standalone.card();
        String text = Stream.of(card.title(), card.description(), card.mediaUrl())
                .filter(s -> s != null && !s.isEmpty())
                .collect(Collectors.joining("\n"));
        // The card's own chips belong to it, so they come first; RBM takes at most 11 per message.
        List<Suggestion> suggestions = Stream.concat(card.suggestions().stream(), unit.suggestions().stream())
                .limit(RcsLimits.MAX_SUGGESTIONS)
                .toList();
        return new RcsContent(new RcsContent.Text(text), suggestions);
    }
}
