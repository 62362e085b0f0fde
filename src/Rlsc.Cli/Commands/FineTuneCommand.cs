using Rlsc.Runtime.Training.Plan;
using System.CommandLine;
using Rlsc.Cli.Training;
using static Rlsc.Cli.Training.TrainingCommandShared;
using Rlsc.Core.Config;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc finetune --config FILE [--model M] [--output DIR] [--steps N] [--samples N] [--device cpu|cuda] [--seed S] [--resume] ...`:
/// RLSC fine-tuning (label-free) into a run folder. Exit 0 when the run completes (or had completed), 1 on an
/// error, 130 when interrupted (the message says how to resume).
/// </summary>
public static class FineTuneCommand
{
    public static Command Create()
    {
        var config = ConfigOption("rlsc.finetune/v1");
        var model = ModelOption();
        var output = OutputOption();
        var steps = StepsOption();
        var samples = new Option<int?>("--samples") { Description = "Completions sampled per question, N (sampling.samples_per_question)." };
        var device = DeviceOption();
        var seed = SeedOption();
        var resume = ResumeOption();
        var lora = LoraOption();
        var lr = LearningRateOption();
        var alpha = new Option<double?>("--alpha") { Description = "alpha of the loss -(w + alpha) log p (loss.alpha; 0 gives L1)." };
        var weighting = new Option<string?>("--weighting") { Description = "paper or normalized (loss.weighting)." };
        var temperature = new Option<double?>("--temperature") { Description = "Sampling temperature, also used inside the loss (sampling.temperature)." };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Completion length limit (sampling.max_new_tokens)." };
        var suite = new Option<string?>("--suite") { Description = "Train on this suite's questions (data.suite)." };
        var data = new Option<string?>("--data") { Description = "Train on this JSONL file of questions (data.file)." };
        var set = SetOption();
        var progress = ProgressOption();
        var plan = new Option<bool>("--plan") { Description = "Print the estimated peak memory of a step by part, for full fine-tuning and LoRA, and whether each fits; train nothing." };
        var promptTokens = new Option<int>("--plan-prompt-tokens") { Description = "Typical prompt length (template included) for --plan.", DefaultValueFactory = _ => 256 };
        var deviceMemory = new Option<double?>("--plan-device-gib") { Description = "Device memory for --plan, GiB (default: this machine's memory on cpu, 80 on cuda)." };

        var command = new Command("finetune", "Fine-tune a model with RLSC (reinforcement learning via self-confidence): no labels, only the questions.")
        {
            config, model, output, steps, samples, device, seed, resume, lora, lr, alpha, weighting, temperature, maxNewTokens, suite, data, set, progress,
            plan, promptTokens, deviceMemory,
        };

        CommandAction.Set(command, parse =>
        {
            var overrides = new List<ConfigOverride>();
            AddIf(overrides, parse, model, "model");
            AddIf(overrides, parse, output, "output");
            AddIf(overrides, parse, steps, "training.steps");
            AddIf(overrides, parse, samples, "sampling.samples_per_question");
            AddIf(overrides, parse, device, "device");
            AddIf(overrides, parse, seed, "seed");
            AddIf(overrides, parse, lr, "optimizer.learning_rate");
            AddIf(overrides, parse, alpha, "loss.alpha");
            AddIf(overrides, parse, weighting, "loss.weighting");
            AddIf(overrides, parse, temperature, "sampling.temperature");
            AddIf(overrides, parse, maxNewTokens, "sampling.max_new_tokens");
            AddIf(overrides, parse, suite, "data.suite");
            AddIf(overrides, parse, data, "data.file");
            if (parse.GetValue(lora)) overrides.Add(ConfigOverride.From("--lora", "lora.enabled", true));
            overrides.AddRange((parse.GetValue(set) ?? []).Select(ConfigOverride.Parse));

            string? file = parse.GetValue(config);
            var effective = RunConfigJson.Load<FineTuneConfig>(file, overrides);
            // Once, with the file's name for the errors; RlscTrainer.Run then sees it validated.
            RunConfigValidator.Validate(effective, file);
            if (parse.GetValue(plan))
            {
                Console.Write(MemoryPlanReport.For(effective, parse.GetValue(promptTokens), parse.GetValue(deviceMemory)));
                return 0;
            }
            var options = (IProgress<TrainingProgress> display) => new TrainingRunOptions
            {
                Resume = parse.GetValue(resume),
                ResumeCommand = ResumeCommandLine.Of(parse),
                Progress = display,
            };
            int exit = TrainingCommandShared.Run(parse.GetValue(progress)!, (display, token) => RlscTrainer.Run(effective, options(display), token));
            // The configuration's `evaluation` section: base and fine-tuned on held-out suites, then the before/after table.
            if (exit == 0 && effective.Evaluation.Suites.Count > 0) Demo.FineTuneEvaluation.Run(effective);
            return exit;
        });
        return command;
    }
}
