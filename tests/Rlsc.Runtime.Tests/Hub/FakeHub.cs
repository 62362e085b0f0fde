using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rlsc.Runtime.Tests.Hub;

/// <summary>
/// A Hugging Face hub on 127.0.0.1 for the tests, with the hub's URL layout: GET /api/models/{repo}/revision/{rev},
/// HEAD/GET /{repo}/resolve/{rev}/{file}. Small files are served directly with their git blob sha1 as ETag; "LFS"
/// files answer with a 302 to http://localhost:{port}/cdn/{sha256} (another host, like the real CDN) carrying
/// X-Linked-Etag and X-Linked-Size. Faults can be injected: broken transfers, a wrong announced hash, renamed repos,
/// gated repos.
/// </summary>
sealed class FakeHub : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Task _loop;
    readonly Dictionary<string, Repo> _repos = new();
    readonly Dictionary<string, byte[]> _cdn = new();

    public sealed class Repo
    {
        public Dictionary<string, string> Refs { get; } = new();                               // revision -> commit
        public Dictionary<string, Dictionary<string, (byte[] Bytes, bool Lfs)>> Commits { get; } = new();
        public string? RequiredToken { get; set; }
        public string? RenamedTo { get; set; }
    }

    /// <summary>Every request: method, path (with query), Range header, whether Authorization was sent, host.</summary>
    public ConcurrentQueue<(string Method, string Path, string? Range, bool Auth, string Host)> Requests { get; } = new();

    /// <summary>sha256 -> how many more GETs of that blob break after sending this many bytes.</summary>
    public ConcurrentDictionary<string, (int Times, int AfterBytes)> BreakTransfers { get; } = new();

    /// <summary>Serve whole files with 200 whatever Range says (some mirrors and proxies do).</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Files the listing names but /resolve/ answers 404 for.</summary>
    public HashSet<string> MissingOnResolve { get; } = new();

    /// <summary>Files whose X-Linked-Etag announces another hash than their content has.</summary>
    public HashSet<string> WrongHashFor { get; } = new();

    public FakeHub()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Prefixes.Add($"http://localhost:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string GitSha1(byte[] bytes) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));

    /// <summary>Adds a commit with these files; files whose name ends in .safetensors or is tokenizer.json are LFS files.</summary>
    public string AddCommit(string repoId, string branch, Dictionary<string, byte[]> files)
    {
        if (!_repos.TryGetValue(repoId, out var repo)) _repos[repoId] = repo = new Repo();
        string commit = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(repoId + repo.Commits.Count + branch)));
        repo.Commits[commit] = files.ToDictionary(f => f.Key, f => (f.Value, IsLfs(f.Key)));
        repo.Refs[branch] = commit;
        foreach (var (_, bytes) in files) _cdn[Sha256(bytes)] = bytes;
        return commit;
    }

    public Repo this[string repoId] => _repos[repoId];

    public void AddAlias(string oldId, string newId) => _repos[oldId] = new Repo { RenamedTo = newId };

    static bool IsLfs(string file) => file.EndsWith(".safetensors", StringComparison.Ordinal) || file == "tokenizer.json";

    async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => Handle(context));
        }
    }

    void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string path = request.Url!.AbsolutePath;
        Requests.Enqueue((request.HttpMethod, request.Url.PathAndQuery, request.Headers["Range"], request.Headers["Authorization"] is not null, request.Url.Host));
        try
        {
            if (path.StartsWith("/cdn/", StringComparison.Ordinal)) ServeCdn(context, path[5..]);
            else if (path.StartsWith("/api/models/", StringComparison.Ordinal)) ServeApi(context, Uri.UnescapeDataString(path["/api/models/".Length..]));
            else if (path.Contains("/resolve/", StringComparison.Ordinal)) ServeResolve(context, path);
            else Status(response, 404, null);
        }
        catch (HttpListenerException)
        {
            // the client went away
        }
    }

    void ServeApi(HttpListenerContext context, string rest)
    {
        // {org}/{name}/revision/{revision}
        int marker = rest.IndexOf("/revision/", StringComparison.Ordinal);
        string repoId = rest[..marker], revision = rest[(marker + "/revision/".Length)..];
        if (!CheckRepo(context, repoId, $"/api/models/{{0}}/revision/{Uri.EscapeDataString(revision)}", out var repo)) return;
        if (ResolveCommit(repo, revision) is not { } commit)
        {
            Status(context.Response, 404, "RevisionNotFound");
            return;
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = repoId,
            sha = commit,
            siblings = repo.Commits[commit].Keys.Select(f => new { rfilename = f }),
        });
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = body.Length;
        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }

    void ServeResolve(HttpListenerContext context, string path)
    {
        // /{org}/{name}/resolve/{revision}/{file...}
        string[] parts = path.TrimStart('/').Split('/');
        string repoId = parts[0] + "/" + parts[1];
        string revision = Uri.UnescapeDataString(parts[3]);
        string file = string.Join('/', parts.Skip(4).Select(Uri.UnescapeDataString));
        if (!CheckRepo(context, repoId, $"/{{0}}/resolve/{parts[3]}/{string.Join('/', parts.Skip(4))}", out var repo)) return;
        if (ResolveCommit(repo, revision) is not { } commit || !repo.Commits[commit].TryGetValue(file, out var entry) || MissingOnResolve.Contains(file))
        {
            Status(context.Response, 404, "EntryNotFound");
            return;
        }
        var response = context.Response;
        response.AddHeader("X-Repo-Commit", commit);
        if (entry.Lfs)
        {
            string sha = Sha256(entry.Bytes);
            string announced = WrongHashFor.Contains(file) ? Sha256([.. entry.Bytes, 0]) : sha;
            response.AddHeader("X-Linked-Etag", $"\"{announced}\"");
            response.AddHeader("X-Linked-Size", entry.Bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            response.AddHeader("ETag", $"\"{GitSha1(Encoding.UTF8.GetBytes("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha))}\"");
            response.StatusCode = 302;
            response.RedirectLocation = $"http://localhost:{Port}/cdn/{sha}?X-Amz-Signature=secret";
            response.ContentLength64 = 0;
            response.Close();
            return;
        }
        response.AddHeader("ETag", $"\"{GitSha1(entry.Bytes)}\"");
        ServeBytes(context, entry.Bytes, breakKey: null);
    }

    void ServeCdn(HttpListenerContext context, string sha)
    {
        if (!_cdn.TryGetValue(sha, out var bytes))
        {
            Status(context.Response, 404, null);
            return;
        }
        ServeBytes(context, bytes, breakKey: sha);
    }

    void ServeBytes(HttpListenerContext context, byte[] bytes, string? breakKey)
    {
        var response = context.Response;
        long start = 0;
        string? range = context.Request.Headers["Range"];
        if (!IgnoreRange && range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (start >= bytes.Length)
            {
                response.StatusCode = 416;
                response.AddHeader("Content-Range", $"bytes */{bytes.Length}");
                response.ContentLength64 = 0;
                response.Close();
                return;
            }
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{bytes.Length - 1}/{bytes.Length}");
        }
        response.ContentLength64 = bytes.Length - start;
        if (context.Request.HttpMethod == "HEAD")
        {
            response.Close();
            return;
        }
        if (breakKey is not null && BreakTransfers.TryGetValue(breakKey, out var fault) && fault.Times > 0)
        {
            BreakTransfers[breakKey] = (fault.Times - 1, fault.AfterBytes);
            int count = (int)Math.Min(fault.AfterBytes, bytes.Length - start);
            response.OutputStream.Write(bytes, (int)start, count);
            response.OutputStream.Flush();
            response.Abort();   // the connection drops mid-body
            return;
        }
        response.OutputStream.Write(bytes, (int)start, (int)(bytes.Length - start));
        response.Close();
    }

    bool CheckRepo(HttpListenerContext context, string repoId, string pathFormat, out Repo repo)
    {
        repo = null!;
        if (!_repos.TryGetValue(repoId, out var found))
        {
            // The real hub answers 401 for unknown repositories to anonymous callers.
            Status(context.Response, 401, "RepositoryNotFound");
            return false;
        }
        if (found.RenamedTo is { } newId)
        {
            context.Response.StatusCode = 307;
            context.Response.RedirectLocation = string.Format(System.Globalization.CultureInfo.InvariantCulture, pathFormat, newId);
            context.Response.ContentLength64 = 0;
            context.Response.Close();
            return false;
        }
        if (found.RequiredToken is { } token && context.Request.Headers["Authorization"] != $"Bearer {token}")
        {
            Status(context.Response, 401, "GatedRepo");
            return false;
        }
        repo = found;
        return true;
    }

    static string? ResolveCommit(Repo repo, string revision) =>
        repo.Commits.ContainsKey(revision) ? revision : repo.Refs.GetValueOrDefault(revision);

    static void Status(HttpListenerResponse response, int status, string? errorCode)
    {
        response.StatusCode = status;
        if (errorCode is not null) response.AddHeader("X-Error-Code", errorCode);
        response.ContentLength64 = 0;
        response.Close();
    }

    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
