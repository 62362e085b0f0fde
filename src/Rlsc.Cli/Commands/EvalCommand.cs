using System.CommandLine;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc eval`: evaluates on benchmark suites and writes summary.json, problems.jsonl and report.md to --output.
/// With --predictions it grades responses produced elsewhere; with --model it generates them (greedy by default,
/// or --samples k at --temperature T). --limit and --shard select problems; --resume continues an interrupted
/// generating run; --reuse copies a finished evaluation that is exactly this one (ReusableEvaluation) instead.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var suite = new Option<string>("--suite") { Description = "Suites to evaluate, comma-separated names or manifest paths (aime24, amc23, math500, minerva_math, olympiadbench, gsm8k).", Required = true };
        var output = new Option<string>("--output") { Description = "Folder for summary.json, problems.jsonl and report.md.", Required = true };
        var predictions = new Option<string?>("--predictions") { Description = "Grade these responses (JSONL: index, response or responses[, suite]) instead of generating." };
        var model = new Option<string?>("--model") { Description = "Generate with this model: a checkpoint folder or a hub id (Qwen/Qwen2.5-Math-1.5B)." };
        var revision = new Option<string?>("--revision") { Description = "For a hub id: the branch, tag or commit to fetch (default main)." };
        var samples = new Option<int?>("--samples") { Description = "Samples per problem, k (default 1, greedy). k > 1 needs --temperature." };
        var temperature = new Option<double?>("--temperature") { Description = "Sampling temperature (default: the suite's, 0 = greedy). With --predictions, only recorded." };
        var topP = new Option<double?>("--top-p") { Description = "Nucleus sampling mass (default: the suite's, 1)." };
        var topK = new Option<int?>("--top-k") { Description = "Top-k filter (default: the suite's, 0 = off)." };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Longest response in tokens (default: the suite's, 2048)." };
        var seed = new Option<long>("--seed") { Description = "Sampler seed (default 0).", DefaultValueFactory = _ => 0 };
        var limit = new Option<int?>("--limit") { Description = "Only the first N problems of each suite." };
        var shard = new Option<string?>("--shard") { Description = "Only shard i of n of each suite (i/n, 0-based), for evaluation on several machines; merge with `rlsc report merge`." };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda (default cpu); auto is cuda where available.", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong([.. DeviceName.Kinds]);
        var dtype = new Option<string?>("--dtype") { Description = "Weights' dtype: float32, bfloat16 or float16 (default: float32 on cpu, the checkpoint's on cuda)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Problems generated per batch; progress is saved after each (default 8).", DefaultValueFactory = _ => 8 };
        var template = new Option<string?>("--chat-template") { Description = "Override the suites' prompt template (qwen25-math-cot, qwen25-chat, none)." };
        var modelName = new Option<string?>("--model-name") { Description = "Name recorded in summary.json (default: the model id or folder name, or the predictions file's name)." };
        var runId = new Option<string?>("--run-id") { Description = "Recorded as run_id for the gate (default: RLSC_RUN_ID)." };
        var suitesDir = new Option<string?>("--suites-dir") { Description = "Folder of suite manifests (default: RLSC_SUITES, else the checkout's eval-suites/)." };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted generating run in the same --output." };
        var reuse = new Option<string?>("--reuse")
        {
            Description = "A finished evaluation folder to copy into --output instead of generating, when it is exactly this evaluation " +
                "(same model, suites, decoding, seed, batch size, device, dtype and run id); otherwise says why not and evaluates.",
        };
        var command = new Command("eval", "Evaluate a model (or graded predictions) on benchmark suites: summary.json, problems.jsonl, report.md.")
        {
            suite, output, predictions, model, revision, samples, temperature, topP, topK, maxNewTokens, seed, limit, shard, device, dtype,
            batchSize, template, modelName, runId, suitesDir, resume, reuse,
        };
        CommandAction.Set(command, (parse, cancellation) =>
        {
            string? predictionsFile = parse.GetValue(predictions);
            string? modelArgument = parse.GetValue(model);
            if ((predictionsFile is null) == (modelArgument is null))
                throw new RlscException(ErrorCodes.InvalidArgument, "give exactly one of --model (generate and grade) and --predictions (grade existing responses).");
            string? reuseFolder = parse.GetValue(reuse);
            if (reuseFolder is not null && predictionsFile is not null)
                throw new RlscException(ErrorCodes.InvalidArgument, "--reuse applies to generation (--model); grading --predictions again is as cheap as copying.");
            Rlsc.Core.IO.OutputPath.RequireFolder(parse.GetValue(output)!, "--output");
            var options = new EvaluationOptions
            {
                Suites = SuiteCatalog.FindAll(parse.GetValue(suite)!, parse.GetValue(suitesDir)),
                OutputFolder = Path.GetFullPath(parse.GetValue(output)!),
                Samples = parse.GetValue(samples) ?? 1,
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                MaxNewTokens = parse.GetValue(maxNewTokens),
                Seed = parse.GetValue(seed),
                Limit = parse.GetValue(limit),
                Shard = parse.GetValue(shard) is { } s ? ShardSpec.Parse(s) : null,
                ChatTemplate = parse.GetValue(template),
                BatchSize = parse.GetValue(batchSize),
                Resume = parse.GetValue(resume),
            };
            if (parse.GetValue(runId) is { } id) options = options with { RunId = id };
            var printer = EvaluationProgressPrinter.ForConsole();
            EvaluationSummary summary;
            if (predictionsFile is not null)
            {
                if (parse.GetValue(samples) is not null)
                    throw new RlscException(ErrorCodes.InvalidArgument, "--samples applies to generation; with --predictions, k is the number of responses per problem.");
                var info = new ModelInfo(parse.GetValue(modelName) ?? Path.GetFileNameWithoutExtension(predictionsFile), null, null);
                summary = EvaluationRunner.RunPredictions(options, Path.GetFullPath(predictionsFile), info, printer, cancellation);
            }
            else
            {
                if (parse.GetValue(revision) is not null && Directory.Exists(modelArgument))
                    throw new RlscException(ErrorCodes.InvalidArgument, "--revision applies to hub ids; --model names a folder.");
                using var generator = ModelGeneratorFactory.Create(modelArgument!, parse.GetValue(revision), parse.GetValue(device)!, parse.GetValue(dtype), parse.GetValue(modelName), cancellation);
                summary = Reused(reuseFolder, options, generator, parse.InvocationConfiguration.Output, cancellation)
                    ?? EvaluationRunner.RunGeneration(options, generator, printer, cancellation);
            }
            printer.Finish();
            parse.InvocationConfiguration.Output.Write(MarkdownReport.Render(summary));
            parse.InvocationConfiguration.Output.WriteLine($"\nwritten to {options.OutputFolder}");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// --reuse: the finished evaluation copied into --output when it is exactly this one, with one line saying so and
    /// from where; otherwise one line saying why not, and null, so that the caller evaluates. The line goes to stdout
    /// with the report, since it says how the result came about (and the tasks show stdout at RlscMessageImportance).
    /// </summary>
    static EvaluationSummary? Reused(string? folder, EvaluationOptions options, IResponseGenerator generator, TextWriter output, CancellationToken cancellation)
    {
        if (folder is null) return null;
        string from = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var decision = ReusableEvaluation.Check(from, options, generator.Model, generator.Placement, cancellation);
        if (decision.Summary is null)
        {
            output.WriteLine($"eval: not reusing {from}: {decision.WhyNot}; evaluating.");
            return null;
        }
        EvaluationOutput.CopyFinished(from, options.OutputFolder);
        output.WriteLine($"eval: reused the finished evaluation in {from} (the same model, suites, settings and run id): nothing generated.");
        return decision.Summary;
    }
}
