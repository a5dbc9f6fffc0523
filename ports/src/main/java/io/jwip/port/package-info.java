/** Ports: how a jwip stack meets a JVM (poll loop, threaded port). */
package io.jwip.port;
