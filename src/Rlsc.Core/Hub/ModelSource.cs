namespace Rlsc.Core.Hub;

/// <summary>
/// A model reference as every front door takes it (a command's --model, a run configuration's `model`): an existing
/// folder is used as is; a hub id (Qwen/Qwen2.5-Math-7B) is fetched into (or found in) the Hugging Face cache by
/// <see cref="ModelResolver"/> (HF_TOKEN, HF_HOME/HF_HUB_CACHE, HF_HUB_OFFLINE, HF_ENDPOINT honoured) and its snapshot
/// folder returned. See docs/hub.md. One home, so the CLI and the library resolve a model the same way.
/// </summary>
public static class ModelSource
{
    /// <param name="model">The folder or hub id.</param>
    /// <param name="revision">For hub ids: a branch, tag or commit; null for "main".</param>
    /// <param name="progress">Download progress (the CLI prints it on stderr); null for none.</param>
    /// <param name="cancellation">Ctrl+C: the download stops (RLSC004) and resumes on the next run.</param>
    public static string Resolve(string model, string? revision = null, IProgress<HubProgress>? progress = null, CancellationToken cancellation = default)
    {
        var options = HubOptions.FromEnvironment();
        if (!string.IsNullOrWhiteSpace(revision)) options = options with { Revision = revision };
        try
        {
            return ModelResolver.Resolve(model, options, progress, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new RlscException(ErrorCodes.Interrupted, $"fetching {model} was interrupted; run the command again to resume the download.");
        }
    }
}
