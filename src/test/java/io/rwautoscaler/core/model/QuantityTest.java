package io.rwautoscaler.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.RoundingMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantityTest {

    // Rows marked "upstream" come from apimachinery pkg/api/resource/quantity_test.go
    // (TestQuantityString, TestMilliNewSet, TestNewSet), restated as the double they stand for.
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0            | 0
            -0.0         | 0
            1            | 1
            1.5          | 1500m
            0.001        | 1m
            0.0004       | 0
            -0.0004      | 0
            0.0005       | 1m
            -0.0005      | -1m
            0.0015       | 2m
            1.0005       | 1001m
            123.4565     | 123457m
            0.1          | 100m
            0.333333     | 333m
            0.9999       | 1
            5000         | 5k
            3000         | 3k
            1500         | 1500
            1234567      | 1234567
            2500000      | 2500k
            1e9          | 1G
            -2.5         | -2500m
            12.345       | 12345m
            10           | 10
            100          | 100
            10000        | 10k
            100000       | 100k
            1e6          | 1M
            2e15         | 2P
            1e19         | 10E
            1.5e19       | 15E
            1e-9         | 0
            # upstream
            1e9          | 1G
            0.001        | 1m
            0.08         | 80m
            1.08         | 1080m
            3e8          | 300M
            1e12         | 1T
            1e18         | 1E
            1e21         | 1e21
            5e21         | 5e21
            1e24         | 1e24
            1.234567e12  | 1234567M
            3000         | 3k
            1234         | 1234
            1000         | 1k
            1234000      | 1234k
            -1e9         | -1G
            -0.08        | -80m
            -1e21        | -1e21
            -1.234567e12 | -1234567M
            """)
    void formatsCanonicalDecimalSi(double value, String expected) {
        assertThat(Quantity.formatDecimal(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, 1.5, 0.0004, 0.0005, -2.5, 12.345, 1e9, 2500000, 1234567.891, 1e21, 0.1, 7.0e-3})
    void formatDecimalParsesBackToTheMilliRoundedValue(double value) {
        BigDecimal expected = BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP);

        assertThat(Quantity.parse(Quantity.formatDecimal(value))).isEqualByComparingTo(expected);
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void formatDecimalRejectsNonFinite(double value) {
        assertThatThrownBy(() -> Quantity.formatDecimal(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(value));
    }

    // Every row is also checked with a leading '-' and '+', as upstream's TestQuantityParse does.
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # upstream TestQuantityParse
            0                     | 0
            0n                    | 0
            0u                    | 0
            0m                    | 0
            0Ki                   | 0
            0k                    | 0
            0Mi                   | 0
            0M                    | 0
            0Gi                   | 0
            0G                    | 0
            0Ti                   | 0
            0T                    | 0
            1                     | 1
            1Ki                   | 1024
            8Ki                   | 8192
            7Mi                   | 7340032
            6Gi                   | 6442450944
            5Ti                   | 5497558138880
            4Pi                   | 4503599627370496
            3Ei                   | 3458764513820540928
            10Ti                  | 10995116277760
            100Ti                 | 109951162777600
            5n                    | 0.000000005
            4u                    | 0.000004
            3m                    | 0.003
            9                     | 9
            8k                    | 8000
            50k                   | 50000
            7M                    | 7000000
            6G                    | 6000000000
            5T                    | 5000000000000
            40T                   | 40000000000000
            300T                  | 300000000000000
            2P                    | 2000000000000000
            1E                    | 1000000000000000000
            1E-3                  | 0.001
            1e3                   | 1000
            1E6                   | 1000000
            1e9                   | 1000000000
            1E12                  | 1000000000000
            1e15                  | 1000000000000000
            1E18                  | 1000000000000000000
            1e14                  | 100000000000000
            1e13                  | 10000000000000
            100.035k              | 100035
            0.001                 | 0.001
            0.0005k               | 0.5
            0.005                 | 0.005
            0.05                  | 0.05
            0.5                   | 0.5
            0.00050k              | 0.5
            0.00500               | 0.005
            0.05000               | 0.05
            0.50000               | 0.5
            0.5e0                 | 0.5
            0.5e-1                | 0.05
            0.5e-2                | 0.005
            10.035M               | 10035000
            1.2e3                 | 1200
            1.3E+6                | 1300000
            1.40e9                | 1400000000
            1.53E12               | 1530000000000
            1.6e15                | 1600000000000000
            1.7E18                | 1700000000000000000
            9.01                  | 9.01
            8.1k                  | 8100
            7.123456M             | 7123456
            6.987654321G          | 6987654321
            5.444T                | 5444000000000
            40.1T                 | 40100000000000
            300.2T                | 300200000000000
            2.5P                  | 2500000000000000
            1.01E                 | 1010000000000000000
            3.001n                | 0.000000004
            1.1E-9                | 0.000000002
            0.0000000001          | 0.000000001
            0.0000000005          | 0.000000001
            0.00000000050         | 0.000000001
            0.5e-9                | 0.000000001
            0.9n                  | 0.000000001
            0.00000012345         | 0.000000124
            0.00000012354         | 0.000000124
            9Ei                   | 9223372036854775807
            9223372036854775807Ki | 9223372036854775807
            12E                   | 12000000000000000000
            100.035Ki             | 102435.84
            0.5Mi                 | 524288
            0.05Gi                | 53687091.2
            0.025Ti               | 27487790694.4
            0.000000000001Ki      | 0.000000002
            .001                  | 0.001
            .0001k                | 0.1
            1.                    | 1
            1.G                   | 1000000000
            # upstream TestQuantityParseEmit
            1024Mi                | 1073741824
            1000M                 | 1000000000
            .001Ki                | 1.024
            .000001Ki             | 0.001024
            .000000001Ki          | 0.000001024
            # ours
            1e+3                  | 1000
            1E-03                 | 0.001
            00012                 | 12
            1.5Gi                 | 1610612736
            300Mi                 | 314572800
            8Ei                   | 9223372036854775807
            18446744073709551616  | 18446744073709551616
            1e2                   | 100
            250m                  | 0.25
            500000u               | 0.5
            1000000000n           | 1
            """)
    void parsesEveryValidForm(String input, String expected) {
        BigDecimal value = new BigDecimal(expected);

        assertThat(Quantity.parse(input)).isEqualByComparingTo(value);
        assertThat(Quantity.parse("+" + input)).isEqualByComparingTo(value);
        assertThat(Quantity.parse("-" + input)).isEqualByComparingTo(value.negate());
    }

    @Test
    void parseResultHasNoTrailingZeros() {
        assertThat(Quantity.parse("1000m")).isEqualTo(Quantity.parse("1")).isEqualTo(Quantity.parse("0.001k"));
        assertThat(Quantity.parse("1.500")).isEqualTo(new BigDecimal("1.5"));
        assertThat(Quantity.parse("0.000")).isEqualTo(BigDecimal.ZERO);
        assertThat(Quantity.parse("1k").toPlainString()).isEqualTo("1000");
    }

    @Test
    void parseHandlesExtremeExponentsCheaply() {
        assertThat(Quantity.parse("1e2147483647")).isEqualByComparingTo(BigDecimal.ONE.scaleByPowerOfTen(2147483647));
        assertThat(Quantity.parse("1e-2147483647")).isEqualByComparingTo("0.000000001");
        assertThat(Quantity.parse("-1e-2147483647")).isEqualByComparingTo("-0.000000001");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""                  | empty string
            1.1.M               | unknown suffix ".M"
            1+1.0M              | unknown suffix "+1.0M"
            0.1mi               | unknown suffix "mi"
            0.1am               | unknown suffix "am"
            aoeu                | expected digits
            .5i                 | unknown suffix "i"
            1i                  | unknown suffix "i"
            -3.01i              | unknown suffix "i"
            -3.01e-             | exponent has no digits
            " 1"                | expected digits
            "1 "                | unknown suffix " "
            "1 Gi"              | unknown suffix " Gi"
            -                   | expected digits
            +                   | expected digits
            .                   | expected digits
            -.                  | expected digits
            Ki                  | expected digits
            e3                  | expected digits
            m                   | expected digits
            --1                 | expected digits
            +-1                 | expected digits
            1e                  | unknown suffix "e"
            1K                  | unknown suffix "K"
            1KI                 | unknown suffix "KI"
            1ki                 | unknown suffix "ki"
            1Ki3                | unknown suffix "Ki3"
            1k3                 | unknown suffix "k3"
            1mm                 | unknown suffix "mm"
            0x10                | unknown suffix "x10"
            "1,5"               | unknown suffix ",5"
            1..2                | unknown suffix ".2"
            1e3.5               | unknown suffix "e3.5"
            1ee3                | unknown suffix "ee3"
            1e+-3               | unknown suffix "e+-3"
            1E--3               | unknown suffix "E--3"
            1e3k                | unknown suffix "e3k"
            １                  | expected digits
            1٣                  | unknown suffix "٣"
            1e2147483648        | exponent out of range
            1e-2147483649       | exponent out of range
            1.5e-2147483647     | exponent out of range
            """)
    void parseRejectsMalformedNamingTheString(String input, String why) {
        assertThatThrownBy(() -> Quantity.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid quantity \"" + input + "\": " + why);
    }

    @Test
    void parseRejectsNull() {
        assertThatThrownBy(() -> Quantity.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quantity must not be null");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1000m   | 1.0
            2       | 2.0
            250m    | 0.25
            100m    | 0.1
            1.5     | 1.5
            1500m   | 1.5
            0       | 0.0
            1m      | 0.001
            500000u | 0.5
            2k      | 2000.0
            1e-3    | 0.001
            0.5Ki   | 512.0
            -1      | -1.0
            1e-2147483647 | 0.000000001
            """)
    void convertsCpuToCores(String quantity, double cores) {
        assertThat(Quantity.cpuCores(quantity)).isEqualTo(cores);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1 cpu", "1core", "1e400", "1e2147483647"})
    void cpuCoresRejectsMalformedOrHuge(String quantity) {
        assertThatThrownBy(() -> Quantity.cpuCores(quantity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid quantity \"" + quantity + "\"");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2Gi                 | 2147483648
            300Mi               | 314572800
            1G                  | 1000000000
            1Ki                 | 1024
            123Mi               | 128974848
            129e6               | 129000000
            128974848           | 128974848
            1.5Gi               | 1610612736
            0                   | 0
            1.5                 | 2
            500m                | 1
            1n                  | 1
            -1.5                | -2
            8Ei                 | 9223372036854775807
            9223372036854775807 | 9223372036854775807
            9223372036854775806.5 | 9223372036854775807
            """)
    void convertsToBytesRoundingUp(String quantity, long bytes) {
        assertThat(Quantity.bytes(quantity)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1 Gi", "2GB", "10E", "1e19", "9223372036854775808", "9223372036854775807.5",
            "-9223372036854775808", "1e2147483647"})
    void bytesRejectsMalformedOrBeyondLong(String quantity) {
        assertThatThrownBy(() -> Quantity.bytes(quantity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid quantity \"" + quantity + "\"");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.2     | 200m
            2       | 2
            2.0     | 2
            1.5     | 1500m
            0       | 0
            -0.0    | 0
            0.0004  | 0
            0.0005  | 1m
            0.001   | 1m
            0.25    | 250m
            1       | 1
            10      | 10
            2000    | 2000
            0.1     | 100m
            3.3333  | 3333m
            0.9995  | 1
            1.0004  | 1
            12.3456 | 12346m
            1.0005  | 1001m
            """)
    void formatsCpuAsWrittenInManifests(double cores, String expected) {
        assertThat(Quantity.formatCpu(cores)).isEqualTo(expected);
        assertThat(Quantity.cpuCores(expected))
                .isEqualTo(BigDecimal.valueOf(cores).setScale(3, RoundingMode.HALF_UP).doubleValue());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, -1, -0.0004, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void formatCpuRejectsNegativeAndNonFinite(double cores) {
        assertThatThrownBy(() -> Quantity.formatCpu(cores))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot format " + cores + " as CPU cores");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                   | 0
            1                   | 1
            1024                | 1024
            1000000             | 1000000
            1048576             | 1Mi
            314572800           | 300Mi
            1073741824          | 1Gi
            2147483648          | 2Gi
            1610612736          | 1536Mi
            8589934592          | 8Gi
            1099511627776       | 1024Gi
            1000000000          | 1000000000
            1048577             | 1048577
            1073741825          | 1073741825
            9223372036854775807 | 9223372036854775807
            """)
    void formatsMemoryAsWrittenInManifests(long bytes, String expected) {
        assertThat(Quantity.formatMemory(bytes)).isEqualTo(expected);
        assertThat(Quantity.bytes(expected)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -1048576, Long.MIN_VALUE})
    void formatMemoryRejectsNegative(long bytes) {
        assertThatThrownBy(() -> Quantity.formatMemory(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot format " + bytes + " as memory");
    }
}
