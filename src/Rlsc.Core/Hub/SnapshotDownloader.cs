namespace Rlsc.Core.Hub;

/// <summary>
/// Fetches the checkpoint files of a model repository at a revision into the Hugging Face cache and returns the
/// snapshot folder. Files already in the cache are not fetched again; offline (or when the hub cannot be reached)
/// the cache alone is used, and a model that is not complete there is a clear error.
/// </summary>
public static class SnapshotDownloader
{
    public static async Task<HubSnapshot> DownloadAsync(string repo, HubOptions options, IProgress<HubProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (!RepoId.IsValid(repo))
            throw new RlscException(ErrorCodes.HubInvalidModelId, $"'{repo}' is not a hub repository id (expected owner/name, like Qwen/Qwen2.5-Math-7B).");
        var cache = new HubCache(options.CacheDir, repo);
        if (options.Offline)
            return FromCache(repo, cache, options, reason: "HF_HUB_OFFLINE is set")
                   ?? throw NotInCache(repo, cache, options, "HF_HUB_OFFLINE is set, so the hub was not asked");

        using var http = new HubHttp(options);
        var api = new HubApi(http, options.Token);
        HubApi.RevisionInfo revision;
        progress?.Report(new HubProgress(HubProgressKind.Resolving, Message: $"{repo}@{options.Revision}"));
        try
        {
            revision = await api.GetRevisionAsync(repo, options.Revision, cancellation).ConfigureAwait(false);
        }
        catch (HubNetworkException e)
        {
            if (FromCache(repo, cache, options, reason: e.Message) is { } cached)
            {
                foreach (string warning in cached.Warnings) progress?.Report(new HubProgress(HubProgressKind.Warning, Message: warning));
                return cached;
            }
            throw NotInCache(repo, cache, options, $"the hub could not be reached ({e.Message})");
        }

        string lockFolder = Path.Combine(options.CacheDir, ".locks", RepoId.CacheFolderName(repo));
        var downloader = new BlobDownloader(http, options, progress);
        async Task FetchAsync(string file)
        {
            if (cache.HasSnapshotFile(revision.Commit, file))
            {
                progress?.Report(new HubProgress(HubProgressKind.FileCached, file));
                return;
            }
            var metadata = await api.GetFileMetadataAsync(repo, revision.Commit, file, cancellation).ConfigureAwait(false);
            await downloader.DownloadAsync(cache, lockFolder, file, metadata, cancellation).ConfigureAwait(false);
            cache.LinkSnapshot(revision.Commit, file, metadata.Etag);
        }

        var files = CheckpointFileSelector.Select(repo, revision.Files, options.IncludeWeights);
        try
        {
            foreach (string file in files) await FetchAsync(file).ConfigureAwait(false);
            if (files.Contains(CheckpointFileSelector.WeightsIndexFile))
            {
                var shards = CheckpointFileSelector.ShardsOf(cache.SnapshotPath(revision.Commit, CheckpointFileSelector.WeightsIndexFile), revision.Files);
                foreach (string shard in shards) await FetchAsync(shard).ConfigureAwait(false);
                files.AddRange(shards);
            }
        }
        catch (HubNetworkException e)
        {
            throw new RlscException(ErrorCodes.HubDownloadFailed, $"fetching {repo}@{options.Revision} failed: {e.Message}. Run the command again to resume.", inner: e);
        }
        cache.WriteRef(options.Revision, revision.Commit);

        var warnings = CheckpointFileSelector.Warnings(cache.SnapshotPath(revision.Commit, CheckpointFileSelector.ConfigFile), revision.Files);
        foreach (string warning in warnings) progress?.Report(new HubProgress(HubProgressKind.Warning, Message: warning));
        return new HubSnapshot(repo, revision.Commit, cache.SnapshotFolder(revision.Commit), files, warnings, FromCacheOnly: false);
    }

    /// <summary>The cached snapshot of the revision when it holds a complete checkpoint, else null.</summary>
    static HubSnapshot? FromCache(string repo, HubCache cache, HubOptions options, string reason)
    {
        if (cache.ResolveRef(options.Revision) is not { } commit) return null;
        string folder = cache.SnapshotFolder(commit);
        if (!cache.HasSnapshotFile(commit, CheckpointFileSelector.ConfigFile)) return null;

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => cache.HasSnapshotFile(commit, f))
            .ToList();
        if (options.IncludeWeights)
        {
            if (files.Contains(CheckpointFileSelector.WeightsIndexFile))
            {
                var shards = CheckpointFileSelector.ShardsOf(cache.SnapshotPath(commit, CheckpointFileSelector.WeightsIndexFile), []);
                if (!shards.All(s => cache.HasSnapshotFile(commit, s))) return null;
            }
            else if (!files.Contains(CheckpointFileSelector.SingleWeightsFile))
            {
                return null;
            }
        }
        var warnings = CheckpointFileSelector.Warnings(cache.SnapshotPath(commit, CheckpointFileSelector.ConfigFile), files);
        if (!options.Offline) warnings.Insert(0, $"using the cached {repo}@{options.Revision} (commit {commit[..12]}) because {reason}; it may be older than the hub's.");
        return new HubSnapshot(repo, commit, folder, files, warnings, FromCacheOnly: true);
    }

    static RlscException NotInCache(string repo, HubCache cache, HubOptions options, string why) =>
        new(ErrorCodes.HubNotInCache,
            $"{repo}@{options.Revision} is not complete in the cache ({cache.RepoFolder}) and {why}. " +
            "Fetch it once with network access (`rlsc fetch-model " + repo + "`), or point HF_HUB_CACHE / HF_HOME at a cache that has it.");
}
