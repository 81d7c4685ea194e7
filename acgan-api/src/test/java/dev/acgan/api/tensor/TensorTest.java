package dev.acgan.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void dataLengthMustMatchShape() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Tensor(new int[] {2, 3}, new float[5]));
        assertEquals("tensor of shape [2, 3] needs 6 values but has 5", e.getMessage());
        IllegalArgumentException scalar =
                assertThrows(IllegalArgumentException.class, () -> new Tensor(new int[0], new float[0]));
        assertEquals("tensor of shape [] needs 1 values but has 0", scalar.getMessage());
        IllegalArgumentException neg =
                assertThrows(IllegalArgumentException.class, () -> new Tensor(new int[] {-1, -2}, new float[2]));
        assertEquals("negative dimension in [-1, -2]", neg.getMessage());
        assertThrows(NullPointerException.class, () -> new Tensor(null, new float[1]));
        assertThrows(NullPointerException.class, () -> new Tensor(new int[0], null));
    }

    @Test
    void sizesRankZerosAndCopy() {
        Tensor s = new Tensor(new int[0], new float[] {7});
        assertEquals(0, s.rank());
        assertEquals(1, s.size());
        Tensor empty = new Tensor(new int[] {0, 4}, new float[0]);
        assertEquals(0, empty.size());
        Tensor z = Tensor.zeros(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, z.shape());
        assertArrayEquals(new float[24], z.data());
        assertEquals(3, z.rank());
        assertEquals(24L, Tensor.size(new int[] {2, 3, 4}));

        Tensor t = new Tensor(new int[] {2}, new float[] {1, 2});
        Tensor c = t.copy();
        assertEquals(t, c);
        assertNotSame(t.data(), c.data());
        c.data()[0] = 9;
        assertEquals(1f, t.data()[0]);
    }

    @Test
    void equalityIsByValue() {
        Tensor a = new Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 4});
        assertEquals(a, new Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 4}));
        assertEquals(a.hashCode(), new Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 4}).hashCode());
        assertNotEquals(a, new Tensor(new int[] {4}, new float[] {1, 2, 3, 4}));
        assertNotEquals(a, new Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 5}));
        assertEquals("Tensor[2, 2]", a.toString());
    }

    @Test
    void maxAbsDifference() {
        Tensor a = new Tensor(new int[] {3}, new float[] {1, -2, 3});
        Tensor b = new Tensor(new int[] {3}, new float[] {1.5f, -4, 3});
        assertEquals(2.0, a.maxAbsDifference(b), 0.0);
        assertEquals(0.0, a.maxAbsDifference(a), 0.0);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> a.maxAbsDifference(new Tensor(new int[] {1, 3}, new float[3])));
        assertEquals("shape [3] vs [1, 3]", e.getMessage());
    }
}
