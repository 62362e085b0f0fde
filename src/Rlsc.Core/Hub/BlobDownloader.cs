using System.Net;

namespace Rlsc.Core.Hub;

/// <summary>
/// Downloads one blob into the cache: into blobs/&lt;etag&gt;.incomplete, resumed with an HTTP Range request after a
/// broken transfer (within this run's retries or in a later run), verified against the ETag, then renamed to
/// blobs/&lt;etag&gt;. A lock file in .locks/ (the place huggingface_hub locks too) keeps two processes from writing the
/// same blob.
/// </summary>
sealed class BlobDownloader(HubHttp http, HubOptions options, IProgress<HubProgress>? progress)
{
    public async Task DownloadAsync(HubCache cache, string lockFolder, string file, FileMetadata metadata, CancellationToken cancellation)
    {
        string blob = cache.BlobPath(metadata.Etag);
        if (File.Exists(blob)) return;
        Directory.CreateDirectory(cache.BlobsFolder);
        Directory.CreateDirectory(lockFolder);
        await using var fileLock = await AcquireLockAsync(Path.Combine(lockFolder, metadata.Etag + ".lock"), cancellation).ConfigureAwait(false);
        if (File.Exists(blob)) return;   // another process finished it while we waited

        string incomplete = cache.IncompletePath(metadata.Etag);
        var delay = options.RetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await TransferAsync(file, metadata, incomplete, cancellation).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (IsTransient(e, cancellation) && attempt < options.MaxAttempts)
            {
                long kept = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
                progress?.Report(new HubProgress(HubProgressKind.Retrying, file, kept, metadata.Size,
                    $"attempt {attempt} of {options.MaxAttempts} broke ({e.Message}); resuming at byte {kept} in {delay.TotalSeconds:0.#} s"));
                await Task.Delay(delay, cancellation).ConfigureAwait(false);
                delay *= 2;
            }
            catch (Exception e) when (IsTransient(e, cancellation))
            {
                long kept = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
                throw new RlscException(ErrorCodes.HubDownloadFailed,
                    $"downloading {file} failed {options.MaxAttempts} times ({e.Message}). {kept:N0} bytes are kept; run the command again to resume.",
                    incomplete, inner: e);
            }
        }

        if (BlobVerifier.Mismatch(incomplete, metadata) is { } mismatch)
        {
            File.Delete(incomplete);
            throw new RlscException(ErrorCodes.ChecksumMismatch,
                $"{file} from {HubHttp.Describe(metadata.DownloadUrl)} has {mismatch}; it was deleted, not cached. Run the command again; " +
                "if it fails again the server serves other bytes than the hub announced.");
        }
        File.Move(incomplete, blob, overwrite: true);
        progress?.Report(new HubProgress(HubProgressKind.FileDone, file, new FileInfo(blob).Length, metadata.Size));
    }

    async Task TransferAsync(string file, FileMetadata metadata, string incomplete, CancellationToken cancellation)
    {
        long existing = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
        if (metadata.Size is long size && existing > size) existing = 0;   // not ours to resume: start again
        progress?.Report(new HubProgress(HubProgressKind.FileStarted, file, existing, metadata.Size));

        using var response = await http.SendAsync(HttpMethod.Get, metadata.DownloadUrl, request =>
        {
            if (existing > 0) request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(existing, null);
        }, stopAtCrossHostRedirect: false, cancellation).ConfigureAwait(false);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0 && existing == metadata.Size)
            return;   // everything was already there
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new RlscException(ErrorCodes.HubFileUnavailable, $"{file} is not at {HubHttp.Describe(metadata.DownloadUrl)} (HTTP 404).");
        if (!response.IsSuccessStatusCode)
            throw new HubNetworkException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} for {file}", new HttpRequestException(response.ReasonPhrase, null, response.StatusCode));

        // 206: the server continues at `existing`; 200: it sends everything, so start the file again.
        bool append = response.StatusCode == HttpStatusCode.PartialContent && existing > 0;
        if (append && response.Content.Headers.ContentRange?.From is long from && from != existing)
            append = false;
        if (!append) existing = 0;

        await using var output = new FileStream(incomplete, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using var body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        var buffer = new byte[1 << 16];
        long done = existing;
        long lastReport = done;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        while (true)
        {
            stall.CancelAfter(options.ReadTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
            {
                throw new HubNetworkException($"no data for {options.ReadTimeout.TotalSeconds:0} s", e);
            }
            if (read == 0) break;
            await output.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
            done += read;
            if (done - lastReport >= 1 << 20)
            {
                progress?.Report(new HubProgress(HubProgressKind.FileProgress, file, done, metadata.Size));
                lastReport = done;
            }
        }
        await output.FlushAsync(cancellation).ConfigureAwait(false);
        if (metadata.Size is long expected && done != expected)
            throw new IOException($"the connection closed after {done:N0} of {expected:N0} bytes");
    }

    static bool IsTransient(Exception e, CancellationToken cancellation) =>
        !cancellation.IsCancellationRequested && e is HubNetworkException or IOException or HttpRequestException;

    /// <summary>An exclusive lock on a file (flock on Unix, like Python's filelock), waited for while another process holds it.</summary>
    static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellation)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation).ConfigureAwait(false);
            }
        }
    }
}
