using Rlsc.Runtime.Demo.Compare;
using Rlsc.Core;
using System.CommandLine;
using System.Globalization;
using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Runtime.Demo.ArithmeticTask;
using Rlsc.Runtime.Demo.Tokenizer;
using Rlsc.Runtime.Evaluation;
using Rlsc.Core.Config;
using Rlsc.Core.IO;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;
using static Rlsc.Cli.Training.TrainingCommandShared;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc compare-objectives --config configs/default.json --output DIR [--objectives ...] [--seeds 1,2,3]
/// [--lr-grid 1e-5,3e-5,1e-4] [--lr objective=rate ...] [--tune-steps N] [--tune-questions N] [--steps N] [--set ...]`:
/// every label-free objective on the same base model, questions, steps, samples and seeds, each with the
/// before/after evaluation; learning rates tuned per objective on the training questions; one table
/// (comparison.md) and one plot (comparison.png). docs/label-free.md.
/// </summary>
public static class CompareObjectivesCommand
{
    public static Command Create()
    {
        var config = ConfigOption("rlsc.finetune/v1, with an evaluation section; the embedded default is configs/default.json");
        var output = new Option<string>("--output") { Description = "The comparison folder.", DefaultValueFactory = _ => "artifacts/compare-objectives" };
        var objectives = new Option<string>("--objectives") { Description = "Objectives to compare, comma-separated.", DefaultValueFactory = _ => "rlsc,ttrl,entropy,self_certainty" };
        var seeds = new Option<string>("--seeds") { Description = "Training seeds, comma-separated.", DefaultValueFactory = _ => "1,2,3" };
        var grid = new Option<string>("--lr-grid") { Description = "Learning rates every objective is tuned over.", DefaultValueFactory = _ => "1e-5,3e-5,1e-4" };
        var fixedRates = new Option<string[]>("--lr") { Description = "objective=rate: use this learning rate instead of tuning (repeatable; 'all=3e-5' for every objective).", AllowMultipleArgumentsPerToken = false };
        var tuneSteps = new Option<int?>("--tune-steps") { Description = "Steps of each tuning run (default: training.steps)." };
        var tuneQuestions = new Option<int>("--tune-questions") { Description = "Training questions the tuning runs are scored on.", DefaultValueFactory = _ => 64 };
        var tuneSuite = new Option<string?>("--tune-suite") { Description = "Suite manifest of the training questions with answers, for tuning (default: regenerate the arith task's)." };
        var steps = StepsOption();
        var set = SetOption();

        var command = new Command("compare-objectives", "Compare the label-free objectives (rlsc, ttrl, entropy, self_certainty) on one base model: same questions, steps, samples and seeds; before/after evaluation of each.")
        {
            config, output, objectives, seeds, grid, fixedRates, tuneSteps, tuneQuestions, tuneSuite, steps, set,
        };
        CommandAction.Set(command, parse =>
        {
            var overrides = new List<ConfigOverride>();
            AddIf(overrides, parse, steps, "training.steps");
            overrides.AddRange((parse.GetValue(set) ?? []).Select(ConfigOverride.Parse));
            string? file = parse.GetValue(config);
            var baseConfig = RunConfigJson.Load<FineTuneConfig>(file, overrides);
            var kinds = parse.GetValue(objectives)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseObjective).ToList();
            var rates = new Dictionary<LabelFreeObjectiveKind, double>();
            foreach (string assignment in parse.GetValue(fixedRates) ?? [])
            {
                var parts = assignment.Split('=', 2);
                if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || !(rate > 0))
                    throw new RlscException(ErrorCodes.InvalidArgument, $"--lr {assignment}: expected objective=rate, e.g. ttrl=3e-5 or all=3e-5.");
                foreach (var kind in parts[0] == "all" ? kinds : [ParseObjective(parts[0])]) rates[kind] = rate;
            }
            var options = new ObjectiveComparisonOptions
            {
                BaseConfig = baseConfig,
                Output = parse.GetValue(output)!,
                Objectives = kinds,
                Seeds = List(parse.GetValue(seeds)!, "--seeds", s => long.Parse(s, CultureInfo.InvariantCulture)),
                LearningRateGrid = List(parse.GetValue(grid)!, "--lr-grid", s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)),
                FixedLearningRates = rates,
                TuneSteps = parse.GetValue(tuneSteps),
                TuneQuestions = parse.GetValue(tuneQuestions),
                TuneSuite = parse.GetValue(tuneSuite),
            };
            using var signal = Rlsc.Runtime.Training.Loop.InterruptSignal.Register(m => Console.Error.WriteLine(m));
            var printer = EvaluationProgressPrinter.ForConsole();
            var report = ObjectiveComparison.Run(options, Console.Error, () => new StepLines(), printer, signal.Token);
            printer.Finish();
            Console.WriteLine();
            Console.Write(report.ToMarkdown());
            Console.WriteLine($"\ncomparison written to {Path.Combine(options.Output, ComparisonReport.MarkdownFile)} (and {ComparisonReport.JsonFile}, {ComparisonPlot.FileName}, runs/)");
            return 0;
        });
        return command;
    }

    static LabelFreeObjectiveKind ParseObjective(string name) =>
        Enum.GetValues<LabelFreeObjectiveKind>().FirstOrDefault(k => ObjectiveComparison.Name(k) == name, (LabelFreeObjectiveKind)(-1)) is var kind && Enum.IsDefined(kind)
            ? kind
            : throw new RlscException(ErrorCodes.InvalidArgument, $"unknown objective '{name}'; the choices are {SnakeCaseEnumConverter<LabelFreeObjectiveKind>.Accepted}.");

    static List<T> List<T>(string text, string flag, Func<string, T> parse)
    {
        try
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
            return values.Count > 0 ? values : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new RlscException(ErrorCodes.InvalidArgument, $"{flag} {text}: expected a comma-separated list of numbers.");
        }
    }

    /// <summary>One plain line per completed training step on stderr (a comparison runs many trainings in a row).</summary>
    sealed class StepLines : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            if (p.Phase != "step" || p.Metrics is null) return;
            double loss = p.Metrics.GetValueOrDefault("train/loss"), seconds = p.Metrics.GetValueOrDefault("time/step_seconds");
            string agreement = p.Metrics.TryGetValue("answers/agreement", out double a) ? a.ToString("0.000", CultureInfo.InvariantCulture) : "-";
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  step {p.Step}/{p.TotalSteps}: loss {loss:0.0000}, agreement {agreement}, {seconds:0.0} s"));
        }
    }
}
