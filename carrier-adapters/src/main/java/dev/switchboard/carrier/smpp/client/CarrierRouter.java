package dev.switchboard.carrier.smpp.client;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Picks the carrier for a destination: the longest configured prefix wins. */
public final class CarrierRouter<C> {
    private record Route<C>(String prefix, C carrier) {}

    private final List<Route<C>> routes;

    public CarrierRouter(List<C> carriers, java.util.function.Function<C, List<String>> prefixes) {
        this.routes = carriers.stream()
                .flatMap(c -> prefixes.apply(c).stream().map(p -> new Route<>(p, c)))
                .sorted(Comparator.comparingInt((Route<C> r) -> r.prefix().length()).reversed())
                .toList();
    }

    public Optional<C> route(String destination) {
        return routes.stream().filter(r -> destination.startsWith(r.prefix())).map(Route::carrier).findFirst();
    }
}
