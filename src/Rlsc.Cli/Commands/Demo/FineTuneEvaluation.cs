using Rlsc.Core.Config;
using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Runtime.Evaluation;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Cli.Commands.Demo;

/// <summary>
/// The step `rlsc finetune` runs after training when the configuration has an `evaluation` section: the before/after
/// evaluation (<see cref="BeforeAfterEvaluation"/>) with progress on stderr, then the before/after table on stdout.
/// </summary>
public static class FineTuneEvaluation
{
    public static void Run(FineTuneConfig config)
    {
        string finetuned = Path.Combine(config.Output, "checkpoints", CheckpointStore.FinalName);
        var printer = EvaluationProgressPrinter.ForConsole();
        var report = BeforeAfterEvaluation.Run(config, config.Output, finetuned, printer, Console.Error);
        printer.Finish();
        Console.WriteLine();
        Console.Write(report.ToMarkdown());
        Console.WriteLine();
        Console.WriteLine($"before/after written to {Path.Combine(config.Output, BeforeAfterReport.MarkdownFile)} (and {BeforeAfterReport.JsonFile}, eval/, {BeforeAfterPlots.Folder}/)");
    }
}
