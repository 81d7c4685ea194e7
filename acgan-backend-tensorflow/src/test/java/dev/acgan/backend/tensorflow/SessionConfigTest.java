package dev.acgan.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

/** The thread settings a host gives through system properties. */
class SessionConfigTest {

    @AfterEach
    void clear() {
        System.clearProperty(SessionConfig.INTRA_OP_THREADS);
        System.clearProperty(SessionConfig.INTER_OP_THREADS);
    }

    @Test
    void unsetOrBlankLeavesTensorFlowsDefaults() {
        assertEquals(0, SessionConfig.current().getIntraOpParallelismThreads());
        assertEquals(0, SessionConfig.current().getInterOpParallelismThreads());
        System.setProperty(SessionConfig.INTRA_OP_THREADS, "  ");
        assertEquals(0, SessionConfig.current().getIntraOpParallelismThreads());
    }

    @Test
    void countsAreReadWhenASessionIsMade() {
        System.setProperty(SessionConfig.INTRA_OP_THREADS, " 2 ");
        System.setProperty(SessionConfig.INTER_OP_THREADS, "1");
        ConfigProto c = SessionConfig.current();
        assertEquals(2, c.getIntraOpParallelismThreads());
        assertEquals(1, c.getInterOpParallelismThreads());
        System.setProperty(SessionConfig.INTER_OP_THREADS, "0");
        assertEquals(0, SessionConfig.current().getInterOpParallelismThreads());
    }

    @Test
    void aBadCountNamesThePropertyAndTheValue() {
        for (String bad : new String[] {"-1", "two", "1.5"}) {
            System.setProperty(SessionConfig.INTER_OP_THREADS, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SessionConfig::current);
            assertTrue(
                    e.getMessage().contains(SessionConfig.INTER_OP_THREADS)
                            && e.getMessage().contains("'" + bad + "'"),
                    e.getMessage());
        }
    }
}
