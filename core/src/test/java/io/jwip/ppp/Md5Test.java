package io.jwip.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** MD5 against RFC 1321's test suite (appendix A.5). */
class Md5Test {
    static String md5(String s) {
        byte[] out = new byte[16];
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        new Md5().update(b, 0, b.length).digest(out, 0);
        StringBuilder sb = new StringBuilder();
        for (byte x : out) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    @Test
    void rfc1321TestSuite() {
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", md5(""));
        assertEquals("0cc175b9c0f1b6a831c399e269772661", md5("a"));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", md5("abc"));
        assertEquals("f96b697d7cb7938d525a2f31aaf161d0", md5("message digest"));
        assertEquals("c3fcd3d76192e4007dfb496cca67e13b", md5("abcdefghijklmnopqrstuvwxyz"));
        assertEquals("d174ab98d277d9f5a5611c2c9f419d9f",
                md5("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"));
        assertEquals("57edf4a22be3c955ac49da2e2107b67a",
                md5("12345678901234567890123456789012345678901234567890123456789012345678901234567890"));
    }
}
