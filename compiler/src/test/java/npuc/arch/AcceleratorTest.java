package npuc.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AcceleratorTest {

    @Test
    void looksUpByCliNameIgnoringCase() throws ConfigException {
        assertEquals(Accelerator.ETHOS_U55_128, Accelerator.fromName("ethos-u55-128"));
        assertEquals(Accelerator.ETHOS_U65_512, Accelerator.fromName("Ethos-U65-512"));
    }

    @Test
    void unknownNameListsTheValidChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> Accelerator.fromName("ethos-u55-512"));
        assertEquals("Unknown accelerator configuration 'ethos-u55-512' (valid choices: ethos-u55-32, ethos-u55-64,"
                + " ethos-u55-128, ethos-u55-256, ethos-u65-256, ethos-u65-512)", e.getMessage());
    }

    @Test
    void macsAreTheOfmMicroBlockTimesTheDotProductWidth() {
        for (Accelerator a : Accelerator.values()) {
            assertEquals(a.macs(), a.ofmMicroBlock().elements() * Accelerator.DPU_DOT_PRODUCT_WIDTH, a.cliName());
            assertEquals(a.cliName(), "ethos-" + (a.isEthosU65() ? "u65-" : "u55-") + a.macs() * a.cores());
        }
    }

    @Test
    void smallestConfigurationHasANarrowerOfmThanIfmMicroBlock() {
        Accelerator u55x32 = Accelerator.ETHOS_U55_32;
        assertEquals(new Block(1, 1, 4), u55x32.ofmMicroBlock());
        assertEquals(new Block(1, 1, 8), u55x32.ifmMicroBlock());
        assertEquals(1, u55x32.elementwiseUnits());
        assertEquals(4, u55x32.shramGranule(ShramElement.ACC40));
    }

    @Test
    void u65x512IsTwo256MacCores() {
        Accelerator a = Accelerator.ETHOS_U65_512;
        assertEquals(256, a.macs());
        assertEquals(2, a.cores());
        assertEquals("Ethos_U65_512", a.reportName());
        assertEquals(0.3125, a.outputCyclesPerElement(OutputCycleClass.ELEMENTWISE_32BIT_BINARY));
        assertEquals(0.125, a.activationCyclesPerElement(ActivationCycleClass.CLAMP));
    }

    @Test
    void u65HasWiderAndLongerAxiPortsThanU55() {
        assertEquals(128, Accelerator.ETHOS_U65_256.axiDataWidthBits());
        assertEquals(1L << 40, Accelerator.ETHOS_U65_256.maxAddressOffset());
        assertEquals(2, Accelerator.ETHOS_U65_256.maxOutstandingDma());
        assertEquals(1, Accelerator.ETHOS_U65_256.productId());
        assertEquals(64, Accelerator.ETHOS_U55_256.axiDataWidthBits());
        assertEquals(1L << 32, Accelerator.ETHOS_U55_256.maxAddressOffset());
        assertEquals(1, Accelerator.ETHOS_U55_256.maxOutstandingDma());
        assertEquals(0, Accelerator.ETHOS_U55_256.productId());
    }

    @Test
    void lookupTableTakesReservedBanksOnlyWhereThereAreAny() {
        // 48 banks: 2 kept unused at the end hold the table, so using it costs nothing.
        Accelerator big = Accelerator.ETHOS_U55_256;
        assertEquals(46, big.availableShramBanks(false));
        assertEquals(46, big.availableShramBanks(true));
        assertEquals(46 * 1024, big.shramLutAddress());
        // 16 banks: nothing reserved, so the table takes the last two.
        Accelerator small = Accelerator.ETHOS_U55_64;
        assertEquals(16, small.availableShramBanks(false));
        assertEquals(14, small.availableShramBanks(true));
        assertEquals(16 * 1024, small.shramSizeBytes());
        assertEquals(22, Accelerator.ETHOS_U55_128.availableShramBanks(true));
    }

    @Test
    void ifmBlockDepthIsMicroBlockRoundedAndCappedAt256Bits() {
        Accelerator a = Accelerator.ETHOS_U55_128;
        assertEquals(8, a.ifmBlockDepth(3, 8));
        assertEquals(32, a.ifmBlockDepth(100, 8));
        assertEquals(16, a.ifmBlockDepth(100, 16));
        assertEquals(8, a.ifmBlockDepth(100, 32));
    }

    @Test
    void shramElementsKnowTheirAlignment() {
        assertEquals(5, ShramElement.ACC40.bytes());
        assertTrue(ShramElement.ACC32.isAccumulator());
        assertFalse(ShramElement.IFM32.isAccumulator());
        assertEquals(8, ShramElement.ACC16.preAlign());
        assertEquals(8, ShramElement.IFM16.postAlign());
        assertEquals(ShramElement.IFM32, Accelerator.elementwiseIfmElement(32));
        assertEquals(ShramElement.IFM16_ELEMENTWISE, Accelerator.elementwiseIfmElement(16));
    }
}
