namespace Rlsc.Core.Hub;

/// <summary>
/// Turns the --model argument of any command into a local model folder: an existing folder as is, otherwise a hub
/// repository id ("Qwen/Qwen2.5-Math-7B") fetched into (or found in) the Hugging Face cache.
/// </summary>
public static class ModelResolver
{
    public static string Resolve(string model, HubOptions options, IProgress<HubProgress>? progress = null, CancellationToken cancellation = default) =>
        ResolveAsync(model, options, progress, cancellation).GetAwaiter().GetResult();

    public static async Task<string> ResolveAsync(string model, HubOptions options, IProgress<HubProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        if (Directory.Exists(model)) return Path.GetFullPath(model);
        if (LooksLikePath(model) || !RepoId.IsValid(model))
            throw new RlscException(LooksLikePath(model) ? ErrorCodes.FileNotFound : ErrorCodes.HubInvalidModelId,
                $"--model '{model}' is neither an existing folder nor a hub repository id (owner/name, like Qwen/Qwen2.5-Math-7B).");
        try
        {
            var snapshot = await SnapshotDownloader.DownloadAsync(model, options, progress, cancellation).ConfigureAwait(false);
            return snapshot.Folder;
        }
        catch (RlscException e) when (e.Code is ErrorCodes.HubRepoNotFound or ErrorCodes.HubNotInCache)
        {
            // "models/tiny" may have been meant as a folder: say that none exists either.
            throw new RlscException(e.Code, $"{e.Message} (No folder '{Path.GetFullPath(model)}' exists either.)", e.File, e.Line, e);
        }
    }

    /// <summary>Paths, not ids: ./x, ../x, /x, ~/x, C:\x, a\b, or more than one '/'.</summary>
    static bool LooksLikePath(string model) =>
        model.StartsWith('.') || model.StartsWith('/') || model.StartsWith('~') || model.Contains('\\')
        || Path.IsPathRooted(model) || model.Count(c => c == '/') > 1;
}
