namespace Rlsc.Core.Hub;

/// <summary>
/// How models are fetched from the Hugging Face hub. <see cref="FromEnvironment"/> reads the variables that
/// huggingface_hub reads, so a runner's existing cache and token are used as they are.
/// </summary>
public sealed record HubOptions
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>The hub's base URL. Default https://huggingface.co; HF_ENDPOINT (a mirror, a test server) overrides it.</summary>
    public string Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Access token for gated and private repositories. Default: HF_TOKEN (else HUGGING_FACE_HUB_TOKEN). Never logged.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// The cache folder (models--org--name/blobs|snapshots|refs inside). Default: HF_HUB_CACHE, else HF_HOME/hub,
    /// else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub: the one transformers and vLLM use.
    /// </summary>
    public string CacheDir { get; init; } = DefaultCacheDir();

    /// <summary>Branch, tag or commit to fetch. Default "main". A 40-hex commit pins the files exactly.</summary>
    public string Revision { get; init; } = "main";

    /// <summary>Use the cache only, never the network. Default: HF_HUB_OFFLINE=1.</summary>
    public bool Offline { get; init; }

    /// <summary>Fetch the weights (safetensors) too; false fetches config.json, generation_config.json and the tokenizer only. Default true.</summary>
    public bool IncludeWeights { get; init; } = true;

    /// <summary>Attempts per file when a transfer breaks (each one resumes where the last stopped). Default 5.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait before the second attempt, doubled for each further one. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time without any data from the server before a transfer counts as broken. Default 60 s.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Handler for the HTTP client (tests, proxies). Default: a SocketsHttpHandler that does not follow redirects by itself.</summary>
    public HttpMessageHandler? Handler { get; init; }

    public static HubOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? endpoint = NonEmpty(getVariable("HF_ENDPOINT"));
        return new HubOptions
        {
            Endpoint = (endpoint ?? DefaultEndpoint).TrimEnd('/'),
            Token = NonEmpty(getVariable("HF_TOKEN")) ?? NonEmpty(getVariable("HUGGING_FACE_HUB_TOKEN")),
            CacheDir = DefaultCacheDir(getVariable),
            Offline = IsTrue(getVariable("HF_HUB_OFFLINE")),
        };
    }

    public static string DefaultCacheDir(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        if (NonEmpty(getVariable("HF_HUB_CACHE")) is { } hubCache) return Path.GetFullPath(ExpandHome(hubCache));
        if (NonEmpty(getVariable("HF_HOME")) is { } home) return Path.GetFullPath(Path.Combine(ExpandHome(home), "hub"));
        string cacheHome = NonEmpty(getVariable("XDG_CACHE_HOME"))
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.GetFullPath(Path.Combine(ExpandHome(cacheHome), "huggingface", "hub"));
    }

    static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    static bool IsTrue(string? value) => value?.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";

    static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;

    /// <summary>Everything but the token, for logs and error messages.</summary>
    public override string ToString() =>
        $"endpoint {Endpoint}, cache {CacheDir}, revision {Revision}{(Offline ? ", offline" : "")}{(Token is null ? "" : ", token set")}";
}
