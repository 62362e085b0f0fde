using System.Security.Cryptography;

namespace Rlsc.Core.Data;

/// <summary>
/// Resolves a <see cref="DataSource"/> to a verified local file: the mirror first, then the cache, then a
/// download from the public source into the cache. Every path is checked against the sha256, so a stale or
/// edited copy is an error, never a silent wrong result. RLSC_OFFLINE=1 forbids the download.
/// </summary>
public static class DataFiles
{
    public const string OfflineVariable = "RLSC_OFFLINE";

    public static string Resolve(DataSource source, HttpClient? http = null, CancellationToken cancellation = default)
    {
        string? mirror = DataMirror.Locate();
        if (mirror is not null)
        {
            string mirrored = Path.Combine(mirror, source.MirrorPath.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(mirrored))
            {
                Verify(mirrored, source.Sha256);
                return mirrored;
            }
        }

        string cached = Path.Combine(DataCache.Root(), "data", source.Sha256, Path.GetFileName(source.MirrorPath));
        if (File.Exists(cached) && Sha256Of(cached) == source.Sha256) return cached;

        if (IsOffline())
            throw new RlscException(ErrorCodes.FileNotFound,
                $"{source.MirrorPath} is neither in a local mirror ({(mirror is null ? $"none found; set {DataMirror.EnvironmentVariable}" : mirror)}) " +
                $"nor in the cache ({cached}), and {OfflineVariable} forbids downloading it from {source.Url}.");

        VerifiedDownload.Fetch(source.Url, source.Sha256, cached, http, cancellation);
        return cached;
    }

    public static bool IsOffline() =>
        Environment.GetEnvironmentVariable(OfflineVariable) is "1" or "true" or "TRUE" or "yes";

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Throws a clear error (RLSC006) when the file's sha256 differs from the expected one.</summary>
    public static void Verify(string path, string expectedSha256)
    {
        string actual = Sha256Of(path);
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
            throw new RlscException(ErrorCodes.ChecksumMismatch,
                $"sha256 is {actual}, expected {expectedSha256}: the file is not the published one (edited, truncated or a different version).",
                file: path);
    }
}
