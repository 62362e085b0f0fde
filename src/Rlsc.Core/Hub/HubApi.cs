using System.Net;
using System.Text.Json;

namespace Rlsc.Core.Hub;

/// <summary>
/// The two hub calls a download needs: the revision's commit and file list (GET /api/models/{repo}/revision/{rev})
/// and one file's metadata (HEAD /{repo}/resolve/{commit}/{file}).
/// </summary>
sealed class HubApi(HubHttp http, string? token)
{
    /// <summary>The commit the revision points at and the repository's files at that commit.</summary>
    public sealed record RevisionInfo(string Commit, IReadOnlyList<string> Files);

    public async Task<RevisionInfo> GetRevisionAsync(string repo, string revision, CancellationToken cancellation)
    {
        var url = http.Url($"api/models/{repo}/revision/{Uri.EscapeDataString(revision)}");
        using var response = await http.SendAsync(HttpMethod.Get, url, null, stopAtCrossHostRedirect: false, cancellation).ConfigureAwait(false);
        ThrowOnError(response, repo, revision, file: null);
        string body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string commit = root.TryGetProperty("sha", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString()! : "";
            if (!HubCache.IsCommitHash(commit))
                throw new RlscException(ErrorCodes.HubBadResponse, $"{HubHttp.Describe(url)} answered without a commit (\"sha\") for {repo}@{revision}.");
            var files = new List<string>();
            if (root.TryGetProperty("siblings", out var siblings) && siblings.ValueKind == JsonValueKind.Array)
                foreach (var sibling in siblings.EnumerateArray())
                    if (sibling.TryGetProperty("rfilename", out var name) && name.ValueKind == JsonValueKind.String)
                        files.Add(name.GetString()!);
            return new RevisionInfo(commit, files);
        }
        catch (JsonException e)
        {
            throw new RlscException(ErrorCodes.HubBadResponse, $"{HubHttp.Describe(url)} answered with invalid JSON: {e.Message}", inner: e);
        }
    }

    public async Task<FileMetadata> GetFileMetadataAsync(string repo, string commit, string file, CancellationToken cancellation)
    {
        var url = ResolveUrl(repo, commit, file);
        using var response = await http.SendAsync(HttpMethod.Head, url, null, stopAtCrossHostRedirect: true, cancellation).ConfigureAwait(false);
        bool crossHostRedirect = (int)response.StatusCode is >= 300 and < 400;
        if (!crossHostRedirect) ThrowOnError(response, repo, commit, file);

        string? linked = Header(response, "X-Linked-Etag");
        string? etag = NormalizeEtag(linked ?? response.Headers.ETag?.Tag ?? Header(response, "ETag"));
        if (etag is null)
            throw new RlscException(ErrorCodes.HubBadResponse,
                $"{HubHttp.Describe(url)} gave no ETag, so the file cannot be verified or cached; is HF_ENDPOINT ({http.Endpoint}) a Hugging Face hub?");
        long? size = long.TryParse(Header(response, "X-Linked-Size"), out long linkedSize) ? linkedSize
            : crossHostRedirect ? null : response.Content.Headers.ContentLength;
        var download = crossHostRedirect && response.Headers.Location is { } location
            ? (location.IsAbsoluteUri ? location : new Uri(url, location))
            : url;
        return new FileMetadata(Header(response, "X-Repo-Commit"), etag, size, IsLfs: linked is not null, download);
    }

    public Uri ResolveUrl(string repo, string revision, string file) =>
        http.Url($"{repo}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}");

    void ThrowOnError(HttpResponseMessage response, string repo, string revision, string? file)
    {
        if (response.IsSuccessStatusCode) return;
        string? errorCode = Header(response, "X-Error-Code");
        string what = file is null ? $"{repo}@{revision}" : $"{file} of {repo}@{revision}";
        string tokenHint = token is null ? "set HF_TOKEN to a token that may read it" : "check that HF_TOKEN may read it (and that you accepted the model's terms on its page)";
        var status = response.StatusCode;
        if (errorCode is "GatedRepo" || status is HttpStatusCode.Forbidden || (status is HttpStatusCode.Unauthorized && errorCode is not ("RepositoryNotFound" or "RevisionNotFound")))
            throw new RlscException(ErrorCodes.HubUnauthorized, $"the hub refused access to {what} (HTTP {(int)status}): a gated or private repository; {tokenHint}.");
        if (errorCode is "RevisionNotFound")
            throw new RlscException(ErrorCodes.HubRepoNotFound, $"the repository {repo} has no revision '{revision}'; check --revision (a branch, tag or 40-hex commit).");
        if (errorCode is "EntryNotFound" || (file is not null && status is HttpStatusCode.NotFound))
            throw new RlscException(ErrorCodes.HubFileUnavailable, $"{what} is not on the hub (HTTP {(int)status}).");
        if (status is HttpStatusCode.NotFound || errorCode is "RepositoryNotFound")
            throw new RlscException(ErrorCodes.HubRepoNotFound,
                $"the hub has no model repository {repo} (HTTP {(int)status}); check the id (like Qwen/Qwen2.5-Math-7B), or if it is private, {tokenHint}.");
        throw new HubNetworkException($"{what}: HTTP {(int)status} {response.ReasonPhrase}", new HttpRequestException(response.ReasonPhrase, null, status));
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.FirstOrDefault()
        : null;

    /// <summary>"W/\"abc\"" -> "abc".</summary>
    static string? NormalizeEtag(string? etag)
    {
        if (string.IsNullOrWhiteSpace(etag)) return null;
        string value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        value = value.Trim('"');
        // The value becomes a file name in the cache: refuse anything that could leave the blobs folder.
        return value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? value : null;
    }
}
