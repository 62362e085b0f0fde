using System.CommandLine;
using Rlsc.Core;
using Rlsc.Core.Hub;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc fetch-model ID [--revision R] [--cache-dir D] [--no-weights]`: downloads a model's checkpoint files from the
/// Hugging Face hub into the Hugging Face cache and prints the snapshot folder (usable as --model) on stdout.
/// Progress and warnings go to stderr.
/// </summary>
public static class FetchModelCommand
{
    public static Command Create()
    {
        var idArgument = new Argument<string>("id") { Description = "The model's repository id on the hub, like Qwen/Qwen2.5-Math-7B." };
        var revisionOption = new Option<string>("--revision") { Description = "Branch, tag or commit (40 hex digits) to fetch.", DefaultValueFactory = _ => "main" };
        var cacheOption = new Option<string?>("--cache-dir") { Description = "Cache folder (default: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub)." };
        var noWeightsOption = new Option<bool>("--no-weights") { Description = "Fetch config.json, generation_config.json and the tokenizer only." };
        var command = new Command("fetch-model",
            "Download a model's config, tokenizer and safetensors weights from the Hugging Face hub (HF_TOKEN, HF_ENDPOINT and HF_HUB_OFFLINE are honoured) and print its local folder.")
        {
            idArgument, revisionOption, cacheOption, noWeightsOption,
        };
        CommandAction.Set(command, async (parse, cancellation) =>
        {
            var options = HubOptions.FromEnvironment() with
            {
                Revision = parse.GetValue(revisionOption)!,
                IncludeWeights = !parse.GetValue(noWeightsOption),
            };
            if (parse.GetValue(cacheOption) is { } cacheDir) options = options with { CacheDir = Path.GetFullPath(cacheDir) };
            HubSnapshot snapshot;
            try
            {
                snapshot = await SnapshotDownloader.DownloadAsync(parse.GetValue(idArgument)!, options, HubProgressPrinter.ForConsole(), cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw new RlscException(ErrorCodes.Interrupted, "the download was interrupted; run the same command again to resume it.");
            }
            Console.Error.WriteLine($"hub: {snapshot.RepoId} at commit {snapshot.Commit}: {snapshot.Files.Count} files{(snapshot.FromCacheOnly ? " (from the cache)" : "")}");
            parse.InvocationConfiguration.Output.WriteLine(snapshot.Folder);
            return 0;
        });
        return command;
    }
}
