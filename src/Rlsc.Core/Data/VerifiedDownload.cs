using System.Security.Cryptography;

namespace Rlsc.Core.Data;

/// <summary>Downloads a file to a temporary name, checks its sha256, then renames it into place.</summary>
public static class VerifiedDownload
{
    public static void Fetch(string url, string sha256, string destination, HttpClient? http = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        string partial = destination + ".partial-" + Environment.ProcessId;
        bool ownsClient = http is null;
        http ??= new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        try
        {
            using (var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation).GetAwaiter().GetResult())
            {
                if (!response.IsSuccessStatusCode)
                    throw new RlscException(ErrorCodes.DownloadFailed, $"downloading {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
                using var body = response.Content.ReadAsStream(cancellation);
                using var file = File.Create(partial);
                body.CopyTo(file);
            }
            string actual;
            using (var stream = File.OpenRead(partial)) actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != sha256.ToLowerInvariant())
                throw new RlscException(ErrorCodes.ChecksumMismatch,
                    $"the file downloaded from {url} has sha256 {actual}, expected {sha256}; it was not kept.");
            File.Move(partial, destination, overwrite: true);
        }
        catch (HttpRequestException e)
        {
            throw new RlscException(ErrorCodes.DownloadFailed,
                $"downloading {url} failed: {e.Message} (offline? put the file in a local mirror, see {DataMirror.EnvironmentVariable}).", inner: e);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
            if (ownsClient) http.Dispose();
        }
    }
}
