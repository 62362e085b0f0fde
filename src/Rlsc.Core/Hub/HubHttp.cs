using System.Net;
using System.Net.Http.Headers;

namespace Rlsc.Core.Hub;

/// <summary>
/// HTTP with the hub: the token on requests to the hub's own host only (never forwarded to a CDN a redirect points
/// at), redirects followed by hand so that HEAD can read the LFS headers of the redirect itself, and errors mapped to
/// <see cref="RlscException"/>s that never contain the token.
/// </summary>
sealed class HubHttp : IDisposable
{
    const int MaxRedirects = 10;
    readonly HttpClient _client;
    readonly string? _token;
    readonly Uri _endpoint;

    public HubHttp(HubOptions options)
    {
        _endpoint = new Uri(options.Endpoint.TrimEnd('/') + "/");
        _token = options.Token;
        var handler = options.Handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        // No overall timeout: a 4 GB shard takes long; stalls are caught per read (HubOptions.ReadTimeout).
        _client = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("rlsc", typeof(HubHttp).Assembly.GetName().Version?.ToString() ?? "0"));
    }

    public Uri Endpoint => _endpoint;

    public Uri Url(string relative) => new(_endpoint, relative);

    /// <summary>
    /// Sends the request and follows redirects (301/302/303/307/308) by hand. When <paramref name="stopAtCrossHostRedirect"/>
    /// is set, a redirect to another host is returned as is (HEAD of an LFS file: its headers carry X-Linked-Etag).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, Action<HttpRequestMessage>? configure,
        bool stopAtCrossHostRedirect, CancellationToken cancellation)
    {
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, url);
            if (_token is not null && IsHubHost(url))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            configure?.Invoke(request);
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new HubNetworkException($"cannot reach {Describe(url)}: {e.Message}", e);
            }
            catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
            {
                throw new HubNetworkException($"{Describe(url)} did not answer in time", e);
            }

            if (!IsRedirect(response.StatusCode)) return response;
            var location = response.Headers.Location;
            if (location is null) return response;
            var next = location.IsAbsoluteUri ? location : new Uri(url, location);
            if (stopAtCrossHostRedirect && !SameHost(url, next)) return response;
            response.Dispose();
            if (hop >= MaxRedirects)
                throw new RlscException(ErrorCodes.HubBadResponse, $"more than {MaxRedirects} redirects from {Describe(url)}.");
            url = next;
        }
    }

    bool IsHubHost(Uri url) => SameHost(url, _endpoint);

    static bool SameHost(Uri a, Uri b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port && a.Scheme == b.Scheme;

    static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>The URL without its query (pre-signed CDN URLs carry credentials there).</summary>
    public static string Describe(Uri url) => url.GetLeftPart(UriPartial.Path);

    public void Dispose() => _client.Dispose();
}

/// <summary>The server could not be reached or the connection broke; retried, and in the end reported as RLSC075 or a cache fallback.</summary>
sealed class HubNetworkException(string message, Exception inner) : Exception(message, inner);
