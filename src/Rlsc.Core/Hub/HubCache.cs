namespace Rlsc.Core.Hub;

/// <summary>
/// One repository's folder in the Hugging Face cache, laid out as huggingface_hub lays it out so that both share it:
/// blobs/&lt;etag&gt; (file contents, named by git sha1 or LFS sha256), snapshots/&lt;commit&gt;/&lt;path&gt; (links to blobs)
/// and refs/&lt;revision&gt; (the commit a branch or tag pointed to when last fetched).
/// </summary>
public sealed class HubCache
{
    public HubCache(string cacheDir, string repoId)
    {
        RepoFolder = Path.Combine(cacheDir, RepoId.CacheFolderName(repoId));
    }

    public string RepoFolder { get; }
    public string BlobsFolder => Path.Combine(RepoFolder, "blobs");

    public string BlobPath(string etag) => Path.Combine(BlobsFolder, etag);
    public string IncompletePath(string etag) => BlobPath(etag) + ".incomplete";
    public string SnapshotFolder(string commit) => Path.Combine(RepoFolder, "snapshots", commit);
    public string SnapshotPath(string commit, string file) => Path.Combine(SnapshotFolder(commit), file.Replace('/', Path.DirectorySeparatorChar));
    string RefPath(string revision) => Path.Combine(RepoFolder, "refs", revision.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The commit the cache last saw <paramref name="revision"/> at, or the revision itself when it is a commit.</summary>
    public string? ResolveRef(string revision)
    {
        if (IsCommitHash(revision)) return revision;
        string path = RefPath(revision);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public void WriteRef(string revision, string commit)
    {
        if (revision == commit) return;
        string path = RefPath(revision);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temporary, commit);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Points snapshots/&lt;commit&gt;/&lt;file&gt; at the blob: a relative symbolic link as huggingface_hub makes, or a copy where
    /// links cannot be made (Windows without developer mode).
    /// </summary>
    public void LinkSnapshot(string commit, string file, string etag)
    {
        string link = SnapshotPath(commit, file);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        string blob = BlobPath(etag);
        // A link made under a temporary name and renamed over the old entry: concurrent fetches of the same model
        // (two CI jobs sharing a cache) each leave a complete link, never a missing one.
        string temporaryLink = link + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.CreateSymbolicLink(temporaryLink, Path.GetRelativePath(Path.GetDirectoryName(link)!, blob));
            File.Move(temporaryLink, link, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            if (new FileInfo(temporaryLink).LinkTarget is not null) File.Delete(temporaryLink);
            string temporary = link + ".tmp-" + Guid.NewGuid().ToString("N");
            File.Copy(blob, temporary, overwrite: true);
            File.Move(temporary, link, overwrite: true);
        }
    }

    /// <summary>True when the snapshot has the file and, if it is a link, its blob exists.</summary>
    public bool HasSnapshotFile(string commit, string file)
    {
        var info = new FileInfo(SnapshotPath(commit, file));
        if (info.LinkTarget is null) return info.Exists;
        return info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true };
    }

    public static bool IsCommitHash(string revision) =>
        revision.Length == 40 && revision.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
