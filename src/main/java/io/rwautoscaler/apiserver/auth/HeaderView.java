package io.rwautoscaler.apiserver.auth;

import java.util.List;
import java.util.Set;

/** The request headers the authenticator reads, whatever HTTP library carries them; names are case-insensitive. */
public interface HeaderView {

    /** Every value of the header, in order; empty when absent. */
    List<String> all(String name);

    /** Every header name present, as sent. */
    Set<String> names();
}
