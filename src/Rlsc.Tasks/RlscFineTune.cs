using Microsoft.Build.Framework;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Tasks.CommandLine;
using Rlsc.Tasks.Validation;

namespace Rlsc.Tasks;

/// <summary>
/// Fine-tunes a model with RLSC: runs <c>rlsc finetune</c>, which writes a run folder (config.json,
/// metrics.jsonl, samples.jsonl, checkpoints/step-N/, checkpoints/final/, summary.json).
/// </summary>
public sealed class RlscFineTune : RlscToolTask
{
    int? _steps, _samples, _seed;

    /// <summary>The run configuration (JSON). <c>--config FILE</c>. Required; must exist.</summary>
    [Required]
    public ITaskItem Config { get; set; } = null!;

    /// <summary>
    /// The base model: a local Hugging Face checkpoint folder or a hub id (<c>Qwen/Qwen2.5-Math-1.5B</c>), passed
    /// through as given. <c>--model M</c>. Default: the configuration's model.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>The run folder to write. <c>--output DIR</c>. Required.</summary>
    [Required]
    public ITaskItem OutputDirectory { get; set; } = null!;

    /// <summary>Optimizer steps (at least 1). <c>--steps N</c>. Default: the configuration's.</summary>
    public int Steps { get => _steps ?? 0; set => _steps = value; }

    /// <summary>Sampled completions per question (at least 1). <c>--samples N</c>. Default: the configuration's.</summary>
    public int Samples { get => _samples ?? 0; set => _samples = value; }

    /// <summary><c>auto</c> (CUDA when available), <c>cpu</c> or <c>cuda</c>. <c>--device D</c>. Default: the configuration's.</summary>
    public string? Device { get; set; }

    /// <summary>Random seed (0 or more). <c>--seed S</c>. Default: the configuration's.</summary>
    public int Seed { get => _seed ?? 0; set => _seed = value; }

    /// <summary>Continue an interrupted run in OutputDirectory from its last checkpoint. <c>--resume</c>. Default false.</summary>
    public bool Resume { get; set; }

    /// <summary>The final checkpoint folder (a Hugging Face checkpoint), metadata RunDirectory.</summary>
    [Output]
    public ITaskItem? Checkpoint { get; private set; }

    /// <summary>The run's summary.json.</summary>
    [Output]
    public ITaskItem? SummaryFile { get; private set; }

    /// <summary>The run's metrics.jsonl (one line per logged step).</summary>
    [Output]
    public ITaskItem? MetricsFile { get; private set; }

    /// <summary>The effective configuration rlsc recorded (the run's config.json).</summary>
    [Output]
    public ITaskItem? EffectiveConfig { get; private set; }

    private protected override void Validate(ParameterCheck check)
    {
        check.Required(nameof(Config), Config?.ItemSpec, "the run configuration file (JSON)");
        check.FileExists(nameof(Config), Config, "the run configuration file (JSON)");
        check.Required(nameof(OutputDirectory), OutputDirectory?.ItemSpec, "the run folder to write");
        check.AtLeast(nameof(Steps), _steps, 1, "a number of optimizer steps");
        check.AtLeast(nameof(Samples), _samples, 1, "a number of completions per question");
        check.AtLeast(nameof(Seed), _seed, 0, "a seed");
        // The values rlsc --device takes, from the one definition the CLI checks against too.
        check.OneOf(nameof(Device), Device, [.. DeviceName.Kinds]);
    }

    private protected override void AppendArguments(RlscArguments arguments) => arguments
        .Add("finetune")
        .Switch("--config", Config.GetMetadata("FullPath"))
        .Switch("--model", Model)
        .Switch("--output", OutputDirectory.GetMetadata("FullPath"))
        .Switch("--steps", _steps)
        .Switch("--samples", _samples)
        .Switch("--device", Device?.ToLowerInvariant())
        .Switch("--seed", _seed)
        .Flag("--resume", Resume);

    private protected override bool CollectOutputs()
    {
        string run = OutputDirectory.GetMetadata("FullPath");
        string checkpoint = Path.Combine(run, "checkpoints", "final");
        string summary = Path.Combine(run, "summary.json");
        if (!Directory.Exists(checkpoint) || !File.Exists(summary))
        {
            LogTaskError(ErrorCodes.OutputMissing,
                $"rlsc finetune succeeded but the run folder '{run}' lacks {(Directory.Exists(checkpoint) ? "summary.json" : "checkpoints/final/")}; "
                + "the rlsc tool and Rlsc.Tasks may be of different versions (check with 'rlsc --version').");
            return false;
        }
        Checkpoint = Item(checkpoint);
        Checkpoint.SetMetadata("RunDirectory", run);
        SummaryFile = Item(summary);
        MetricsFile = Item(Path.Combine(run, "metrics.jsonl"));
        EffectiveConfig = Item(Path.Combine(run, "config.json"));
        return true;
    }
}
