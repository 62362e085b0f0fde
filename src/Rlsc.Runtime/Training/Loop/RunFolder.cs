using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rlsc.Core;
using Rlsc.Core.IO;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// The folder of one training run:
/// <code>
/// config.json           the effective configuration (file + flags)
/// metrics.jsonl         one line per step
/// samples.jsonl         one line per step and question (finetune)
/// checkpoints/step-N/   every training.checkpoint_every steps, and when interrupted
/// checkpoints/final/    at the end
/// summary.json          status and final numbers, written when the run ends (completed, interrupted, failed)
/// </code>
/// </summary>
public sealed class RunFolder
{
    public const string ConfigFileName = "config.json";

    RunFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Checkpoints = new CheckpointStore(Path.Combine(Root, "checkpoints"));
    }

    public string Root { get; }
    public string ConfigFile => Path.Combine(Root, ConfigFileName);
    public string MetricsFile => Path.Combine(Root, "metrics.jsonl");
    public string SamplesFile => Path.Combine(Root, "samples.jsonl");
    public string SummaryFile => Path.Combine(Root, "summary.json");
    public CheckpointStore Checkpoints { get; }

    /// <summary>sha256 of the effective configuration, recorded in every checkpoint.</summary>
    public string ConfigSha256 { get; private set; } = "";

    /// <summary>
    /// Opens the run folder for a new run or a resume and returns the checkpoint to continue from (null: from the
    /// start). A new run refuses a folder that already holds one. A resume without a run in the folder starts one
    /// (so CI can always pass --resume); with one, the configuration must equal the saved one, except for
    /// `output` itself.
    /// </summary>
    public static (RunFolder Folder, Checkpoint? From) Open(string output, string effectiveConfigJson, bool resume)
    {
        OutputPath.RequireFolder(output, "output");
        var folder = new RunFolder(output);
        bool hasRun = File.Exists(folder.ConfigFile);
        // A run that never completed a step (it failed while loading) holds nothing worth keeping: start it afresh.
        if (hasRun && !resume && !folder.HasProgress())
        {
            File.Delete(folder.ConfigFile);
            if (File.Exists(folder.SummaryFile)) File.Delete(folder.SummaryFile);
            hasRun = false;
        }
        if (hasRun && !resume)
            throw new RlscException(ErrorCodes.RunFolderInUse,
                "this folder already holds a training run; pass --resume to continue it, or choose another --output.", folder.Root);
        if (!hasRun && !resume && Directory.Exists(folder.Root) && Directory.EnumerateFileSystemEntries(folder.Root).Any())
            throw new RlscException(ErrorCodes.RunFolderInUse,
                "the output folder is not empty; choose an empty or new --output folder.", folder.Root);

        Directory.CreateDirectory(folder.Root);
        folder.Checkpoints.DeleteLeftovers();
        Checkpoint? from = null;
        if (hasRun)
        {
            CompareConfigurations(File.ReadAllText(folder.ConfigFile), effectiveConfigJson, folder.ConfigFile);
            from = folder.Checkpoints.Latest();
            int step = from?.State.Step ?? 0;
            JsonlWriter.TruncateAfterStep(folder.MetricsFile, step);
            JsonlWriter.TruncateAfterStep(folder.SamplesFile, step);
        }
        else
        {
            AtomicFile.WriteAllText(folder.ConfigFile, effectiveConfigJson);
        }
        folder.ConfigSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(folder.ConfigFile))));
        if (from is not null && from.State.ConfigSha256 != folder.ConfigSha256)
            throw new RlscException(ErrorCodes.CheckpointUnreadable,
                "the checkpoint was trained with another configuration than this run's config.json (its sha256 differs); it cannot be resumed bit for bit. Start a new run.",
                from.Directory);
        return (folder, from);
    }

    bool HasProgress() =>
        (File.Exists(MetricsFile) && new FileInfo(MetricsFile).Length > 0) ||
        (Directory.Exists(Checkpoints.Root) && Directory.EnumerateDirectories(Checkpoints.Root).Any(d => !Path.GetFileName(d).StartsWith('.')));

    /// <summary>Fails with the list of options whose values differ (output excepted).</summary>
    static void CompareConfigurations(string saved, string current, string savedFile)
    {
        var before = Flatten(JsonNode.Parse(saved));
        var now = Flatten(JsonNode.Parse(current));
        var differences = before.Keys.Union(now.Keys)
            .Where(k => k != "output")
            .Where(k => before.GetValueOrDefault(k) != now.GetValueOrDefault(k))
            .OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => $"{k}: {before.GetValueOrDefault(k) ?? "(absent)"} in the run, {now.GetValueOrDefault(k) ?? "(absent)"} now")
            .ToList();
        if (differences.Count > 0)
            throw new RlscException(ErrorCodes.ResumeConfigMismatch,
                "--resume must use the run's configuration, but these options differ:" + string.Concat(differences.Select(d => "\n  - " + d)) +
                "\nResume with the same --config and flags, or start a new run with another --output.", savedFile);
    }

    static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? n, string path)
        {
            if (n is JsonObject o)
                foreach (var (key, value) in o) Walk(value, path.Length == 0 ? key : path + "." + key);
            else
                result[path] = n?.ToJsonString() ?? "null";
        }
        Walk(node, "");
        return result;
    }
}
