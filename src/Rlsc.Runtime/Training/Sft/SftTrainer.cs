using System.Diagnostics;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Runtime.Training.Sft;

/// <summary>
/// `rlsc sft`: supervised fine-tuning on prompt/completion pairs. The loss is the cross-entropy of the completion
/// tokens only (prompt and padding masked out), averaged over all completion tokens of a step's batch, with the
/// same optimizer, schedule, micro-batching, checkpoints, resume, interrupt handling and logs as `rlsc finetune`.
/// Prompt and completion are tokenized separately and concatenated, so the boundary between what the model is
/// given and what it learns to write is exact.
/// </summary>
public sealed class SftTrainer
{
    readonly SftConfig config;
    readonly IReadOnlyList<SftExample> examples;
    readonly List<(int[] Prompt, int[] Completion)> tokenized = [];

    SftTrainer(SftConfig config, IReadOnlyList<SftExample> examples)
    {
        this.config = config;
        this.examples = examples;
    }

    /// <summary>Steps of a run over <paramref name="examples"/> examples: max_steps, or epochs x batches.</summary>
    public static int TotalSteps(SftConfig config, int examples) =>
        config.Training.MaxSteps ?? config.Training.Epochs * ((examples + config.Training.BatchSize - 1) / config.Training.BatchSize);

    public static RunSummary Run(SftConfig config, TrainingRunOptions run, CancellationToken cancellation = default)
    {
        // A no-op for a configuration the command validated (and has not changed since); a check for one built by hand.
        RunConfigValidator.Validate(config);
        var examples = SftExampleReader.Read(config.Data.File!, config.Data.PromptField, config.Data.CompletionField);
        var trainer = new SftTrainer(config, examples);
        var options = new TrainingSessionOptions
        {
            Kind = "sft", Config = config, EffectiveConfigJson = RunConfigJson.ToJson(config),
            TotalSteps = TotalSteps(config, examples.Count), CheckpointEvery = config.Training.CheckpointEvery,
            ExampleCount = examples.Count, Shuffle = config.Data.Shuffle,
            DataFingerprint = FineTuneData.Fingerprint(examples.SelectMany(e => new[] { e.Prompt, e.Completion })),
        };
        using var session = TrainingSession.Open(options, run, out var completed);
        if (session is null) return completed!;
        trainer.Tokenize(session.Model);
        return session.Run(trainer.Step, cancellation);
    }

    /// <summary>Tokenizes every example once, up front, so an example that does not fit fails before training starts.</summary>
    void Tokenize(ITrainableModel model)
    {
        int? eos = config.Data.AppendEos ? model.EosTokenIds.FirstOrDefault() : null;
        if (config.Data.AppendEos && model.EosTokenIds.Count == 0)
            throw new RlscException(ErrorCodes.InvalidArgument, "data.append_eos is true but the tokenizer has no end-of-sequence token; set data.append_eos to false.");
        foreach (var e in examples)
        {
            string prompt = config.Data.PromptTemplate is null ? e.Prompt : ChatTemplates.Render(config.Data.PromptTemplate, e.Prompt);
            int[] promptIds = model.Encode(prompt);
            int[] completionIds = eos is int id ? [.. model.Encode(e.Completion), id] : model.Encode(e.Completion);
            if (promptIds.Length + completionIds.Length > model.ContextLength)
                throw new RlscException(ErrorCodes.SequenceTooLong,
                    $"prompt + completion are {promptIds.Length + completionIds.Length} tokens, longer than the model's context of {model.ContextLength}; shorten or remove this example.",
                    config.Data.File, e.Line);
            tokenized.Add((promptIds, completionIds));
        }
    }

    StepReport Step(StepContext ctx)
    {
        var model = ctx.Model;
        var batch = Enumerable.Range(0, config.Training.BatchSize).Select(_ => tokenized[ctx.NextExample()]).ToList();
        long completionTokens = batch.Sum(b => (long)b.Completion.Length);
        var microBatches = MicroBatcher.Split(batch.Select(b => b.Prompt.Length + b.Completion.Length).ToList(), config.Training.MicroBatchTokens);

        long started = Stopwatch.GetTimestamp();
        double loss = 0, entropy = 0;
        long padded = 0;
        for (int j = 0; j < microBatches.Count; j++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            ctx.Report("training", $"micro-batch {j + 1}/{microBatches.Count}");
            var rows = microBatches[j];
            using var scope = NewDisposeScope();
            using var sequences = SequenceBatch.Build(rows.Select(r => ((IReadOnlyList<int>)batch[r].Prompt, (IReadOnlyList<int>)batch[r].Completion)).ToList(),
                model.PadTokenId, model.Device);
            var scores = model.Score(sequences.InputIds, sequences.AttentionMask, sequences.CompletionMask, temperature: 1.0);
            // Token-level mean over the whole batch: each micro-batch adds its share, so the gradient equals one big batch's.
            var microLoss = ctx.Hook(-scores.LogProbs.sum() / completionTokens);
            double value = microLoss.detach().to_type(ScalarType.Float64).item<double>();
            ctx.CheckLoss(value, $"micro-batch {j + 1}");
            microLoss.backward();
            loss += value;
            entropy += scores.Entropy.sum().to_type(ScalarType.Float64).item<double>();
            padded += (long)rows.Count * sequences.PaddedLength;
        }
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var metrics = new Dictionary<string, double>
        {
            ["train/loss"] = loss,
            ["train/perplexity"] = Math.Exp(loss),
            ["completions/mean_length"] = batch.Average(b => (double)b.Completion.Length),
            ["completions/mean_token_entropy"] = entropy / completionTokens,
            ["tokens/trained"] = completionTokens,
            ["tokens/forward_with_padding"] = padded,
            ["time/forward_backward_seconds"] = seconds,
            ["throughput/forward_backward_tokens_per_second"] = seconds > 0 ? padded / seconds : 0,
        };
        return new StepReport(metrics, completionTokens);
    }
}
