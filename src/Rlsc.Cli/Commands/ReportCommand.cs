using System.CommandLine;
using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.IO;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc report compare A B [--output F.md]`: the before/after table (<see cref="BeforeAfterReport"/>) of a base
/// model's and a fine-tuned model's evaluations.
/// `rlsc report merge --input DIR1 DIR2 ... --output DIR`: joins shards' evaluation outputs into the output a
/// single machine would have written (metrics recomputed from the merged problems.jsonl).
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report", "Compare evaluation summaries, or merge the outputs of evaluation shards.");
        command.Subcommands.Add(Compare());
        command.Subcommands.Add(Merge());
        return command;
    }

    static Command Compare()
    {
        var before = new Argument<string>("before") { Description = "The base model's summary.json (or its folder)." };
        var after = new Argument<string>("after") { Description = "The fine-tuned model's summary.json (or its folder), evaluated alike." };
        var output = new Option<string?>("--output") { Description = "Also write the Markdown table to this file." };
        var command = new Command("compare", "Print the before/after table of two evaluations of one kind (greedy, or k samples at T), as rlsc finetune does.") { before, after, output };
        CommandAction.Set(command, parse =>
        {
            string a = parse.GetValue(before)!, b = parse.GetValue(after)!;
            var (baseline, candidate) = (EvaluationSummary.Load(a), EvaluationSummary.Load(b));
            var report = SummaryPair.ToReport(baseline, a, candidate, b);
            // The table names no models (it is the fine-tune's own); say which evaluations it compares.
            string markdown = report.ToMarkdown() + $"\nBase model: {baseline.Model.Name} ({a}); after RLSC: {candidate.Model.Name} ({b}).\n";
            parse.InvocationConfiguration.Output.Write(markdown);
            if (parse.GetValue(output) is { } file) AtomicFile.WriteAllText(file, markdown);
            return 0;
        });
        return command;
    }

    static Command Merge()
    {
        var input = new Option<string[]>("--input")
        {
            Description = "Evaluation outputs to merge: folders or their summary.json (repeat --input or list several).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--output") { Description = "Folder for the merged summary.json, problems.jsonl and report.md.", Required = true };
        var command = new Command("merge", "Merge evaluation outputs of shards (other suites, or --shard index ranges) into one.") { input, output };
        CommandAction.Set(command, parse =>
        {
            var summary = ReportMerger.Merge(parse.GetValue(input)!, Path.GetFullPath(parse.GetValue(output)!));
            parse.InvocationConfiguration.Output.Write(MarkdownReport.Render(summary));
            return 0;
        });
        return command;
    }
}
