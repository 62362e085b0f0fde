using System.CommandLine;
using Rlsc.Core.Config;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Cli.Training;

/// <summary>The options `rlsc finetune` and `rlsc sft` share, and running a trainer under signals and a display.</summary>
static class TrainingCommandShared
{
    public static Option<string?> ConfigOption(string what) => new("--config") { Description = $"The run configuration (JSON, {what}; docs/training.md lists every option). Flags override its values." };
    public static Option<string?> ModelOption() => new("--model") { Description = "The model to train: a Hugging Face checkpoint folder (overrides `model`)." };
    public static Option<string?> OutputOption() => new("--output") { Description = "The run folder to write (overrides `output`)." };
    public static Option<int?> StepsOption() => new("--steps") { Description = "Optimizer steps (overrides the configuration's)." };
    public static Option<long?> SeedOption() => new("--seed") { Description = "Seed of every random choice (overrides `seed`)." };
    public static Option<bool> ResumeOption() => new("--resume") { Description = "Continue the run in the output folder from its newest checkpoint (starts it when there is none)." };
    public static Option<bool> LoraOption() => new("--lora") { Description = "Train LoRA adapters instead of all weights (lora.enabled = true)." };
    public static Option<double?> LearningRateOption() => new("--lr") { Description = "Peak learning rate (optimizer.learning_rate)." };

    public static Option<string?> DeviceOption()
    {
        var device = new Option<string?>("--device") { Description = "auto, cpu or cuda (overrides `device`)." };
        device.AcceptOnlyFromAmong([.. DeviceName.Kinds]);
        return device;
    }

    public static Option<string[]> SetOption() => new("--set")
    {
        Description = "Override any option: --set loss.alpha=0.2 (repeatable; values are JSON, or plain strings).",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string> ProgressOption()
    {
        var progress = new Option<string>("--progress")
        {
            Description = "auto (a bar on a terminal, plain lines when redirected or in CI), bar, plain or none.",
            DefaultValueFactory = _ => "auto",
        };
        progress.AcceptOnlyFromAmong("auto", "bar", "plain", "none");
        return progress;
    }

    /// <summary>Adds `flag value` to the overrides when the flag was given.</summary>
    public static void AddIf<T>(List<ConfigOverride> overrides, ParseResult parse, Option<T> option, string path)
    {
        if (parse.GetResult(option) is null) return;
        var value = parse.GetValue(option);
        if (value is not null) overrides.Add(ConfigOverride.From(option.Name, path, value));
    }

    /// <summary>
    /// Runs a trainer with Ctrl+C/SIGTERM turned into a clean stop and the progress display; prints the outcome.
    /// An interrupted run ends with RLSC004 (exit 130), whose message is the exact resume command.
    /// </summary>
    public static int Run(string progressMode, Func<IProgress<TrainingProgress>, CancellationToken, RunSummary> train)
    {
        using var display = new TrainingDisplay(TrainingDisplay.Parse(progressMode));
        using var signal = InterruptSignal.Register(display.Message);
        var summary = train(display, signal.Token);
        display.Dispose();
        string final = summary.FinalCheckpoint ?? summary.LastCheckpoint ?? "-";
        Console.WriteLine($"{summary.Kind} {summary.Status}: {summary.StepsCompleted}/{summary.Steps} steps in {summary.Seconds:0.#} s; final checkpoint: {final}");
        return 0;
    }
}
