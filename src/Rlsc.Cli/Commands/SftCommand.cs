using System.CommandLine;
using Rlsc.Cli.Training;
using static Rlsc.Cli.Training.TrainingCommandShared;
using Rlsc.Core.Config;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc sft --config FILE | --data F.jsonl --model DIR --output DIR [...]`: supervised fine-tuning on
/// prompt/completion pairs (cross-entropy on the completion tokens only), with the same checkpoints, resume,
/// interrupt handling and logs as `rlsc finetune`. Exit 0, 1, or 130 when interrupted.
/// </summary>
public static class SftCommand
{
    public static Command Create()
    {
        var config = ConfigOption("rlsc.sft/v1");
        var data = new Option<string?>("--data") { Description = "JSONL file of {\"prompt\": ..., \"completion\": ...} lines (data.file)." };
        var model = ModelOption();
        var output = OutputOption();
        var steps = StepsOption();
        var epochs = new Option<int?>("--epochs") { Description = "Passes over the data (training.epochs)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Examples per optimizer step (training.batch_size)." };
        var template = new Option<string?>("--template") { Description = "Chat template applied to each prompt, e.g. qwen25-math-cot (data.prompt_template)." };
        var device = DeviceOption();
        var seed = SeedOption();
        var resume = ResumeOption();
        var lora = LoraOption();
        var lr = LearningRateOption();
        var set = SetOption();
        var progress = ProgressOption();

        var command = new Command("sft", "Supervised fine-tuning on prompt/completion pairs (loss on the completion tokens only).")
        {
            config, data, model, output, steps, epochs, batchSize, template, device, seed, resume, lora, lr, set, progress,
        };

        CommandAction.Set(command, parse =>
        {
            var overrides = new List<ConfigOverride>();
            AddIf(overrides, parse, data, "data.file");
            AddIf(overrides, parse, model, "model");
            AddIf(overrides, parse, output, "output");
            AddIf(overrides, parse, steps, "training.max_steps");
            AddIf(overrides, parse, epochs, "training.epochs");
            AddIf(overrides, parse, batchSize, "training.batch_size");
            AddIf(overrides, parse, template, "data.prompt_template");
            AddIf(overrides, parse, device, "device");
            AddIf(overrides, parse, seed, "seed");
            AddIf(overrides, parse, lr, "optimizer.learning_rate");
            if (parse.GetValue(lora)) overrides.Add(ConfigOverride.From("--lora", "lora.enabled", true));
            overrides.AddRange((parse.GetValue(set) ?? []).Select(ConfigOverride.Parse));

            string? file = parse.GetValue(config);
            var effective = RunConfigJson.Load<SftConfig>(file, overrides);
            RunConfigValidator.Validate(effective, file);
            return TrainingCommandShared.Run(parse.GetValue(progress)!, (display, token) => SftTrainer.Run(effective, new TrainingRunOptions
            {
                Resume = parse.GetValue(resume),
                ResumeCommand = ResumeCommandLine.Of(parse),
                Progress = display,
            }, token));
        });
        return command;
    }
}
