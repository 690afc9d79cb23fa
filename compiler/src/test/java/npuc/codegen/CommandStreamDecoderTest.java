package npuc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import npuc.SharedData;
import npuc.arch.Accelerator;

class CommandStreamDecoderTest {
    @Test
    void commandsRoundTripThroughWords() {
        List<Command> commands = List.of(Command.of(NpuCommand.NPU_SET_IFM_REGION, 1),
                Command.withPayload(NpuCommand.NPU_SET_IFM_BASE0, 0, 0x40),
                Command.of(NpuCommand.NPU_SET_IFM_ZERO_POINT, -128),
                Command.withPayload(NpuCommand.NPU_SET_OFM_SCALE, 7, 0x4000_0000),
                Command.of(NpuCommand.NPU_OP_STOP, 0xFFFF));
        int[] words = CommandStreamDecoder.encode(commands);
        assertEquals(7, words.length);
        assertEquals(0x0001_010F, words[0]);
        assertEquals(0x0000_4000, words[1]);
        assertEquals(0x40, words[2]);
        assertEquals(commands, CommandStreamDecoder.decode(words));
        assertEquals(-128, CommandStreamDecoder.decode(words).get(2).signedParam());
        assertEquals("NPU_SET_IFM_BASE0 param=0 0x00000040", commands.get(1).toString());
    }

    @Test
    void unknownOpcodeIsRejected() {
        assertThrows(CommandStreamException.class, () -> CommandStreamDecoder.decode(new int[] {0x0000_0777}));
        assertThrows(CommandStreamException.class, () -> CommandStreamDecoder.decode(new int[] {0x0000_4000}));
    }

    @Test
    void payloadHeaderRoundTrips() {
        int[] words = {0x0001_010F, 0xFFFF_0000};
        DriverPayload p = DriverPayload.of(Accelerator.ETHOS_U55_128, words);
        byte[] bytes = p.bytes();
        assertEquals(4 * (8 + 2), bytes.length);
        DriverPayload back = DriverPayload.parse(bytes);
        assertArrayEquals(words, back.commandWords());
        assertEquals(p.configWord(), back.configWord());
        // U55-128: 2^7 MACs per cycle, 24 KiB of SHRAM, product 0.
        assertEquals(7 | 24 << 8, p.configWord());
        // U65-512: two cores of 256 MACs and 48 KiB each.
        assertEquals(9 | 96 << 8 | 1 << 28, DriverPayload.of(Accelerator.ETHOS_U65_512, words).configWord());
    }

    /** Every golden payload parses, its header is the one npuc writes for the row's accelerator, and it decodes. */
    @Test
    void goldenPayloadsDecode() throws Exception {
        Path golden = SharedData.referenceDir().resolve("golden");
        assumeTrue(Files.isDirectory(golden), "skipped: " + golden + " is absent");
        int payloads = 0;
        try (Stream<Path> dirs = Files.list(golden)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String[] parts = dir.getFileName().toString().split("__");
                Accelerator accelerator = Accelerator.fromName(parts[1]);
                Path model = dir.resolve(parts[0] + "_vela.tflite");
                if (!Files.isRegularFile(model)) {
                    continue;
                }
                for (DriverPayload p : GoldenStreams.read(model)) {
                    List<Command> commands = CommandStreamDecoder.decode(p.commandWords());
                    assertEquals(NpuCommand.NPU_OP_STOP, commands.get(commands.size() - 1).command(), dir.toString());
                    assertArrayEquals(DriverPayload.of(accelerator, p.commandWords()).bytes(), p.bytes(),
                            dir.toString());
                    payloads++;
                }
            }
        }
        assertEquals(true, payloads >= 54, "payloads read: " + payloads);
    }
}
