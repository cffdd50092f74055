package dev.switchboard.carrier.rcs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.inbox.model.Suggestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One rung down per call: carousels to standalone cards, cards to text, then nothing left. */
class RcsDegraderTest {
    private static final Suggestion YES = new Suggestion.Reply("Yes", "yes");
    private static final Suggestion NO = new Suggestion.Reply("No", "no");
    private static final Suggestion CALL = new Suggestion.Dial("Call", "+4930123456");

    private static final RcsContent.Card A = new RcsContent.Card("A", "about a", "https://gw/a.png", "image/png", List.of(CALL));
    private static final RcsContent.Card B = new RcsContent.Card("B", null, null, null, List.of());

    private static RcsContent unit(RcsContent.Body body, Suggestion... suggestions) {
        return new RcsContent(body, List.of(suggestions));
    }

    @Test
    void carouselBecomesStandaloneCardsWithTheSuggestionsOnTheLast() {
        List<RcsContent> before = List.of(unit(new RcsContent.Text("intro")), unit(new RcsContent.CarouselCard(List.of(A, B)), YES, NO));
        List<RcsContent> after = List.of(unit(new RcsContent.Text("intro")), unit(new RcsContent.StandaloneCard(A)),
                unit(new RcsContent.StandaloneCard(B), YES, NO));
        assertEquals(Optional.of(after), RcsDegrader.degrade(before));
    }

    @Test
    void standaloneCardsWaitWhileACarouselIsStillThere() {
        List<RcsContent> before = List.of(unit(new RcsContent.StandaloneCard(A)), unit(new RcsContent.CarouselCard(List.of(A, B))));
        List<RcsContent> after = RcsDegrader.degrade(before).orElseThrow();
        assertEquals(List.of(unit(new RcsContent.StandaloneCard(A)), unit(new RcsContent.StandaloneCard(A)),
                unit(new RcsContent.StandaloneCard(B))), after);
    }

    @Test
    void cardBecomesTextOfTitleDescriptionAndMediaLinkWithCardSuggestionsFirst() {
        List<RcsContent> before = List.of(unit(new RcsContent.StandaloneCard(A), YES), unit(new RcsContent.StandaloneCard(B)));
        List<RcsContent> after = List.of(unit(new RcsContent.Text("A\nabout a\nhttps://gw/a.png"), CALL, YES),
                unit(new RcsContent.Text("B")));
        assertEquals(Optional.of(after), RcsDegrader.degrade(before));
    }

    @Test
    void movedSuggestionsAreCappedAtEleven() {
        List<Suggestion> cardChips = List.of(CALL, CALL, CALL, CALL);
        List<Suggestion> unitChips = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            unitChips.add(new Suggestion.Reply("r" + i, "p" + i));
        }
        RcsContent card = new RcsContent(new RcsContent.StandaloneCard(new RcsContent.Card("T", null, null, null, cardChips)), unitChips);
        List<Suggestion> moved = RcsDegrader.degrade(List.of(card)).orElseThrow().get(0).suggestions();
        assertEquals(11, moved.size());
        assertEquals(cardChips, moved.subList(0, 4));
        assertEquals(unitChips.subList(0, 7), moved.subList(4, 11));
    }

    @Test
    void textAndFilesHaveNothingLeftToDegrade() {
        List<RcsContent> plain = List.of(unit(new RcsContent.Text("hi"), YES),
                unit(new RcsContent.File("https://gw/f", "application/pdf", 10, "f.pdf")));
        assertEquals(Optional.empty(), RcsDegrader.degrade(plain));
        assertEquals(Optional.empty(), RcsDegrader.degrade(List.of()));
    }

    @Test
    void theLadderEndsInTextAfterTwoSteps() {
        List<RcsContent> carousel = List.of(unit(new RcsContent.CarouselCard(List.of(A, B)), YES));
        List<RcsContent> cards = RcsDegrader.degrade(carousel).orElseThrow();
        List<RcsContent> text = RcsDegrader.degrade(cards).orElseThrow();
        assertEquals(List.of(unit(new RcsContent.Text("A\nabout a\nhttps://gw/a.png"), CALL), unit(new RcsContent.Text("B"), YES)), text);
        assertEquals(Optional.empty(), RcsDegrader.degrade(text));
    }
}
