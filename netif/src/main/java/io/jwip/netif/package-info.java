/** Links for jwip netifs outside core. */
package io.jwip.netif;
