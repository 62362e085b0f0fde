using Rlsc.Core;
using Rlsc.Core.Hub;

namespace Rlsc.Cli;

/// <summary>
/// What every command does with its --model value: a folder is used as is; a hub id (Qwen/Qwen2.5-Math-7B) is fetched
/// into the Hugging Face cache (HF_TOKEN, HF_HOME/HF_HUB_CACHE, HF_HUB_OFFLINE, HF_ENDPOINT honoured) with progress
/// on stderr, and its snapshot folder returned. See docs/hub.md.
/// </summary>
public static class ModelArgument
{
    /// <param name="model">The --model value.</param>
    /// <param name="revision">A --revision value for hub ids (branch, tag or commit); null for "main".</param>
    /// <param name="cancellation">Ctrl+C: the download stops and resumes on the next run.</param>
    public static string Resolve(string model, string? revision = null, CancellationToken cancellation = default)
    {
        var options = HubOptions.FromEnvironment();
        if (!string.IsNullOrWhiteSpace(revision)) options = options with { Revision = revision };
        try
        {
            return ModelResolver.Resolve(model, options, HubProgressPrinter.ForConsole(), cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new RlscException(ErrorCodes.Interrupted, $"fetching {model} was interrupted; run the command again to resume the download.");
        }
    }
}
