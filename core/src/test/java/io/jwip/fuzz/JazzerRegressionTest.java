package io.jwip.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jwip.dhcp.DhcpFuzzTarget;
import io.jwip.dns.DnsFuzzTarget;
import io.jwip.eth.EthFuzzTarget;
import io.jwip.ppp.PppFuzzTarget;
import io.jwip.tcp.TcpFuzzTarget;

/**
 * The coverage-guided fuzz targets in regression mode: {@code make test} replays every input of the
 * committed corpus ({@code src/test/resources/io/jwip/fuzz/JazzerRegressionTestInputs/<target>/}), so a
 * finding once fixed stays fixed. {@code make fuzz} runs each target for {@code FUZZ_SECONDS} with Jazzer's
 * driver and adds the inputs that reach new code to that corpus (see the README, "Fuzzing").
 */
class JazzerRegressionTest {
    @FuzzTest
    void ip4(FuzzedDataProvider d) {
        IpFuzzTargets.ip4(d);
    }

    @FuzzTest
    void udp(FuzzedDataProvider d) {
        IpFuzzTargets.udp(d);
    }

    @FuzzTest
    void icmp(FuzzedDataProvider d) {
        IpFuzzTargets.icmp(d);
    }

    @FuzzTest
    void slip(FuzzedDataProvider d) {
        IpFuzzTargets.slip(d);
    }

    @FuzzTest
    void tcp(FuzzedDataProvider d) {
        TcpFuzzTarget.fuzzerTestOneInput(d);
    }

    @FuzzTest
    void eth(FuzzedDataProvider d) {
        EthFuzzTarget.fuzzerTestOneInput(d);
    }

    @FuzzTest
    void dhcp(FuzzedDataProvider d) {
        DhcpFuzzTarget.fuzzerTestOneInput(d);
    }

    @FuzzTest
    void dns(FuzzedDataProvider d) {
        DnsFuzzTarget.fuzzerTestOneInput(d);
    }

    @FuzzTest
    void ppp(FuzzedDataProvider d) {
        PppFuzzTarget.fuzzerTestOneInput(d);
    }
}
