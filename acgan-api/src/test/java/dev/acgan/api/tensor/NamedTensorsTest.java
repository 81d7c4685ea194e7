package dev.acgan.api.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedTensorsTest {

    private static Tensor t(float... v) {
        return new Tensor(new int[] {v.length}, v);
    }

    private static NamedTensors sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("generator/b", t(1));
        m.put("discriminator/a", t(2, 3));
        m.put("generator/a", t(4, 5, 6));
        return new NamedTensors(m);
    }

    @Test
    void keepsInsertionOrderAndIsImmutable() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("z", t(1));
        m.put("a", t(2));
        NamedTensors n = new NamedTensors(m);
        m.put("late", t(3));
        assertEquals(List.of("z", "a"), List.copyOf(n.names()));
        assertEquals(2, n.size());
        assertThrows(UnsupportedOperationException.class, () -> n.asMap().put("x", t(1)));
        assertTrue(NamedTensors.empty().asMap().isEmpty());
        assertEquals("NamedTensors[z, a]", n.toString());
    }

    @Test
    void getAndContains() {
        NamedTensors n = sample();
        assertEquals(t(2, 3), n.get("discriminator/a"));
        assertTrue(n.contains("generator/a"));
        assertFalse(n.contains("generator"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.get("nope"));
        assertEquals("no tensor named 'nope' (have [generator/b, discriminator/a, generator/a])", e.getMessage());
        assertEquals(6L, n.totalValues());
    }

    @Test
    void filterAndPrefixKeepOrder() {
        NamedTensors n = sample();
        assertEquals(
                List.of("generator/b", "generator/a"),
                List.copyOf(n.withPrefix("generator/").names()));
        assertEquals(
                List.of("discriminator/a", "generator/a"),
                List.copyOf(n.filter(s -> s.endsWith("/a")).names()));
        assertEquals(0, n.filter(s -> false).size());
    }

    @Test
    void mergeLetsTheOtherWin() {
        NamedTensors n = sample();
        NamedTensors other = new NamedTensors(Map.of("generator/a", t(9), "new", t(7)));
        NamedTensors merged = n.merge(other);
        assertEquals(4, merged.size());
        assertEquals(t(9), merged.get("generator/a"));
        assertEquals(t(1), merged.get("generator/b"));
        assertEquals(t(7), merged.get("new"));
        assertEquals(List.of("generator/b", "discriminator/a", "generator/a", "new"), List.copyOf(merged.names()));
        // the originals are untouched
        assertEquals(t(4, 5, 6), n.get("generator/a"));
        assertEquals(n, n.merge(NamedTensors.empty()));
    }

    @Test
    void equalityIsByNamesAndValuesNotOrder() {
        NamedTensors a = sample();
        Map<String, Tensor> reversed = new LinkedHashMap<>();
        reversed.put("generator/a", t(4, 5, 6));
        reversed.put("discriminator/a", t(2, 3));
        reversed.put("generator/b", t(1));
        NamedTensors b = new NamedTensors(reversed);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.merge(new NamedTensors(Map.of("generator/b", t(1.5f)))));
        assertNotEquals(a, a.withPrefix("generator/"));
        assertSame(a.get("generator/a"), a.asMap().get("generator/a"));
    }
}
