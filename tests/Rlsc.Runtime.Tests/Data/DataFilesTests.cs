using System.Net;
using System.Security.Cryptography;
using System.Text;
using Rlsc.Core;
using Rlsc.Core.Data;

namespace Rlsc.Runtime.Tests.Data;

/// <summary>
/// Mirror → cache → verified download, each path checked against the sha256. The environment variables that steer
/// it (RLSC_MIRROR, RLSC_CACHE, RLSC_OFFLINE) are set per test and restored; downloads go to a fake handler.
/// </summary>
[NonParallelizable]
public class DataFilesTests
{
    string _root = "";
    readonly Dictionary<string, string?> _saved = new();
    static readonly byte[] Content = Encoding.UTF8.GetBytes("{\"question\": \"1+1\", \"answer\": \"2\"}\n");
    static readonly string ContentSha = Convert.ToHexStringLower(SHA256.HashData(Content));
    const string MirrorPath = "eval-data/toy/test.jsonl";
    const string Url = "https://raw.githubusercontent.com/example/repo/0123456789abcdef/toy/test.jsonl";

    [SetUp]
    public void Isolate()
    {
        _root = Path.Combine(Path.GetTempPath(), "rlsc-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "mirror"));
        Directory.CreateDirectory(Path.Combine(_root, "cache"));
        foreach (string v in new[] { DataMirror.EnvironmentVariable, DataCache.EnvironmentVariable, DataFiles.OfflineVariable })
            _saved[v] = Environment.GetEnvironmentVariable(v);
        Environment.SetEnvironmentVariable(DataMirror.EnvironmentVariable, Path.Combine(_root, "mirror"));
        Environment.SetEnvironmentVariable(DataCache.EnvironmentVariable, Path.Combine(_root, "cache"));
        Environment.SetEnvironmentVariable(DataFiles.OfflineVariable, null);
    }

    [TearDown]
    public void Restore()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        Directory.Delete(_root, recursive: true);
    }

    sealed class FakeHandler(HttpStatusCode status, byte[] body) : HttpMessageHandler
    {
        public int Requests { get; private set; }
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new ByteArrayContent(body), ReasonPhrase = status.ToString() });
        }
    }

    static DataSource Source(string? sha = null) => new(MirrorPath, Url, sha ?? ContentSha);

    void PutInMirror(byte[] bytes)
    {
        string path = Path.Combine(_root, "mirror", MirrorPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    [Test]
    public void Mirror_IsUsedFirst_AndVerified()
    {
        PutInMirror(Content);
        var handler = new FakeHandler(HttpStatusCode.OK, Content);
        string path = DataFiles.Resolve(Source(), new HttpClient(handler));
        Assert.That(path, Is.EqualTo(Path.Combine(_root, "mirror", MirrorPath)));
        Assert.That(handler.Requests, Is.Zero);
    }

    [Test]
    public void EditedMirrorCopy_IsAChecksumError()
    {
        PutInMirror([.. Content, (byte)' ']);
        var e = Assert.Throws<RlscException>(() => DataFiles.Resolve(Source(), new HttpClient(new FakeHandler(HttpStatusCode.OK, Content))))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.ChecksumMismatch));
        Assert.That(e.File, Does.EndWith("test.jsonl"));
    }

    [Test]
    public void Download_IsVerifiedCachedAndReused()
    {
        var handler = new FakeHandler(HttpStatusCode.OK, Content);
        string first = DataFiles.Resolve(Source(), new HttpClient(handler));
        Assert.That(first, Does.StartWith(Path.Combine(_root, "cache")));
        Assert.That(File.ReadAllBytes(first), Is.EqualTo(Content));
        string second = DataFiles.Resolve(Source(), new HttpClient(handler));
        Assert.That(second, Is.EqualTo(first));
        Assert.That(handler.Requests, Is.EqualTo(1), "the second resolve hits the cache");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(first)!), Has.Length.EqualTo(1), "no partial file left behind");
    }

    [Test]
    public void WrongDownload_IsRejectedAndNotKept()
    {
        var handler = new FakeHandler(HttpStatusCode.OK, Encoding.UTF8.GetBytes("tampered"));
        var e = Assert.Throws<RlscException>(() => DataFiles.Resolve(Source(), new HttpClient(handler)))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.ChecksumMismatch));
        Assert.That(Directory.GetFiles(Path.Combine(_root, "cache"), "*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public void HttpError_IsADownloadError()
    {
        var e = Assert.Throws<RlscException>(() => DataFiles.Resolve(Source(), new HttpClient(new FakeHandler(HttpStatusCode.NotFound, []))))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.DownloadFailed));
        Assert.That(e.Message, Does.Contain("404"));
    }

    [Test]
    public void CorruptCacheCopy_IsDownloadedAgain()
    {
        var handler = new FakeHandler(HttpStatusCode.OK, Content);
        string cached = DataFiles.Resolve(Source(), new HttpClient(handler));
        File.WriteAllText(cached, "corrupt");
        Assert.That(DataFiles.Resolve(Source(), new HttpClient(handler)), Is.EqualTo(cached));
        Assert.That(File.ReadAllBytes(cached), Is.EqualTo(Content));
        Assert.That(handler.Requests, Is.EqualTo(2));
    }

    [Test]
    public void Offline_WithoutMirrorOrCache_SaysWhatToDo()
    {
        Environment.SetEnvironmentVariable(DataFiles.OfflineVariable, "1");
        var e = Assert.Throws<RlscException>(() => DataFiles.Resolve(Source()))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.FileNotFound));
        Assert.That(e.Message, Does.Contain(DataFiles.OfflineVariable).And.Contain(Url));
    }

    [Test]
    public void MirrorVariable_NamingNoFolder_IsAnError()
    {
        Environment.SetEnvironmentVariable(DataMirror.EnvironmentVariable, Path.Combine(_root, "nowhere"));
        var e = Assert.Throws<RlscException>(() => DataMirror.Locate())!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.FileNotFound));
        Assert.That(e.Message, Does.Contain(DataMirror.EnvironmentVariable));
    }

    [Test]
    public void CacheRoot_FollowsTheVariable()
    {
        Assert.That(DataCache.Root(), Is.EqualTo(Path.Combine(_root, "cache")));
        Environment.SetEnvironmentVariable(DataCache.EnvironmentVariable, null);
        Assert.That(DataCache.Root(), Does.EndWith(Path.Combine("", "rlsc")));
    }

    [Test]
    public void CheckoutRoot_IsTheFolderWithTheSolution()
    {
        string checkout = Path.Combine(_root, "checkout");
        Directory.CreateDirectory(Path.Combine(checkout, "a", "b"));
        File.WriteAllText(Path.Combine(checkout, "RlscPipeline.sln"), "");
        Assert.That(DataMirror.FindCheckoutRoot(Path.Combine(checkout, "a", "b")), Is.EqualTo(checkout));
        Assert.That(DataMirror.FindCheckoutRoot(Path.Combine(_root, "mirror")), Is.Null.Or.Not.EqualTo(checkout));
    }

    [Test]
    public void WithoutMirrorVariable_SharedBesideTheCheckoutIsFound()
    {
        Environment.SetEnvironmentVariable(DataMirror.EnvironmentVariable, null);
        string? checkout = DataMirror.FindCheckoutRoot(AppContext.BaseDirectory);
        Assert.That(checkout, Is.Not.Null, "tests run from inside a checkout");
        string expected = Path.GetFullPath(Path.Combine(checkout!, "..", "shared"));
        Assert.That(DataMirror.Locate(), Is.EqualTo(Directory.Exists(expected) ? expected : null));
    }
}
