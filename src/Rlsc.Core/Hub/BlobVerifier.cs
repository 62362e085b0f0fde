using System.Security.Cryptography;
using System.Text;

namespace Rlsc.Core.Hub;

/// <summary>
/// Checks downloaded content against its ETag: the sha256 for LFS files (weights, tokenizer.json), the git blob sha1
/// (sha1 of "blob {size}\0" + content) for small files kept in git (config.json).
/// </summary>
static class BlobVerifier
{
    /// <summary>Null when the content matches; otherwise what was computed, for the error message.</summary>
    public static string? Mismatch(string path, FileMetadata metadata)
    {
        string etag = metadata.Etag.ToLowerInvariant();
        if (metadata.IsLfs || etag.Length == 64)
        {
            string sha256 = Sha256(path);
            return sha256 == etag ? null : $"sha256 {sha256}, expected {etag}";
        }
        if (etag.Length == 40 && etag.All(char.IsAsciiHexDigit))
        {
            string sha1 = GitBlobSha1(path);
            return sha1 == etag ? null : $"git blob sha1 {sha1}, expected {etag}";
        }
        return null;   // an ETag that is no hash (another server): nothing to check against
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string GitBlobSha1(string path)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var stream = File.OpenRead(path);
        sha1.AppendData(Encoding.ASCII.GetBytes($"blob {stream.Length}\0"));
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0) sha1.AppendData(buffer, 0, read);
        return Convert.ToHexStringLower(sha1.GetHashAndReset());
    }
}
