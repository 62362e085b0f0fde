using Rlsc.Core;
using Rlsc.Core.Hub;

namespace Rlsc.Runtime.Tests.Hub;

/// <summary>Hub downloads against <see cref="FakeHub"/> on 127.0.0.1: layout, verification, resume, errors, offline.</summary>
[TestFixture]
public class SnapshotDownloaderTests
{
    FakeHub _hub = null!;
    string _cache = "";
    readonly List<HubProgress> _progress = [];

    [SetUp]
    public void Start()
    {
        _hub = new FakeHub();
        _cache = Directory.CreateTempSubdirectory("rlsc-hub-").FullName;
        _progress.Clear();
    }

    [TearDown]
    public void Stop()
    {
        _hub.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    HubOptions Options(string revision = "main") => new()
    {
        Endpoint = _hub.Endpoint,
        CacheDir = _cache,
        Revision = revision,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        ReadTimeout = TimeSpan.FromSeconds(10),
    };

    IProgress<HubProgress> Progress => new SynchronousProgress(_progress.Add);

    sealed class SynchronousProgress(Action<HubProgress> report) : IProgress<HubProgress>
    {
        public void Report(HubProgress value) { lock (this) report(value); }
    }

    HubSnapshot Download(HubOptions options, string repo = "org/model") =>
        SnapshotDownloader.DownloadAsync(repo, options, Progress).GetAwaiter().GetResult();

    [Test]
    public void FetchesExactlyTheCheckpointFilesIntoAHuggingFaceLayout()
    {
        var files = HubTestModel.Sharded(1, customCode: true);
        string commit = _hub.AddCommit("org/model", "main", files);

        var snapshot = Download(Options());

        string repoFolder = Path.Combine(_cache, "models--org--model");
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Commit, Is.EqualTo(commit));
            Assert.That(snapshot.Folder, Is.EqualTo(Path.Combine(repoFolder, "snapshots", commit)));
            Assert.That(snapshot.Files, Is.EquivalentTo(HubTestModel.CheckpointFilesSharded));
            foreach (string file in HubTestModel.CheckpointFilesSharded)
            {
                string path = Path.Combine(snapshot.Folder, file);
                Assert.That(File.ReadAllBytes(path), Is.EqualTo(files[file]), file);
                // huggingface_hub's layout: relative links into blobs/, named by sha256 (LFS) or git sha1.
                Assert.That(new FileInfo(path).LinkTarget, Does.StartWith("../../blobs/"), file);
            }
            Assert.That(File.Exists(Path.Combine(repoFolder, "blobs", FakeHub.Sha256(files["model-00001-of-00002.safetensors"]))));
            Assert.That(File.Exists(Path.Combine(repoFolder, "blobs", FakeHub.GitSha1(files["config.json"]))));
            Assert.That(File.ReadAllText(Path.Combine(repoFolder, "refs", "main")), Is.EqualTo(commit));
            Assert.That(Directory.GetFiles(Path.Combine(repoFolder, "blobs"), "*.incomplete"), Is.Empty);
            // Never pickles, never code, nothing else.
            Assert.That(_hub.Requests.Select(r => r.Path), Has.None.Contains("pytorch_model.bin").And.None.Contains(".py").And.None.Contains("README"));
            Assert.That(snapshot.Warnings, Has.Some.Contains("auto_map"));
            Assert.That(snapshot.Warnings, Has.Some.Contains("modeling_evil.py"));
            Assert.That(_progress.Count(p => p.Kind == HubProgressKind.FileDone), Is.EqualTo(7));
            Assert.That(_progress.Where(p => p.Kind == HubProgressKind.Warning).Select(p => p.Message), Has.Some.Contains("auto_map"));
        });
    }

    [Test]
    public void SecondFetchUsesTheCacheAndDownloadsNothing()
    {
        _hub.AddCommit("org/model", "main", HubTestModel.Sharded(2));
        Download(Options());
        while (_hub.Requests.TryDequeue(out _)) { }

        var snapshot = Download(Options());

        Assert.That(snapshot.Files, Has.Count.EqualTo(7));
        Assert.That(_hub.Requests.Select(r => r.Path), Has.All.StartsWith("/api/models/"), "only the revision is asked again");
        Assert.That(_progress.Count(p => p.Kind == HubProgressKind.FileCached), Is.EqualTo(7));
    }

    [Test]
    public void InterruptedTransferResumesWithARangeRequest()
    {
        var files = HubTestModel.Sharded(3);
        _hub.AddCommit("org/model", "main", files);
        string sha = FakeHub.Sha256(files["model-00001-of-00002.safetensors"]);
        _hub.BreakTransfers[sha] = (2, 70_000);   // breaks twice: at 70,000 bytes, then 70,000 bytes further

        var snapshot = Download(Options());

        Assert.That(File.ReadAllBytes(Path.Combine(snapshot.Folder, "model-00001-of-00002.safetensors")), Is.EqualTo(files["model-00001-of-00002.safetensors"]));
        var ranges = _hub.Requests.Where(r => r.Path.StartsWith("/cdn/" + sha, StringComparison.Ordinal)).Select(r => r.Range).ToList();
        Assert.That(ranges, Is.EqualTo(new string?[] { null, "bytes=70000-", "bytes=140000-" }));
        Assert.That(_progress.Count(p => p.Kind == HubProgressKind.Retrying), Is.EqualTo(2));
    }

    [Test]
    public void AServerThatIgnoresRangeSendsEverythingAgainAndTheFileIsStillRight()
    {
        var files = HubTestModel.Sharded(18);
        _hub.AddCommit("org/model", "main", files);
        string sha = FakeHub.Sha256(files["model-00001-of-00002.safetensors"]);
        _hub.BreakTransfers[sha] = (1, 60_000);
        _hub.IgnoreRange = true;

        var snapshot = Download(Options());

        Assert.That(File.ReadAllBytes(Path.Combine(snapshot.Folder, "model-00001-of-00002.safetensors")), Is.EqualTo(files["model-00001-of-00002.safetensors"]));
        Assert.That(_hub.Requests.Any(r => r.Range == "bytes=60000-"), Is.True, "a resume was asked for");
    }

    [Test]
    public void ATransferThatKeepsBreakingIsResumedByTheNextRun()
    {
        var files = HubTestModel.Sharded(4);
        _hub.AddCommit("org/model", "main", files);
        string sha = FakeHub.Sha256(files["model-00002-of-00002.safetensors"]);
        _hub.BreakTransfers[sha] = (1, 40_000);

        var error = Assert.Throws<RlscException>(() => Download(Options() with { MaxAttempts = 1 }))!;
        Assert.That(error.Code, Is.EqualTo(ErrorCodes.HubDownloadFailed));
        Assert.That(error.Message, Does.Contain("run the command again to resume"));
        string incomplete = Path.Combine(_cache, "models--org--model", "blobs", sha + ".incomplete");
        Assert.That(new FileInfo(incomplete).Length, Is.EqualTo(40_000));

        var snapshot = Download(Options());
        Assert.That(File.ReadAllBytes(Path.Combine(snapshot.Folder, "model-00002-of-00002.safetensors")), Is.EqualTo(files["model-00002-of-00002.safetensors"]));
        Assert.That(_hub.Requests.Any(r => r.Range == "bytes=40000-"), Is.True, "the second run resumed");
        Assert.That(File.Exists(incomplete), Is.False);
    }

    [Test]
    public void AnInterruptedRunLeavesWhatItHadAndTheNextRunResumes()
    {
        var files = HubTestModel.Sharded(16);
        _hub.AddCommit("org/model", "main", files);
        string sha = FakeHub.Sha256(files["model-00001-of-00002.safetensors"]);
        _hub.BreakTransfers[sha] = (1, 50_000);
        using var interrupt = new CancellationTokenSource();
        // Ctrl+C while the broken transfer waits to be retried.
        var progress = new SynchronousProgress(p => { if (p.Kind == HubProgressKind.Retrying) interrupt.Cancel(); });

        Assert.That(() => SnapshotDownloader.DownloadAsync("org/model", Options(), progress, interrupt.Token).GetAwaiter().GetResult(),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(new FileInfo(Path.Combine(_cache, "models--org--model", "blobs", sha + ".incomplete")).Length, Is.EqualTo(50_000));

        var snapshot = Download(Options());
        Assert.That(File.ReadAllBytes(Path.Combine(snapshot.Folder, "model-00001-of-00002.safetensors")), Is.EqualTo(files["model-00001-of-00002.safetensors"]));
        Assert.That(_hub.Requests.Count(r => r.Range == "bytes=50000-"), Is.EqualTo(1));
    }

    [Test]
    public void ConcurrentFetchesOfOneModelShareTheCacheSafely()
    {
        var files = HubTestModel.Sharded(17);
        _hub.AddCommit("org/model", "main", files);

        var runs = Enumerable.Range(0, 3).Select(_ => Task.Run(() => SnapshotDownloader.DownloadAsync("org/model", Options()))).ToArray();
        Task.WaitAll(runs);

        foreach (var run in runs)
            foreach (string file in HubTestModel.CheckpointFilesSharded)
                Assert.That(File.ReadAllBytes(Path.Combine(run.Result.Folder, file)), Is.EqualTo(files[file]), file);
        // Each LFS blob crossed the wire once: the others waited on its lock and found it done.
        var cdnGets = _hub.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).GroupBy(r => r.Path);
        Assert.That(cdnGets.Select(g => g.Count()), Has.All.EqualTo(1));
        Assert.That(Directory.GetFiles(Path.Combine(_cache, "models--org--model"), "*.tmp-*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public void WrongChecksumIsAnErrorAndNothingIsCached()
    {
        _hub.AddCommit("org/model", "main", HubTestModel.Sharded(5));
        _hub.WrongHashFor.Add("model-00002-of-00002.safetensors");

        var error = Assert.Throws<RlscException>(() => Download(Options()))!;

        Assert.That(error.Code, Is.EqualTo(ErrorCodes.ChecksumMismatch));
        Assert.That(error.Message, Does.Contain("model-00002-of-00002.safetensors").And.Contain("sha256"));
        Assert.That(error.Message, Does.Not.Contain("X-Amz-Signature"), "pre-signed URLs stay out of messages");
        string blobs = Path.Combine(_cache, "models--org--model", "blobs");
        Assert.That(Directory.GetFiles(blobs).Select(Path.GetFileName), Has.None.StartsWith(FakeHub.Sha256(HubTestModel.Sharded(5)["model-00002-of-00002.safetensors"])));
        Assert.That(Directory.GetFiles(blobs, "*.incomplete"), Is.Empty);
        Assert.That(File.Exists(Path.Combine(_cache, "models--org--model", "refs", "main")), Is.False, "an incomplete snapshot is not referenced");
    }

    [Test]
    public void UnknownRepositoryRevisionAndFileAreClearErrors()
    {
        var files = HubTestModel.Single(6);
        _hub.AddCommit("org/model", "main", files);

        var repo = Assert.Throws<RlscException>(() => Download(Options(), "org/nope"))!;
        Assert.That(repo.Code, Is.EqualTo(ErrorCodes.HubRepoNotFound));
        Assert.That(repo.Message, Does.Contain("org/nope").And.Contain("HF_TOKEN"));

        var revision = Assert.Throws<RlscException>(() => Download(Options("v9")))!;
        Assert.That(revision.Code, Is.EqualTo(ErrorCodes.HubRepoNotFound));
        Assert.That(revision.Message, Does.Contain("'v9'"));
    }

    [Test]
    public void AFileTheListingNamesButTheHubLacksIsRlsc073()
    {
        var files = HubTestModel.Single(7);
        string commit = _hub.AddCommit("org/model", "main", files);
        _hub.MissingOnResolve.Add("tokenizer_config.json");

        var error = Assert.Throws<RlscException>(() => Download(Options()))!;
        Assert.That(error.Code, Is.EqualTo(ErrorCodes.HubFileUnavailable));
        Assert.That(error.Message, Does.Contain("tokenizer_config.json").And.Contain("404"));
        Assert.That(commit, Has.Length.EqualTo(40));
    }

    [Test]
    public void RenamedRepositoryIsFollowedThroughTheRedirect()
    {
        var files = HubTestModel.Single(8);
        string commit = _hub.AddCommit("org/new-name", "main", files);
        _hub.AddAlias("org/old-name", "org/new-name");

        var snapshot = Download(Options(), "org/old-name");

        Assert.That(snapshot.Commit, Is.EqualTo(commit));
        Assert.That(File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")), Is.EqualTo(files["model.safetensors"]));
        Assert.That(snapshot.Folder, Does.Contain("models--org--old-name"), "cached under the name the user gave");
    }

    [Test]
    public void GatedRepositoryNeedsTheTokenWhichNeverReachesTheCdnOrAMessage()
    {
        _hub.AddCommit("org/gated", "main", HubTestModel.Single(9));
        _hub["org/gated"].RequiredToken = "hf_secret_token_123";

        var refused = Assert.Throws<RlscException>(() => Download(Options(), "org/gated"))!;
        Assert.That(refused.Code, Is.EqualTo(ErrorCodes.HubUnauthorized));
        Assert.That(refused.Message, Does.Contain("HF_TOKEN"));

        var wrong = Assert.Throws<RlscException>(() => Download(Options() with { Token = "hf_wrong_token" }, "org/gated"))!;
        Assert.That(wrong.Message, Does.Not.Contain("hf_wrong_token"));
        Assert.That((Options() with { Token = "hf_wrong_token" }).ToString(), Does.Not.Contain("hf_wrong_token"));

        var snapshot = Download(Options() with { Token = "hf_secret_token_123" }, "org/gated");
        Assert.That(snapshot.Files, Does.Contain("model.safetensors"));
        Assert.That(_hub.Requests.Where(r => r.Host == "localhost"), Is.Not.Empty.And.All.Matches<(string, string, string?, bool Auth, string)>(r => !r.Auth),
            "the CDN (another host) never gets the token");
        Assert.That(_hub.Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).Last().Auth, Is.True);
    }

    [Test]
    public void OfflineUsesTheCacheOrFailsClearly()
    {
        var offline = Options() with { Offline = true };
        var missing = Assert.Throws<RlscException>(() => Download(offline))!;
        Assert.That(missing.Code, Is.EqualTo(ErrorCodes.HubNotInCache));
        Assert.That(missing.Message, Does.Contain("HF_HUB_OFFLINE").And.Contain("rlsc fetch-model org/model"));

        _hub.AddCommit("org/model", "main", HubTestModel.Sharded(10));
        var online = Download(Options());
        _hub.Requests.Clear();

        var cached = Download(offline);
        Assert.That(cached.Folder, Is.EqualTo(online.Folder));
        Assert.That(cached.FromCacheOnly, Is.True);
        Assert.That(_hub.Requests, Is.Empty, "offline asks nothing");

        // A shard missing from the cache makes the snapshot incomplete.
        File.Delete(Path.Combine(online.Folder, "model-00002-of-00002.safetensors"));
        Assert.That(Assert.Throws<RlscException>(() => Download(offline))!.Code, Is.EqualTo(ErrorCodes.HubNotInCache));
    }

    [Test]
    public void UnreachableHubFallsBackToTheCacheWithAWarning()
    {
        _hub.AddCommit("org/model", "main", HubTestModel.Single(11));
        var online = Download(Options());
        _hub.Dispose();   // the hub goes away

        var cached = Download(Options());

        Assert.That(cached.Folder, Is.EqualTo(online.Folder));
        Assert.That(cached.Warnings, Has.Some.Contains("using the cached org/model@main"));
        var other = Assert.Throws<RlscException>(() => Download(Options(), "org/other"))!;
        Assert.That(other.Code, Is.EqualTo(ErrorCodes.HubNotInCache));
        Assert.That(other.Message, Does.Contain("could not be reached"));
    }

    [Test]
    public void RevisionPinsTheFiles()
    {
        var first = HubTestModel.Single(12);
        var second = HubTestModel.Single(13);
        string oldCommit = _hub.AddCommit("org/model", "main", first);
        string newCommit = _hub.AddCommit("org/model", "main", second);
        _hub["org/model"].Refs["v1.0"] = oldCommit;

        var pinned = Download(Options(oldCommit));
        var tagged = Download(Options("v1.0"));
        var latest = Download(Options());

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(Path.Combine(pinned.Folder, "config.json")), Is.EqualTo(first["config.json"]));
            Assert.That(tagged.Folder, Is.EqualTo(pinned.Folder));
            Assert.That(File.ReadAllBytes(Path.Combine(latest.Folder, "config.json")), Is.EqualTo(second["config.json"]));
            Assert.That(latest.Commit, Is.EqualTo(newCommit));
            string refs = Path.Combine(_cache, "models--org--model", "refs");
            Assert.That(File.ReadAllText(Path.Combine(refs, "main")), Is.EqualTo(newCommit));
            Assert.That(File.ReadAllText(Path.Combine(refs, "v1.0")), Is.EqualTo(oldCommit));
            Assert.That(File.Exists(Path.Combine(refs, oldCommit)), Is.False, "a commit needs no ref");
        });
    }

    [Test]
    public void PickleOnlyRepositoryIsRefused()
    {
        var files = HubTestModel.Single(14);
        files.Remove("model.safetensors");
        _hub.AddCommit("org/pickled", "main", files);

        var error = Assert.Throws<RlscException>(() => Download(Options(), "org/pickled"))!;
        Assert.That(error.Code, Is.EqualTo(ErrorCodes.HubNoUsableCheckpoint));
        Assert.That(error.Message, Does.Contain("pytorch_model.bin").And.Contain("arbitrary code"));
        Assert.That(_hub.Requests.Select(r => r.Path), Has.None.Contains("pytorch_model.bin"));
    }

    [Test]
    public void WithoutWeightsOnlyConfigAndTokenizerAreFetched()
    {
        _hub.AddCommit("org/model", "main", HubTestModel.Sharded(15));
        var snapshot = Download(Options() with { IncludeWeights = false });
        Assert.That(snapshot.Files, Is.EquivalentTo(new[] { "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json" }));
    }
}
