using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Rlsc.Core;
using Rlsc.Core.Config;

namespace Rlsc.Tasks;

/// <summary>
/// What a fine-tune run recorded in the run folder's config.json (the effective configuration) that the evaluations
/// of its models start from: the base model (the configuration's model or <c>--model</c>) and its own evaluation's
/// sampler (evaluation.seed and batch_size), so that the Evaluate stage samples as the fine-tune's evaluation did and
/// can reuse it. Read with rlsc's own configuration reader (Rlsc.Core), so the targets never parse JSON themselves.
/// Runs in process: it reads one small file, no tool.
/// </summary>
public sealed class RlscGetRunModel : Microsoft.Build.Utilities.Task
{
    /// <summary>The run folder that <c>rlsc finetune</c> wrote. Required.</summary>
    [Required]
    public ITaskItem RunDirectory { get; set; } = null!;

    /// <summary>The model the run's config.json names, as written there (a folder relative to rlsc's working directory, or a hub id); empty when the folder has no config.json yet.</summary>
    [Output]
    public string Model { get; private set; } = "";

    /// <summary>The run's evaluation.seed (0 unless the configuration set it); empty when the folder has no config.json yet.</summary>
    [Output]
    public string EvaluationSeed { get; private set; } = "";

    /// <summary>
    /// The run's evaluation.batch_size when its configuration evaluates suites (the batch size its evaluation
    /// generated with, and so fits the device); empty otherwise, leaving rlsc eval's own default.
    /// </summary>
    [Output]
    public string EvaluationBatchSize { get; private set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        string config = Path.Combine(RunDirectory.GetMetadata("FullPath"), "config.json");
        if (!File.Exists(config))
        {
            Log.LogMessage(MessageImportance.Low, "RlscGetRunModel: {0} does not exist (no run yet), so the run names no model and no evaluation seed.", config);
            return true;
        }
        try
        {
            var run = RunConfigJson.Read<FineTuneConfig>(config);
            Model = run.Model.Trim();
            EvaluationSeed = run.Evaluation.Seed.ToString(CultureInfo.InvariantCulture);
            if (run.Evaluation.Suites.Count > 0) EvaluationBatchSize = run.Evaluation.BatchSize.ToString(CultureInfo.InvariantCulture);
            return true;
        }
        catch (RlscException e)
        {
            // rlsc's own error (code, file, line): the run folder holds a configuration this rlsc did not write.
            Log.LogError(null, e.Code, null, e.File ?? config, e.Line ?? 0, 0, 0, 0, e.Message);
            return false;
        }
    }
}
