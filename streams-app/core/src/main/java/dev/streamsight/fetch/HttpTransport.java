package dev.streamsight.fetch;

import dev.streamsight.ReasonCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One http(s) attempt at a time: the GET, the redirects it leads to (followed here, so that each
 * hop's URL and host are checked), and the body, within one timeout. Addresses are checked three
 * times over: an IP literal host before the request, every address a name resolves to
 * ({@link GuardedDns}) and the address each socket connects to ({@link GuardedSocketFactory}).
 * There is no proxy, so the address connected to is the server's.
 *
 * <p>Thread-safe; one instance holds one OkHttp client (its connection pool and daemon threads) for
 * the life of its {@link ImageFetcher}. The calling thread does the work (connections are not raced
 * on other threads), so interrupting it ends the attempt.
 */
final class HttpTransport {
    /** Hosts that OkHttp takes for IP literals and connects to without resolving. */
    private static final Pattern LITERAL_HOST = Pattern.compile("([0-9a-fA-F]*:[0-9a-fA-F:.]*)|([\\d.]+)");

    private final FetchOptions options;
    private final OkHttpClient client;

    HttpTransport(FetchOptions options, Dns dns, EventListener events) {
        this.options = options;
        this.client = new OkHttpClient.Builder()
                .dns(new GuardedDns(dns, options.addresses()))
                .socketFactory(new GuardedSocketFactory(options.addresses()))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .fastFallback(false)
                .connectTimeout(options.timeout())
                .readTimeout(options.timeout())
                .writeTimeout(options.timeout())
                .eventListener(events)
                .build();
    }

    /**
     * Fetches {@code url} and whatever it redirects to.
     *
     * @param reference the reference as the event wrote it, for messages
     * @throws TransientFetchFailure for what another attempt may not meet
     * @throws FetchException for the rest (including a refused address or redirect)
     * @throws FetchInterruptedException when the calling thread is interrupted
     */
    byte[] get(HttpUrl url, String reference) throws TransientFetchFailure {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        Set<HttpUrl> visited = new HashSet<>();
        HttpUrl target = url.newBuilder().fragment(null).build();
        visited.add(target);
        String shown = UriText.forMessage(reference);
        while (true) {
            String what = visited.size() == 1 ? shown
                    : shown + " (redirected to " + UriText.forMessage(target.toString()) + ")";
            checkLiteralHost(target, what);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TransientFetchFailure(ReasonCode.FETCH_TIMEOUT, "timed out after " + options.timeout() + ": "
                        + what, null);
            }
            Call call = client.newCall(new Request.Builder().url(target)
                    .header("Accept-Encoding", "identity") // the byte limit applies to what is sent
                    .build());
            call.timeout().timeout(left, TimeUnit.NANOSECONDS);
            try (Response response = call.execute()) {
                if (Redirects.isRedirect(response.code())) {
                    target = Redirects.next(target, response.code(), response.header("Location"), visited,
                            options.maxRedirects(), shown);
                    continue;
                }
                return body(response, what, deadline);
            } catch (IOException e) {
                AddressRefusedException refused = AddressRefusedException.find(e);
                if (refused != null) {
                    throw new FetchException(ReasonCode.FETCH_REFUSED, "refused " + what + ": " + refused.getMessage(),
                            refused);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new FetchInterruptedException(reference, e);
                }
                if (e instanceof InterruptedIOException || System.nanoTime() - deadline >= 0) {
                    throw new TransientFetchFailure(ReasonCode.FETCH_TIMEOUT, "timed out after " + options.timeout() + ": "
                            + what, e);
                }
                throw new TransientFetchFailure(ReasonCode.FETCH_FAILED, "cannot fetch " + what + ": "
                        + e.getClass().getSimpleName(), e);
            }
        }
    }

    /** An IP literal host is checked here, with a clear message, and is never handed to a resolver. */
    private void checkLiteralHost(HttpUrl url, String what) {
        String host = url.host();
        if (!LITERAL_HOST.matcher(host).matches()) {
            return; // a name: GuardedDns checks what it resolves to
        }
        InetAddress address = Cidr.literal(host);
        if (address == null) {
            throw new FetchException(ReasonCode.FETCH_FAILED, "'" + UriText.forMessage(host)
                    + "' is not a valid IP address in " + what);
        }
        String addressClass = options.addresses().refusal(host, address);
        if (addressClass != null) {
            throw new FetchException(ReasonCode.FETCH_REFUSED, "refused " + what + ": "
                    + AddressRefusedException.of(host, address, addressClass).getMessage());
        }
    }

    private byte[] body(Response response, String what, long deadline) throws IOException, TransientFetchFailure {
        int status = response.code();
        if (status == 404 || status == 410) {
            throw new FetchException(ReasonCode.NOT_FOUND, "HTTP " + status + " for " + what);
        }
        if (status >= 500 || status == 408 || status == 429) {
            throw new TransientFetchFailure(ReasonCode.HTTP_ERROR, "HTTP " + status + " for " + what, null);
        }
        if (status < 200 || status >= 300) {
            throw new FetchException(ReasonCode.HTTP_ERROR, "HTTP " + status + " for " + what);
        }
        ResponseBody body = response.body();
        if (body.contentLength() > options.maxBytes()) {
            throw CappedReader.tooLarge(what, options.maxBytes(), body.contentLength());
        }
        return CappedReader.read(body.byteStream(), options.maxBytes(), what, deadline);
    }
}
