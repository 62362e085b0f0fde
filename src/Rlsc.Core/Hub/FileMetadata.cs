namespace Rlsc.Core.Hub;

/// <summary>
/// What the hub says about one file of a revision (the headers of HEAD /{repo}/resolve/{revision}/{file}).
/// </summary>
/// <param name="Commit">X-Repo-Commit: the commit the revision resolved to.</param>
/// <param name="Etag">The blob's name in the cache: X-Linked-Etag (the sha256 of an LFS file) or the ETag (the git blob
/// sha1 of a small file), without quotes or the W/ prefix.</param>
/// <param name="Size">X-Linked-Size or Content-Length, when given.</param>
/// <param name="IsLfs">True when <paramref name="Etag"/> is the sha256 of the content (X-Linked-Etag was present).</param>
/// <param name="DownloadUrl">Where the content is: the redirect target for LFS files (a CDN), else the resolve URL.</param>
public sealed record FileMetadata(string? Commit, string Etag, long? Size, bool IsLfs, Uri DownloadUrl);
