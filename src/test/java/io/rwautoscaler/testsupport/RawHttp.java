package io.rwautoscaler.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client cannot send: over-long request lines and headers,
 * undecodable targets, a Content-Length without its body. Reads one response: headers, then Content-Length bytes
 * (or until the server closes).
 */
public final class RawHttp {

    public record Response(int code, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} (a whole request head, CRLFs included) and reads the answer, within {@code timeout}. */
    public static Response exchange(int port, String request, Duration timeout) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it has read everything: read what it said.
            }
            return read(s.getInputStream());
        }
    }

    public static String get(String target, String... headers) {
        StringBuilder b = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Reads one response from {@code in}: its head, then Content-Length bytes (or until the server closes). */
    public static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int headEnd = -1;
        byte[] chunk = new byte[8192];
        try {
            while (headEnd < 0) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                buf.write(chunk, 0, n);
                headEnd = buf.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no complete response head within the timeout; got: " + buf.toString(StandardCharsets.ISO_8859_1), e);
        }
        String all = buf.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0) {
            throw new IOException("the server closed without a complete response head; got: '" + all + "'");
        }
        String head = all.substring(0, headEnd);
        int code = Integer.parseInt(head.substring(9, 12));
        Response partial = new Response(code, head, "");
        String cl = partial.header("content-length");
        byte[] rest = buf.toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(rest, headEnd + 4, rest.length - headEnd - 4);
        long want = cl == null ? Long.MAX_VALUE : Long.parseLong(cl.toLowerCase(Locale.ROOT).trim());
        while (body.size() < want) {
            int n;
            try {
                n = in.read(chunk);
            } catch (IOException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            body.write(chunk, 0, n);
        }
        return new Response(code, head, body.toString(StandardCharsets.UTF_8));
    }
}
